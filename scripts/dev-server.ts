/**
 * The embedded Temporal dev server (`temporal server start-dev`, one process, SQLite file):
 * start it, wait until it answers, make sure our search attributes exist, stop it.
 * Used by `npm start` and by tests that want the same server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

/** Where a dev server listens and keeps its files. */
export interface DevServerPlacement {
  ip: string;
  port: number;
  uiPort: number;
  namespace: string;
  dbFile: string;
  /** The server's own output goes here, appended, not to the console. */
  logFile: string;
  /** Holds the server's pid while it runs, so a hard-killed parent leaves a trace. */
  pidFile?: string;
}

/** A dev server on loopback keeping its SQLite file and log in `dir` (tests, the bench, the drills). */
export function placementIn(dir: string, port: number, uiPort: number): DevServerPlacement {
  return {
    ip: '127.0.0.1',
    port,
    uiPort,
    namespace: 'default',
    dbFile: path.join(dir, 'temporal.sqlite'),
    logFile: path.join(dir, 'temporal-server.log'),
  };
}

export interface DevServerOptions extends DevServerPlacement {
  /** Path of the Temporal CLI binary (scripts/temporal-binaries.ts). */
  cliPath: string;
  /** `Name=Type` pairs (SEARCH_ATTRIBUTE_FLAGS). */
  searchAttributes: string[];
  /** The codec server the UI decodes payloads through (`--ui-codec-endpoint`). */
  codecEndpoint?: string;
  /** No embedded UI: the UI server runs beside it (scripts/ui-server.ts). */
  headless?: boolean;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface DevServer {
  pid: number;
  /** Address a client on this machine connects to. */
  address: string;
  /** Settles when the process ends, for whatever reason. */
  exited: Promise<ExitInfo>;
  /** SIGTERM, then SIGKILL if it has not ended within graceMs. */
  stop(graceMs?: number): Promise<ExitInfo>;
  /** SIGKILL at once, as a crash or an out-of-memory kill would (the drills). */
  kill(): Promise<ExitInfo>;
}

/** Dynamic config key behind TemporalReportedProblems (docs/crash-safety.md). */
export const TASK_PROBLEM_THRESHOLD_KEY = 'system.numConsecutiveWorkflowTaskProblemsToTriggerSearchAttribute';

export function devServerArgs(o: DevServerOptions): string[] {
  return [
    'server',
    'start-dev',
    '--ip',
    o.ip,
    '--port',
    String(o.port),
    '--ui-port',
    String(o.uiPort),
    '--db-filename',
    o.dbFile,
    '--namespace',
    o.namespace,
    '--log-level',
    'warn',
    ...o.searchAttributes.flatMap((sa) => ['--search-attribute', sa]),
    ...(o.headless ? ['--headless'] : []),
    ...(o.codecEndpoint && !o.headless ? ['--ui-codec-endpoint', o.codecEndpoint] : []),
    // Write-ahead log: a commit appends to the log instead of rewriting pages under a rollback
    // journal. Synchronous stays FULL (SQLite's default), so a committed event survives power loss.
    // It made the bench 1.5 times faster, transfers and baseline alike (docs/performance.md).
    '--sqlite-pragma',
    'journal_mode=wal',
    // The watchdog's signal: a workflow whose tasks failed or timed out twice in a row is flagged
    // (TemporalReportedProblems) within seconds; the server's default, 5, takes about a minute.
    '--dynamic-config-value',
    `${TASK_PROBLEM_THRESHOLD_KEY}=2`,
  ];
}

export function reachableAddress(ip: string, port: number): string {
  return `${ip === '0.0.0.0' ? '127.0.0.1' : ip}:${port}`;
}

/** Fails with a message naming the port when something already listens there. */
export async function assertPortFree(ip: string, port: number, variable: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        new Error(
          err.code === 'EADDRINUSE'
            ? `Port ${port} on ${ip} is already in use (another Temporal server?). Stop it or set ${variable}.`
            : `Cannot use port ${port} on ${ip} (${variable}): ${err.message}`,
        ),
      );
    });
    probe.listen(port, ip, () => probe.close(() => resolve()));
  });
}

/** Refuses to start over a dev server left running by a parent that was killed hard. */
export function assertNoLeftoverServer(pidFile: string): void {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && looksLikeDevServer(pid)) {
    throw new Error(
      `A dev server from an earlier run (pid ${pid}, see ${pidFile}) is still running. Stop it with: kill ${pid}`,
    );
  }
  rmSync(pidFile, { force: true });
}

export function startDevServer(o: DevServerOptions): DevServer {
  const log = openSync(o.logFile, 'a');
  writeSync(log, `\n--- ${new Date().toISOString()} temporal ${devServerArgs(o).join(' ')}\n`);
  // Own process group: a terminal Ctrl-C reaches only our process, which stops the worker first
  // and then this server, in that order.
  const child = spawn(o.cliPath, devServerArgs(o), { stdio: ['ignore', log, log], detached: true });
  closeSync(log);
  if (child.pid === undefined) throw new Error(`Could not start ${o.cliPath}; see ${o.logFile}`);
  const pid = child.pid;
  if (o.pidFile) writeFileSync(o.pidFile, `${pid}\n`);

  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('error', () => resolve({ code: null, signal: null }));
    child.once('exit', (code, signal) => {
      if (o.pidFile) rmSync(o.pidFile, { force: true });
      resolve({ code, signal });
    });
  });
  // If this process ends without stop() (an uncaught error), do not leave the server behind.
  const killOnExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  void exited.then(() => process.removeListener('exit', killOnExit));

  return {
    pid,
    address: reachableAddress(o.ip, o.port),
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
    stop: (graceMs = 10_000) => stopChild(child, exited, graceMs),
  };
}

