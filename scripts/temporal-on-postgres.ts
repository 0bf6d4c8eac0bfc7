/**
 * The Temporal server itself (not the dev server) on PostgreSQL, as a county runs it: the server
 * and Temporal's schema tool built from the Go module proxy, PostgreSQL the project's embedded
 * one (which also holds the app database), the schema set up with the tool, the namespace and our
 * search attributes registered. Used by `npm run cluster` and by the cluster drill.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import Long from 'long';
import { stringify } from 'yaml';
import { SEARCH_ATTRIBUTE_FLAGS } from '../domain/search-attributes';
import { startEmbeddedAppDb } from '../infra/app-db/embedded-server';
import {
  ensureSearchAttributes,
  stopChild,
  TASK_PROBLEM_THRESHOLD_KEY,
  type DevServer,
  type ExitInfo,
} from './dev-server';
import { ensureBinary, PROJECT_ROOT, TEMPORAL_SERVER, TEMPORAL_SQL_TOOL } from './temporal-binaries';

export interface TemporalPorts {
  frontend: number;
  frontendHttp: number;
  history: number;
  matching: number;
  worker: number;
  /** Membership (ringpop) ports of the four services, in the order above. */
  membership: [number, number, number, number];
  postgres: number;
}

export const NAMESPACE = 'default';
/** Four services in one process, each with its pools, plus our processes: PostgreSQL's default 100 is too few. */
const POSTGRES_CONNECTIONS = 300;

