/**
 * `npx tsx tools/web/list-bench.ts [transfers] [concurrent]`: how the staff list answers with many
 * transfers on record (default 10,000, 20 people at once). Brings up a dev server on its own
 * SQLite file, the app database and the web app as `npm web` runs it, starts the transfers
 * through `POST /api/transfers` (each for a member with a name, so the member index fills as it
 * does in use; no worker runs, so they all stay open), then times, from 20 clients at once, the
 * first page of `GET /api/transfers`, a later page, a search by member name (the same one, then a
 * different one each time), and the staff page `/transfers` in HTML. Prints the figures; asserts
 * nothing.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../scripts/free-port';
import { percentile } from '../bench/history-figures';
import { pool, sleep } from '../bench/pool';
import { startStack } from '../bench/stack';

const ROOT = path.resolve(__dirname, '..', '..');
interface Page {
  transfers: unknown[];
  nextPageToken: string | null;
}

const FIRST = ['Ana', 'Luis', 'María', 'José', 'Carmen', 'Jordan', 'Sam', 'Alex', 'Rosa', 'Diego'];
const LAST = ['Ortega', 'Nguyen', 'Smith', 'García', 'Lee', 'Patel', 'Kim', 'Lopez', 'Brown', 'Díaz'];

async function main(count: number, concurrent: number): Promise<void> {
  const stack = await startStack();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const web = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'web', 'main.ts')], {
    cwd: ROOT,
    // One address plays every staff member here: lift the per-address limit, as behind a shared proxy.
    env: {
      ...stack.env,
      REFERRALS_WEB_PORT: String(port),
      REFERRALS_WEB_STAFF_REQUESTS_PER_MINUTE: '1000000',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    await until(async () => (await fetch(`${url}/health`)).ok);
    const passwords = readFileSync(path.join(stack.config.REFERRALS_DATA_DIR, 'web-accounts.json.passwords'), 'utf8');
    const token = /^intake API token.*: (\S+)$/m.exec(passwords)![1]!;
    const password = /^intake \(intake\): (\S+)$/m.exec(passwords)![1]!;
    const api = (p: string, init: RequestInit = {}) =>
      fetch(`${url}${p}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });

    const sample = JSON.parse(readFileSync(path.join(ROOT, 'fixtures', 'sample-transfer.json'), 'utf8'));
    const seeding = performance.now();
    await pool(count, 16, async (i) => {
      const member = {
        ...sample.member,
        memberId: `M-${String(i).padStart(6, '0')}`,
        name: `${FIRST[i % 10]} ${LAST[Math.floor(i / 10) % 10]} ${i}`,
      };
      const r = await api('/api/transfers', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...sample, member }),
      });
      if (r.status !== 201) throw new Error(`start ${i}: ${r.status} ${await r.text()}`);
    });
    const seedSeconds = (performance.now() - seeding) / 1000;
    // Visibility is eventually consistent: wait until the list holds them all.
    await until(async () => {
      let n = 0;
      let next: string | null = '';
      while (next !== null) {
        const page = (await (
          await api(`/api/transfers?pageSize=200${next ? `&pageToken=${next}` : ''}`)
        ).json()) as Page;
        n += page.transfers.length;
        next = page.nextPageToken;
      }
      return n >= count;
    }, 600_000);

    const signIn = await fetch(`${url}/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'intake', password }),
    });
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const third = await (async () => {
      let next: string | null = null;
      for (let i = 0; i < 2; i++)
        next = ((await (await api(`/api/transfers${next ? `?pageToken=${next}` : ''}`)).json()) as Page).nextPageToken;
      return next!;
    })();

    let asked = 0;
    const nextMember = () => encodeURIComponent(`${FIRST[asked % 10]} ${asked++ % count}`);
    const cases: [string, () => Promise<Response>][] = [
      ['GET /api/transfers (first page of 50)', () => api('/api/transfers')],
      ['GET /api/transfers (third page)', () => api(`/api/transfers?pageToken=${third}`)],
      ['GET /api/transfers?member=<name>', () => api(`/api/transfers?member=${encodeURIComponent('Rosa García 2')}`)],
      // A different member each time: nothing to share, every page asks visibility.
      ['GET /api/transfers?member=<a different name each time>', () => api(`/api/transfers?member=${nextMember()}`)],
      ['GET /transfers (staff page, HTML)', () => fetch(`${url}/transfers`, { headers: { cookie } })],
    ];
    console.log(
      `${count} transfers started through the API in ${seedSeconds.toFixed(0)} s; ${concurrent} clients at once`,
    );
    console.log('| request | requests | p50 ms | p95 ms | max ms | per second |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const [label, call] of cases) {
      await pool(concurrent, concurrent, () => call().then((r) => r.arrayBuffer())); // warm
      const times: number[] = [];
      const requests = concurrent * 20;
      const t0 = performance.now();
      await pool(requests, concurrent, async () => {
        const start = performance.now();
        const r = await call();
        await r.arrayBuffer();
        if (r.status !== 200) throw new Error(`${label}: ${r.status}`);
        times.push(performance.now() - start);
      });
      const seconds = (performance.now() - t0) / 1000;
      const ms = (p: number) => Math.round(percentile(times, p));
      console.log(
        `| ${label} | ${requests} | ${ms(50)} | ${ms(95)} | ${Math.round(Math.max(...times))} | ${(requests / seconds).toFixed(0)} |`,
      );
    }
  } finally {
    web.kill('SIGTERM');
    await sleep(500);
    await stack.close();
  }
}

async function until(check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(500);
  }
}

const [count = '10000', concurrent = '20'] = process.argv.slice(2);
main(Number(count), Number(concurrent)).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
