/**
 * `npm run cluster`: the production topology on this machine, without Docker (docs/running.md).
 * PostgreSQL (the project's embedded one) holds the Temporal server's persistence and visibility
 * and the app database; the Temporal server itself (not the dev server) and its schema tool are
 * built from the Go module proxy on first use and the schema set up with that tool; the Temporal
 * UI server, the codec server, the web app and several workers on the task queue run beside it,
 * each its own process. It prints where each part listens; Ctrl-C stops the workers first, then
 * the rest in reverse order. The same versions as docker-compose.yml.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import Long from 'long';
import { stringify } from 'yaml';
import { z } from 'zod';
import { SEARCH_ATTRIBUTE_FLAGS } from '../domain/search-attributes';
import { startEmbeddedAppDb, type EmbeddedAppDb } from '../infra/app-db/embedded-server';
import { parseEnvironment } from '../infra/config';
import { ensureKeyFile } from '../infra/key-ring';
import { ensureTokenFile } from '../codec-server/settings';
import {
  assertPortFree,
  ensureSearchAttributes,
  stopChild,
  TASK_PROBLEM_THRESHOLD_KEY,
  type ExitInfo,
} from './dev-server';
import { ensureBinary, ensureUiServer, PROJECT_ROOT, TEMPORAL_SERVER, TEMPORAL_SQL_TOOL } from './temporal-binaries';
import { startUiServer, stopLeftoverUiServer, type UiServer } from './ui-server';

const ClusterSettings = z.object({
  /** Everything the cluster keeps: PostgreSQL's files, keys, secrets, logs. */
  REFERRALS_CLUSTER_DIR: z.string().min(1).default(path.join(PROJECT_ROOT, '.cluster')),
  REFERRALS_CLUSTER_WORKERS: z.coerce.number().int().min(1).max(8).default(3),
});

/** npm start's ports for what people open (so the README's addresses hold); stop npm start first. */
const PORTS = { frontend: 7233, frontendHttp: 7243, ui: 8233, codec: 8234, web: 8235, postgres: 8237 };
const NAMESPACE = 'default';
/** Four services in one process, each with its pools, plus five app processes: PostgreSQL's default 100 is too few. */
const POSTGRES_CONNECTIONS = 300;

interface Part {
  name: string;
  stop(): Promise<unknown>;
}

async function main(): Promise<void> {
  const settings = parseEnvironment(ClusterSettings, process.env);
  const dir = path.resolve(settings.REFERRALS_CLUSTER_DIR);
  const logs = path.join(dir, 'logs');
  mkdirSync(logs, { recursive: true });
  for (const [name, port] of Object.entries(PORTS))
    await assertPortFree('127.0.0.1', port, `the cluster's ${name} port`);

  say(
    'Building or finding the Temporal server, its schema tool and the UI server (Go; the first build takes minutes) ...',
  );
  const serverBinary = ensureBinary(TEMPORAL_SERVER);
  const sqlTool = ensureBinary(TEMPORAL_SQL_TOOL);
  const uiBinary = ensureUiServer();

  const parts: Part[] = [];
  const stopAll = async () => {
    for (const part of parts.reverse()) {
      say(`stopping ${part.name}`);
      await part.stop().catch((err: unknown) => say(`  ${part.name}: ${(err as Error).message}`));
    }
  };
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void stopAll().then(() => process.exit(0));
    });

  try {
    const db: EmbeddedAppDb = await startEmbeddedAppDb(dir, PORTS.postgres, POSTGRES_CONNECTIONS);
    parts.push({ name: 'PostgreSQL', stop: () => db.stop() });
    const { username, password } = new URL(db.url);
    const pg = { user: decodeURIComponent(username), password: decodeURIComponent(password) };

    for (const [database, schema] of [
      ['temporal', 'postgresql/v12/temporal'],
      ['temporal_visibility', 'postgresql/v12/visibility'],
    ] as const)
      await setUpSchema(sqlTool, pg, database, schema, path.join(logs, 'schema.log'));

    const configFile = path.join(dir, 'temporal-server.yaml');
    writeFileSync(configFile, stringify(serverConfig(pg, path.join(dir, 'dynamic-config.yaml'))));
    writeFileSync(
      path.join(dir, 'dynamic-config.yaml'),
      stringify({
        [TASK_PROBLEM_THRESHOLD_KEY]: [{ value: 2 }],
        'system.forceSearchAttributesCacheRefreshOnRead': [{ value: true }],
      }),
    );
    const server = spawnLogged(
      'Temporal server',
      serverBinary,
      ['--config-file', configFile, '--allow-no-auth', 'start'],
      logs,
    );
    parts.push(server);
    const address = `127.0.0.1:${PORTS.frontend}`;
    await namespaceReady(address, server.exited);

    const uiDir = path.join(dir, 'temporal-ui');
    await stopLeftoverUiServer(uiDir);
    const ui: UiServer = await startUiServer({
      binary: uiBinary,
      temporalAddress: address,
      ip: '127.0.0.1',
      port: PORTS.ui,
      namespace: NAMESPACE,
      codecEndpoint: `http://localhost:${PORTS.codec}`,
      dir: uiDir,
    });
    parts.push({ name: 'Temporal UI server', stop: () => ui.stop() });

    const dataDir = path.join(dir, 'data');
    ensureKeyFile(path.join(dataDir, 'codec-keys.json'));
    ensureTokenFile(path.join(dataDir, 'codec-server-token'));
    const appEnv = {
      ...process.env,
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: NAMESPACE,
      TEMPORAL_UI_URL: `http://localhost:${PORTS.ui}`,
      REFERRALS_DATA_DIR: dataDir,
      APP_DATABASE_URL: db.url,
      REFERRALS_CODEC_SERVER_PORT: String(PORTS.codec),
      REFERRALS_WEB_PORT: String(PORTS.web),
    };
    // Node itself with tsx's loader (as docker-compose.yml runs them), so a signal reaches the app, not a wrapper.
    const tsx = (name: string, script: string) =>
      spawnLogged(name, process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, script)], logs, appEnv);
    parts.push(tsx('codec server', 'codec-server/main.ts'));
    parts.push(tsx('web app', 'web/main.ts'));
    await answers(`http://127.0.0.1:${PORTS.web}/health`, 60_000);
    for (let i = 1; i <= settings.REFERRALS_CLUSTER_WORKERS; i++) parts.push(tsx(`worker ${i}`, 'worker/main.ts'));

    const rows: [string, string][] = [
      ['Temporal server (gRPC)', `${address}, config ${configFile}`],
      [
        'PostgreSQL',
        `127.0.0.1:${PORTS.postgres}: temporal, temporal_visibility, referrals; files in ${path.join(dir, 'app-pg')}`,
      ],
      ['Temporal UI', ui.url],
      ['Codec server', `http://localhost:${PORTS.codec}`],
      ['Web app', `http://localhost:${PORTS.web}, accounts in ${path.join(dataDir, 'web-accounts.json.passwords')}`],
      ['Workers', `${settings.REFERRALS_CLUSTER_WORKERS} on task queue referrals`],
      ['Logs', logs],
    ];
    const width = Math.max(...rows.map(([label]) => label.length)) + 2;
    say(
      `\n${rows.map(([l, v]) => `  ${l.padEnd(width)}${v}`).join('\n')}\n\nReady. Ctrl-C stops the workers, then the rest.\n`,
    );
  } catch (err) {
    say(`cluster failed to start: ${(err as Error).message}`);
    await stopAll();
    process.exit(1);
  }
}

