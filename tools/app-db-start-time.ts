/**
 * `npx tsx tools/app-db-start-time.ts`: how long the embedded app database takes to start, the
 * first time (initdb) and again on its files, and how much disk its files take. Prints the figures.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { embeddedAppDbDir } from '../infra/app-db/embedded-location';
import { startEmbeddedAppDb } from '../infra/app-db/embedded-server';
import { freePort } from '../scripts/free-port';

async function timedStart(dataDir: string, port: number): Promise<number> {
  const started = performance.now();
  const db = await startEmbeddedAppDb(dataDir, port);
  const seconds = (performance.now() - started) / 1000;
  await db.stop();
  return seconds;
}

async function main(): Promise<void> {
  // World-traversable, as the server runs as `postgres` when started by root.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'app-db-start-'));
  execFileSync('chmod', ['0755', dataDir]);
  try {
    const port = await freePort();
    const first = await timedStart(dataDir, port);
    const again = [await timedStart(dataDir, port), await timedStart(dataDir, port)];
    const diskMb = Number(
      execFileSync('du', ['-sm', embeddedAppDbDir(dataDir)])
        .toString()
        .split('\t')[0],
    );
    const round = (s: number) => Math.round(s * 100) / 100;
    process.stdout.write(
      `${JSON.stringify({ firstStartSeconds: round(first), laterStartSeconds: again.map(round), diskMb })}\n`,
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