export interface TemporalOnPostgres {
  /** gRPC address of the frontend. */
  address: string;
  /** The app database on the same PostgreSQL. */
  appDbUrl: string;
  configFile: string;
  server: DevServer;
  /** PostgreSQL's postmaster, which holds both Temporal databases and the app database. */
  databasePid(): number;
  /** Stops the server process and starts it again on the same databases. */
  restartServer(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTemporalOnPostgres(dir: string, ports: TemporalPorts): Promise<TemporalOnPostgres> {
  const logs = path.join(dir, 'logs');
  mkdirSync(logs, { recursive: true });
  const serverBinary = ensureBinary(TEMPORAL_SERVER);
  const sqlTool = ensureBinary(TEMPORAL_SQL_TOOL);
  const db = await startEmbeddedAppDb(dir, ports.postgres, POSTGRES_CONNECTIONS);
  const { username, password } = new URL(db.url);
  const pg = { user: decodeURIComponent(username), password: decodeURIComponent(password) };
  try {
    for (const [database, schema] of [
      ['temporal', 'postgresql/v12/temporal'],
      ['temporal_visibility', 'postgresql/v12/visibility'],
    ] as const)
      await setUpSchema(sqlTool, { ...pg, port: ports.postgres }, database, schema, path.join(logs, 'schema.log'));
  } catch (err) {
    await db.stop();
    throw err;
  }

  const dynamicConfigFile = path.join(dir, 'dynamic-config.yaml');
  writeFileSync(
    dynamicConfigFile,
    stringify({
      // The watchdog's signal (docs/crash-safety.md), as the dev server gets it from npm start.
      [TASK_PROBLEM_THRESHOLD_KEY]: [{ value: 2 }],
      'system.forceSearchAttributesCacheRefreshOnRead': [{ value: true }],
    }),
  );
  const configFile = path.join(dir, 'temporal-server.yaml');
  writeFileSync(configFile, stringify(serverConfig(ports, pg, dynamicConfigFile)));
  const address = `127.0.0.1:${ports.frontend}`;
  const boot = async (): Promise<DevServer> => {
    const server = spawnServer(serverBinary, configFile, path.join(logs, 'temporal-server.log'), address);
    try {
      await namespaceReady(address, server.exited);
      return server;
    } catch (err) {
      await server.stop();
      throw err;
    }
  };
  let server: DevServer;
  try {
    server = await boot();
  } catch (err) {
    await db.stop();
    throw err;
  }
  const running: TemporalOnPostgres = {
    address,
    appDbUrl: db.url,
    configFile,
    server,
    databasePid: () => db.pid(),
    async restartServer() {
      await running.server.stop();
      running.server = await boot();
    },
    async stop() {
      await running.server.stop();
      await db.stop();
    },
  };
  return running;
}

/** One process with all four services; persistence and visibility on PostgreSQL. */
function serverConfig(
  ports: TemporalPorts,
  pg: { user: string; password: string },
  dynamicConfigFile: string,
): Record<string, unknown> {
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `127.0.0.1:${ports.postgres}`,
      connectProtocol: 'tcp',
      user: pg.user,
      password: pg.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const service = (grpcPort: number, membershipPort: number, extra: Record<string, unknown> = {}) => ({
    rpc: { grpcPort, membershipPort, bindOnLocalHost: true, ...extra },
  });
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: 4,
      datastores: {
        'postgres-default': store('temporal', 20),
        'postgres-visibility': store('temporal_visibility', 10),
      },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: {
      frontend: service(ports.frontend, ports.membership[0], { httpPort: ports.frontendHttp }),
      history: service(ports.history, ports.membership[1]),
      matching: service(ports.matching, ports.membership[2]),
      worker: service(ports.worker, ports.membership[3]),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `localhost:${ports.frontend}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '10s' },
  };
}

/** Temporal's own schema tool: the database, its base schema, then every versioned step; safe to run again. */
async function setUpSchema(
  tool: string,
  pg: { user: string; password: string; port: number },
  database: string,
  schema: string,
  logFile: string,
): Promise<void> {
  const connection = ['--plugin', 'postgres12', '--ep', '127.0.0.1', '-p', String(pg.port), '-u', pg.user];
  const run = (args: string[], tolerate?: RegExp) =>
    new Promise<void>((resolve, reject) => {
      // The password through the environment, not the command line others can read in `ps`.
      const child = spawn(tool, [...connection, '--db', database, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, SQL_PASSWORD: pg.password },
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.once('exit', (code) => {
        writeFileSync(logFile, `$ temporal-sql-tool ${args.join(' ')} (${database})\n${output}\n`, { flag: 'a' });
        if (code === 0 || tolerate?.test(output)) resolve();
        else reject(new Error(`temporal-sql-tool ${args[0]} on ${database} failed (see ${logFile})`));
      });
    });
  await run(['create-database'], /already exists/);
  await run(['setup-schema', '-v', '0.0'], /already exists/);
  await run(['update-schema', '--schema-name', schema]);
}

function spawnServer(binary: string, configFile: string, logFile: string, address: string): DevServer {
  const log = openSync(logFile, 'a');
  // Own process group: a terminal's Ctrl-C reaches only our script, which stops parts in order.
  const child: ChildProcess = spawn(binary, ['--config-file', configFile, '--allow-no-auth', 'start'], {
    stdio: ['ignore', log, log],
    cwd: PROJECT_ROOT,
    detached: true,
  });
  closeSync(log);
  const exited = new Promise<ExitInfo>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const killOnExit = () => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.removeListener('exit', killOnExit));
  return {
    pid: child.pid!,
    address,
    exited,
    stop: (graceMs = 30_000) => stopChild(child, exited, graceMs),
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
}

/** Until the frontend answers; then the namespace (30 days' retention) and our search attributes, if missing. */
async function namespaceReady(address: string, exited: Promise<ExitInfo>): Promise<void> {
  let ended = false;
  void exited.then(() => (ended = true));
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (ended) throw new Error('the Temporal server exited during startup (see its log)');
    if (Date.now() > deadline) throw new Error(`the Temporal server at ${address} did not answer within 120 s`);
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: '2s' });
      const c = connection;
      await c.workflowService.describeNamespace({ namespace: NAMESPACE }).catch(async (err: unknown) => {
        if (!/not found/i.test((err as Error).message)) throw err;
        await c.workflowService.registerNamespace({
          namespace: NAMESPACE,
          workflowExecutionRetentionPeriod: { seconds: Long.fromNumber(30 * 24 * 3600) },
        });
      });
      await ensureSearchAttributes(c, NAMESPACE, SEARCH_ATTRIBUTE_FLAGS);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      await connection?.close();
    }
  }
}
