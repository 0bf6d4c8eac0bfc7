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
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseEnvironment } from '../infra/config';
import { ensureKeyFile } from '../infra/key-ring';
import { ensureTokenFile } from '../codec-server/settings';
import { assertPortFree, stopChild, type ExitInfo } from './dev-server';
import { ensureUiServer, PROJECT_ROOT } from './temporal-binaries';
import { NAMESPACE, startTemporalOnPostgres, type TemporalPorts } from './temporal-on-postgres';
import { startUiServer, stopLeftoverUiServer, type UiServer } from './ui-server';

const ClusterSettings = z.object({
  /** Everything the cluster keeps: PostgreSQL's files, keys, secrets, logs. */
  REFERRALS_CLUSTER_DIR: z.string().min(1).default(path.join(PROJECT_ROOT, '.cluster')),
  REFERRALS_CLUSTER_WORKERS: z.coerce.number().int().min(1).max(8).default(3),
});

/** npm start's ports for what people open (so the README's addresses hold); stop npm start first. */
const PEOPLE_PORTS = { ui: 8233, codec: 8234, web: 8235 };
const TEMPORAL_PORTS: TemporalPorts = {
  frontend: 7233,
  frontendHttp: 7243,
  history: 7234,
  matching: 7235,
  worker: 7239,
  membership: [6933, 6934, 6935, 6939],
  postgres: 8237,
};

interface Part {
  name: string;
  stop(): Promise<unknown>;
}

async function main(): Promise<void> {
  const settings = parseEnvironment(ClusterSettings, process.env);
  const dir = path.resolve(settings.REFERRALS_CLUSTER_DIR);
  const logs = path.join(dir, 'logs');
  mkdirSync(logs, { recursive: true });
  const { membership, ...named } = TEMPORAL_PORTS;
  for (const [name, port] of Object.entries({ ...PEOPLE_PORTS, ...named }))
    await assertPortFree('127.0.0.1', port, `the cluster's ${name} port`);
  for (const port of membership) await assertPortFree('127.0.0.1', port, "the Temporal server's membership port");

  say(
    'Building or finding the Temporal server, its schema tool and the UI server (Go; the first build takes minutes) ...',
  );
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
    const temporal = await startTemporalOnPostgres(dir, TEMPORAL_PORTS);
    parts.push({ name: 'the Temporal server and PostgreSQL', stop: () => temporal.stop() });
    const address = temporal.address;

    const uiDir = path.join(dir, 'temporal-ui');
    await stopLeftoverUiServer(uiDir);
    const ui: UiServer = await startUiServer({
      binary: uiBinary,
      temporalAddress: address,
      ip: '127.0.0.1',
      port: PEOPLE_PORTS.ui,
      namespace: NAMESPACE,
      codecEndpoint: `http://localhost:${PEOPLE_PORTS.codec}`,
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
      TEMPORAL_UI_URL: `http://localhost:${PEOPLE_PORTS.ui}`,
      REFERRALS_DATA_DIR: dataDir,
      APP_DATABASE_URL: temporal.appDbUrl,
      REFERRALS_CODEC_SERVER_PORT: String(PEOPLE_PORTS.codec),
      REFERRALS_WEB_PORT: String(PEOPLE_PORTS.web),
    };
    // Node itself with tsx's loader (as docker-compose.yml runs them), so a signal reaches the app, not a wrapper.
    const tsx = (name: string, script: string) =>
      spawnLogged(name, process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, script)], logs, appEnv);
    parts.push(tsx('codec server', 'codec-server/main.ts'));
    parts.push(tsx('web app', 'web/main.ts'));
    await answers(`http://127.0.0.1:${PEOPLE_PORTS.web}/health`, 60_000);
    for (let i = 1; i <= settings.REFERRALS_CLUSTER_WORKERS; i++) parts.push(tsx(`worker ${i}`, 'worker/main.ts'));

    const rows: [string, string][] = [
      ['Temporal server (gRPC)', `${address}, config ${temporal.configFile}`],
      [
        'PostgreSQL',
        `127.0.0.1:${TEMPORAL_PORTS.postgres}: temporal, temporal_visibility, referrals; files in ${path.join(dir, 'app-pg')}`,
      ],
      ['Temporal UI', ui.url],
      ['Codec server', `http://localhost:${PEOPLE_PORTS.codec}`],
      [
        'Web app',
        `http://localhost:${PEOPLE_PORTS.web}, accounts in ${path.join(dataDir, 'web-accounts.json.passwords')}`,
      ],
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

function spawnLogged(
  name: string,
  command: string,
  args: string[],
  logs: string,
  env: NodeJS.ProcessEnv = process.env,
): Part {
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
  return { name, stop: () => stopChild(child, exited, 30_000) };
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
