/**
 * The local stack a bench or drill runs on: a dev server on its own SQLite file in a temp folder,
 * and workers in child processes (so their memory is measured alone, and a drill can kill -9 one).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SEARCH_ATTRIBUTE_FLAGS } from '../../domain/search-attributes';
import { loadRuntimeConfig, type RuntimeConfig } from '../../infra/config';
import { startEmbeddedAppDb } from '../../infra/app-db/embedded-server';
import { generateKey } from '../../infra/key-ring';
import {
  ensureSearchAttributes,
  startDevServer,
  waitUntilReady,
  type DevServer,
  placementIn,
} from '../../scripts/dev-server';
import { freePort, freePorts } from '../../scripts/free-port';
import { startTemporalOnPostgres } from '../../scripts/temporal-on-postgres';
import { ensureTemporalCli } from '../../scripts/temporal-binaries';
import { writeBenchPolicy } from './bench-policy';
import { workerNodeFlags } from './worker-tuning';

const ROOT = path.resolve(__dirname, '..', '..');

export interface Stack {
  dir: string;
  /** Environment for child workers and for this process's client: same server, keys, policy, data. */
  env: NodeJS.ProcessEnv;
  config: RuntimeConfig;
  server: DevServer;
  /** The app database's PostgreSQL (on the cluster, also the Temporal server's). */
  databasePid(): number;
  /** Stops the dev server and starts it again on the same SQLite file and port. */
  restartServer(): Promise<void>;
  close(): Promise<void>;
}

export async function startStack(extraEnv: NodeJS.ProcessEnv = {}): Promise<Stack> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'referrals-bench-'));
  const port = await freePort();
  const uiPort = await freePort({ avoid: [port] });
  const appDb = await startEmbeddedAppDb(path.join(dir, 'data'), await freePort({ avoid: [port, uiPort] }));
  const env = benchEnv(dir, `127.0.0.1:${port}`, appDb.url, extraEnv);
  const config = loadRuntimeConfig(env);
  const options = {
    cliPath: ensureTemporalCli(),
    ...placementIn(dir, port, uiPort),
    searchAttributes: SEARCH_ATTRIBUTE_FLAGS,
  };
  const boot = async (): Promise<DevServer> => {
    const server = startDevServer(options);
    const connection = await waitUntilReady({
      address: server.address,
      namespace: 'default',
      exited: server.exited,
      logFile: options.logFile,
    });
    await ensureSearchAttributes(connection, 'default', SEARCH_ATTRIBUTE_FLAGS);
    await connection.close();
    return server;
  };
  const stack: Stack = {
    dir,
    env,
    config,
    server: await boot(),
    databasePid: () => appDb.pid(),
    async restartServer() {
      await stack.server.stop();
      stack.server = await boot();
    },
    async close() {
      await stack.server.stop();
      await appDb.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

/**
 * The same, on the production topology (`npm run cluster`'s Temporal server on PostgreSQL, the app
 * database on that PostgreSQL), on free ports in a temp folder: the cluster drill.
 */
export async function startClusterStack(extraEnv: NodeJS.ProcessEnv = {}): Promise<Stack> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'referrals-cluster-'));
  const [frontend, frontendHttp, history, matching, worker, m1, m2, m3, m4, postgres] = (await freePorts(10)) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const temporal = await startTemporalOnPostgres(dir, {
    frontend,
    frontendHttp,
    history,
    matching,
    worker,
    membership: [m1, m2, m3, m4],
    postgres,
  });
  const env = benchEnv(dir, temporal.address, temporal.appDbUrl, extraEnv);
  return {
    dir,
    env,
    config: loadRuntimeConfig(env),
    get server() {
      return temporal.server;
    },
    databasePid: () => temporal.databasePid(),
    restartServer: () => temporal.restartServer(),
    async close() {
      await temporal.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What workers and the driver share: the server, a fresh key, the bench policy, one app database. */
function benchEnv(dir: string, address: string, appDbUrl: string, extraEnv: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const key = generateKey();
  return {
    // One app database for every worker process, as under npm start (a host's APP_DATABASE_URL wins).
    APP_DATABASE_URL: appDbUrl,
    ...process.env,
    TEMPORAL_ADDRESS: address,
    TEMPORAL_NAMESPACE: 'default',
    REFERRALS_DATA_DIR: path.join(dir, 'data'),
    REFERRALS_POLICY_FILE: writeBenchPolicy(dir),
    REFERRALS_CODEC_KEYS: `${key.id}:${key.base64}`,
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
}

export interface WorkerProcess {
  pid: number;
  child: ChildProcess;
  /** Resolves once the worker logged that it polls (or rejects when it exits first). */
  ready: Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Runs `bench/worker-process.ts` (the referrals worker, or the baseline with `kind: baseline`). */
export function spawnWorker(env: NodeJS.ProcessEnv, kind: 'referrals' | 'baseline'): WorkerProcess {
  // node --import tsx, not the tsx binary: the pid measured is the worker itself, not a wrapper.
  const child = spawn(
    process.execPath,
    [...workerNodeFlags(env), '--import', 'tsx', path.join(ROOT, 'tools', 'bench', 'worker-process.ts'), kind],
    {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: ROOT,
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('READY')) resolve();
    });
    void exited.then(() => reject(new Error(`the ${kind} worker exited before it was ready`)));
  });
  ready.catch(() => undefined);
  return {
    pid: child.pid!,
    child,
    ready,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resident memory of a process in MB, from /proc (Linux). */
export function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}

/**
 * RSS once V8 has handed back what it no longer uses: an idle worker's RSS falls by 50 to 500 MB
 * some 20 to 30 s after it goes quiet (V8's memory reducer). The lowest of samples taken every
 * 5 s over `windowMs`.
 */
export async function settledRssMb(pid: number, windowMs = 45_000): Promise<number> {
  let lowest = rssMb(pid);
  for (let waited = 0; waited < windowMs; waited += 5_000) {
    await new Promise((r) => setTimeout(r, 5_000));
    lowest = Math.min(lowest, rssMb(pid));
  }
  return lowest;
}

/** CPU time (user + system) a process has used, in clock ticks, from /proc. */
export function cpuTicks(pid: number): number {
  const fields = statFields(pid);
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * CPU ticks of a process and its children: PostgreSQL runs one backend process per connection
 * under its postmaster. Children that have exited are in the parent's cutime and cstime.
 */
export function processTreeTicks(pid: number): number {
  const ownAndReaped = (fields: string[]) =>
    Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  let ticks = ownAndReaped(statFields(pid));
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fields: string[];
    try {
      fields = statFields(Number(entry));
    } catch {
      continue; // gone between the listing and the read
    }
    if (Number(fields[1]) === pid) ticks += ownAndReaped(fields);
  }
  return ticks;
}

/** /proc/<pid>/stat after the command name: [0] state, [1] ppid, [11] utime, [12] stime, [13] cutime, [14] cstime. */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
}

/** Waits until the process has used (almost) no CPU for `quietMs`: it has caught up. */
export async function waitUntilIdle(pid: number, quietMs = 3_000, maxMs = 600_000): Promise<void> {
  const until = Date.now() + maxMs;
  let last = cpuTicks(pid);
  let quietSince = Date.now();
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 500));
    const now = cpuTicks(pid);
    if (now - last > 5) quietSince = Date.now();
    last = now;
    if (Date.now() - quietSince >= quietMs) return;
  }
}