/** SIGTERM, then SIGKILL if the process has not ended within graceMs; resolves with how it ended. */
export async function stopChild(child: ChildProcess, exited: Promise<ExitInfo>, graceMs: number): Promise<ExitInfo> {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

export interface ReadinessOptions {
  address: string;
  namespace: string;
  timeoutMs?: number;
  /** Stop waiting as soon as the server process ends. */
  exited?: Promise<ExitInfo>;
  /** Where to send people looking for the reason of a failure. */
  logFile?: string;
  signal?: AbortSignal;
}

/**
 * Polls until the frontend answers and the namespace exists, then returns an open connection.
 * Fails early if the process ends, and after timeoutMs with an error naming the address.
 */
export async function waitUntilReady(o: ReadinessOptions): Promise<Connection> {
  const deadline = Date.now() + (o.timeoutMs ?? 60_000);
  const seeLog = o.logFile ? `; see ${o.logFile}` : '';
  let ended: ExitInfo | undefined;
  void o.exited?.then((e) => {
    ended = e;
  });
  let lastError = 'no answer yet';
  for (;;) {
    if (o.signal?.aborted) throw new Error('Stopped while waiting for the Temporal server');
    if (ended)
      throw new Error(
        `The Temporal dev server exited during startup (code ${ended.code}, signal ${ended.signal})${seeLog}`,
      );
    if (Date.now() > deadline)
      throw new Error(
        `The Temporal server at ${o.address} did not answer within ${o.timeoutMs ?? 60_000} ms (${lastError})${seeLog}`,
      );
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address: o.address, connectTimeout: '2s' });
      await connection.workflowService.describeNamespace({ namespace: o.namespace });
      return connection;
    } catch (err) {
      lastError = (err as Error).message;
      await connection?.close();
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;

/** `Keyword` -> INDEXED_VALUE_TYPE_KEYWORD, as `temporal --search-attribute Name=Type` spells types. */
export function indexedValueType(cliType: string): temporal.api.enums.v1.IndexedValueType {
  const key =
    `INDEXED_VALUE_TYPE_${cliType.replace(/(?<=[a-z])(?=[A-Z])/g, '_').toUpperCase()}` as keyof typeof IndexedValueType;
  const value = IndexedValueType[key];
  if (typeof value !== 'number' || value === IndexedValueType.INDEXED_VALUE_TYPE_UNSPECIFIED) {
    throw new Error(`Unknown search attribute type ${cliType}`);
  }
  return value;
}

export function parseSearchAttributeFlag(flag: string): { name: string; type: temporal.api.enums.v1.IndexedValueType } {
  const [name, type, ...rest] = flag.split('=');
  if (!name || !type || rest.length > 0) throw new Error(`Expected Name=Type, got ${flag}`);
  return { name, type: indexedValueType(type) };
}

/** The namespace's custom search attributes, as name -> IndexedValueType. */
export async function customSearchAttributes(
  connection: Connection,
  namespace: string,
): Promise<Record<string, number>> {
  const response = await connection.operatorService.listSearchAttributes({ namespace });
  return { ...(response.customAttributes ?? {}) } as Record<string, number>;
}

/** Names in `flags` that the namespace lacks; throws if one exists with another type. */
export async function missingSearchAttributes(
  connection: Connection,
  namespace: string,
  flags: string[],
): Promise<string[]> {
  const existing = await customSearchAttributes(connection, namespace);
  const missing: string[] = [];
  for (const { name, type } of flags.map(parseSearchAttributeFlag)) {
    const found = existing[name];
    if (found === undefined) missing.push(name);
    else if (found !== type) {
      throw new Error(
        `Search attribute ${name} is registered in namespace ${namespace} as ${IndexedValueType[found]}, expected ${IndexedValueType[type]}`,
      );
    }
  }
  return missing;
}

/**
 * Registers whatever is missing. `start-dev --search-attribute` only applies when it creates the
 * namespace, so an older data file would otherwise keep an older set of attributes.
 */
export async function ensureSearchAttributes(
  connection: Connection,
  namespace: string,
  flags: string[],
): Promise<string[]> {
  const missing = await missingSearchAttributes(connection, namespace, flags);
  if (missing.length === 0) return [];
  const wanted = Object.fromEntries(flags.map(parseSearchAttributeFlag).map(({ name, type }) => [name, type]));
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((name) => [name, wanted[name]!])),
  });
  return missing;
}

/** Guards against a recycled pid where /proc can tell; elsewhere assume the worst. */
function looksLikeDevServer(pid: number): boolean {
  const cmdline = `/proc/${pid}/cmdline`;
  return !existsSync(cmdline) || readFileSync(cmdline, 'utf8').includes('start-dev');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
