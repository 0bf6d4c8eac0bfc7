/**
 * `npx tsx tools/web/sign-in-bench.ts [seconds]`: does a flood of sign-ins slow everyone else?
 * Runs the web app in a child process with the sign-in rate limit lifted (a distributed attack
 * comes from many addresses), then times `GET /health` alone and again while 20 clients post
 * wrong passwords for ever-new user names without pause (each one a full scrypt check). Prints
 * p50/p95 and how many sign-ins were checked; asserts nothing.
 */
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startEmbeddedAppDb } from '../../infra/app-db/embedded-server';
import { loadRuntimeConfig } from '../../infra/config';
import { generateKey } from '../../infra/key-ring';
import { WebSettings } from '../../infra/web-settings';
import { startWebApp } from '../../web/run';
import { freePort } from '../../scripts/free-port';
import { percentile } from '../bench/history-figures';
import { sleep } from '../bench/pool';

const ROOT = path.resolve(__dirname, '..', '..');

/** The child: the web app as `npm run web` builds it, with no sign-in limit. */
async function serve(): Promise<void> {
  const config = loadRuntimeConfig();
  const settings = WebSettings.parse(process.env);
  await startWebApp(config, settings, pino({ level: 'error' }), { 'sign-in': 1_000_000 });
}

async function main(seconds: number): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sign-in-bench-'));
  execFileSync('chmod', ['0755', dir]); // the database runs as `postgres` when started by root
  const db = await startEmbeddedAppDb(dir, await freePort());
  const port = await freePort();
  const key = generateKey();
  const child = spawn(process.execPath, ['--import', 'tsx', __filename, '--serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      APP_DATABASE_URL: db.url,
      REFERRALS_DATA_DIR: dir,
      REFERRALS_CODEC_KEYS: `${key.id}:${key.base64}`,
      TEMPORAL_ADDRESS: '127.0.0.1:1', // not needed: nothing here reaches Temporal
      REFERRALS_WEB_PORT: String(port),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      if (
        await fetch(`${url}/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (i > 120) throw new Error('the web app did not start');
      await sleep(500);
    }
    const health = async (ms: number) => {
      const times: number[] = [];
      const until = Date.now() + ms;
      while (Date.now() < until) {
        const t0 = performance.now();
        await (await fetch(`${url}/health`)).arrayBuffer();
        times.push(performance.now() - t0);
        await sleep(20);
      }
      return times;
    };
    const quiet = await health(seconds * 1000);
    let stop = false;
    let checked = 0;
    const attacker = async (lane: number) => {
      for (let i = 0; !stop; i++) {
        const r = await fetch(`${url}/sign-in`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: `guess-${lane}-${i}`, password: 'wrong' }),
        });
        await r.arrayBuffer();
        if (r.status === 401) checked++;
      }
    };
    const flood = Array.from({ length: 20 }, (_, lane) => attacker(lane));
    const busy = await health(seconds * 1000);
    stop = true;
    await Promise.all(flood);
    const row = (label: string, t: number[]) =>
      `| ${label} | ${t.length} | ${percentile(t, 50).toFixed(1)} | ${percentile(t, 95).toFixed(1)} |`;
    console.log('| /health | requests | p50 ms | p95 ms |');
    console.log('| --- | ---: | ---: | ---: |');
    console.log(row('alone', quiet));
    console.log(row('20 clients posting wrong passwords', busy));
    console.log(`wrong passwords checked: ${checked} in ${seconds} s (${(checked / seconds).toFixed(0)} a second)`);
  } finally {
    child.kill('SIGTERM');
    await sleep(500);
    await db.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--serve')) {
  serve().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main(Number(process.argv[2] ?? '15')).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