const say = (line: string) => process.stdout.write(`${line}\n`);

/** The server's configuration: one process with all four services, persistence and visibility on PostgreSQL. */
function serverConfig(pg: { user: string; password: string }, dynamicConfigFile: string): Record<string, unknown> {
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `127.0.0.1:${PORTS.postgres}`,
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
      frontend: service(PORTS.frontend, 6933, { httpPort: PORTS.frontendHttp }),
      history: service(7234, 6934),
      matching: service(7235, 6935),
      worker: service(7239, 6939),
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
          rpcAddress: `localhost:${PORTS.frontend}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    dynamicConfigClient: { filepath: dynamicConfigFile, pollInterval: '10s' },
  };
}

/** Temporal's own schema tool: the database, its base schema, then every versioned step (idempotent). */
async function setUpSchema(
  tool: string,
  pg: { user: string; password: string },
  database: string,
  schema: string,
  logFile: string,
): Promise<void> {
  const common = [
    '--plugin',
    'postgres12',
    '--ep',
    '127.0.0.1',
    '-p',
    String(PORTS.postgres),
    '-u',
    pg.user,
    '--pw',
    pg.password,
  ];
  const run = (args: string[], tolerate?: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const log = openSync(logFile, 'a');
      const child = spawn(tool, [...common, '--db', database, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.once('exit', (code) => {
        writeFileSync(log, `$ sql ${args.join(' ')} (${database})\n${output}\n`);
        closeSync(log);
        if (code === 0 || tolerate?.test(output)) resolve();
        else reject(new Error(`temporal-sql-tool ${args[0]} on ${database} failed (see ${logFile})`));
      });
    });
  await run(['create-database'], /already exists/);
  await run(['setup-schema', '-v', '0.0'], /already exists/);
  await run(['update-schema', '--schema-name', schema]);
}

function spawnLogged(
  name: string,
  command: string,
  args: string[],
  logs: string,
  env: NodeJS.ProcessEnv = process.env,
): Part & { exited: Promise<ExitInfo> } {
  const log = openSync(path.join(logs, `${name.replace(/\s+/g, '-')}.log`), 'a');
  // Own process group: Ctrl-C reaches only this script, which stops the parts in order.
  const child: ChildProcess = spawn(command, args, {
    stdio: ['ignore', log, log],
    env,
    cwd: PROJECT_ROOT,
    detached: true,
  });
  closeSync(log);
  const exited = new Promise<ExitInfo>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  process.once('exit', () => child.exitCode === null && child.kill('SIGKILL'));
  return { name, exited, stop: () => stopChild(child, exited, 30_000) };
}

/** Until the frontend answers, then registers the namespace and our search attributes if missing. */
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
      await connection.workflowService.describeNamespace({ namespace: NAMESPACE }).catch(async (err: unknown) => {
        if (!/not found/i.test((err as Error).message)) throw err;
        await connection!.workflowService.registerNamespace({
          namespace: NAMESPACE,
          workflowExecutionRetentionPeriod: { seconds: Long.fromNumber(30 * 24 * 3600) },
        });
      });
      await ensureSearchAttributes(connection, NAMESPACE, SEARCH_ATTRIBUTE_FLAGS);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      await connection?.close();
    }
  }
}

async function answers(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

void main();
