/**
 * `npx tsx tools/reports/bench.ts [transfers]`: how long each report takes over many transfers
 * (default 10,000, and as many clocks) in the reporting store, on the embedded PostgreSQL
 * `npm start` runs. Seeds synthetic transfers and clocks with known results, then times each
 * report as the API answers it (read and compute) and as files (CSV, XLSX). Prints the figures;
 * asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { reportFile } from '../../client/reports/report-formats';
import { REPORT_NAMES } from '../../client/reports/report-request';
import { runReport } from '../../client/reports/reports';
import { reportRecordOf } from '../../domain/report-record';
import { startEmbeddedAppDb } from '../../infra/app-db/embedded-server';
import { openAppDb } from '../../infra/app-db/open-app-db';
import { ReportStore } from '../../infra/app-db/report-store';
import { loadDirectory } from '../../infra/config-files';
import { freePort } from '../../scripts/free-port';
import { syntheticClocks } from './synthetic-clocks';
import { SYNTHETIC_CALENDAR, syntheticTransfers } from './synthetic-transfers';

async function main(count: number): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'report-bench-'));
  execFileSync('chmod', ['0755', dataDir]); // the server runs as `postgres` when started by root
  const server = await startEmbeddedAppDb(dataDir, await freePort());
  const db = await openAppDb(server.url);
  try {
    const store = new ReportStore(db);
    const seeding = performance.now();
    const transfers = syntheticTransfers(count);
    for (let i = 0; i < transfers.length; i += 50)
      await Promise.all(
        transfers
          .slice(i, i + 50)
          .map((t) => store.save(reportRecordOf(t.state, t.facts, SYNTHETIC_CALENDAR), 'seeded')),
      );
    const clocks = syntheticClocks(count);
    for (let i = 0; i < clocks.length; i += 50)
      await Promise.all(clocks.slice(i, i + 50).map((c) => store.saveClock(c.record, 'seeded')));
    const seedSeconds = (performance.now() - seeding) / 1000;
    const deps = {
      store,
      directory: loadDirectory(path.join(__dirname, '../../config/directory.json')),
      timeZone: SYNTHETIC_CALENDAR.timeZone,
    };
    const year = { from: '2026-01-01', to: '2026-12-31' };
    const figures: Record<string, number> = {};
    const time = async (label: string, work: () => Promise<unknown>) => {
      await work(); // warm
      const runs: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        await work();
        runs.push(performance.now() - t0);
      }
      figures[label] = Math.round(Math.max(...runs));
    };
    for (const name of REPORT_NAMES) {
      await time(`${name} ms`, () => runReport(name, year, deps));
      await time(`${name} by provider ms`, () => runReport(name, { ...year, by: 'provider' }, deps));
      for (const format of ['csv', 'xlsx'] as const)
        await time(`${name} ${format} ms`, async () => reportFile(await runReport(name, year, deps), format));
    }
    process.stdout.write(
      `${JSON.stringify({ transfers: count, clocks: count, seedSeconds: Math.round(seedSeconds), slowestOfThree: figures }, null, 2)}\n`,
    );
  } finally {
    await db.destroy();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main(Number(process.argv[2] ?? 10_000)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
