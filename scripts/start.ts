/**
 * `npm start`: the embedded default. Starts the app database, the codec server, the Temporal dev
 * server (SQLite file under the data folder) with the Temporal UI server beside it, the web app
 * and one worker, prints where to look, and on Ctrl-C / SIGTERM stops the worker first and then
 * the servers. With REFERRALS_EMBEDDED_SERVER=false only the worker runs,
 * against TEMPORAL_ADDRESS.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type pino from 'pino';
import { temporalUiQueryUrl } from '../domain/links';
import { SEARCH_ATTRIBUTE_FLAGS, stuckQuery } from '../domain/search-attributes';
import { ConfigError, loadRuntimeConfig, type RuntimeConfig } from '../infra/config';
import { createLogger } from '../infra/logger';
import { connectionSettings } from '../infra/temporal-connection';
import { channelSummary } from '../worker/channels';
import { createReferralsWorker } from '../worker/create-worker';
import { startCodecServer, type RunningCodecServer } from '../codec-server/run';
import {
  ensureTokenFile,
  loadCodecServerSettings,
  tokenFilePath,
  type CodecServerSettings,
} from '../codec-server/settings';
import { ensureKeyFile, keyFilePath } from '../infra/key-ring';
import { loadWebSettings } from '../infra/web-settings';
import { startWebApp, type RunningWebApp } from '../web/run';
import { embeddedAppDbDir } from '../infra/app-db/embedded-location';
import { startEmbeddedAppDb, stopLeftoverAppDb, type EmbeddedAppDb } from '../infra/app-db/embedded-server';
import { loadChannelConfig } from '../infra/channel-config';
import {
  assertNoLeftoverServer,
  assertPortFree,
  ensureSearchAttributes,
  missingSearchAttributes,
  startDevServer,
  waitUntilReady,
  type DevServer,
} from './dev-server';
import {
  configForEmbeddedServer,
  embeddedServerPlan,
  loadStartSettings,
  type EmbeddedServerPlan,
  type StartSettings,
} from './start-settings';
import { ensureTemporalCli, ensureUiServer } from './temporal-binaries';
import { startUiServer, stopLeftoverUiServer, type UiServer } from './ui-server';
import { withinMs } from '../infra/time-limit';

const WORKER_STOP_MS = 30_000;
const SERVER_STOP_MS = 10_000;

async function main(): Promise<number> {
  const config = loadRuntimeConfig();
  const settings = loadStartSettings();
  const codecSettings = loadCodecServerSettings();
  const logger = createLogger(config.LOG_LEVEL, 'start');

  const stop = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    // A terminal's Ctrl-C reaches npm, tsx and us, and they relay it too: act once.
    process.on(signal, () => {
      if (!stop.signal.aborted) logger.info({ signal }, 'stopping');
      stop.abort();
    });
  }
  const exitCode = await runStack(config, settings, codecSettings, stop.signal, logger);
  // Said explicitly because `sh -c` under npm may turn a clean Ctrl-C exit into "killed by SIGINT".
  logger.info({ exitCode }, 'npm start finished');
  return exitCode;
}

/** Server (when embedded), then worker; stops them in the reverse order. Resolves to the exit code. */
async function runStack(
  baseConfig: RuntimeConfig,
  settings: StartSettings,
  codecSettings: CodecServerSettings,
  stop: AbortSignal,
  logger: pino.Logger,
): Promise<number> {
  let server: DevServer | undefined;
  let uiServer: UiServer | undefined;
  let codecServer: RunningCodecServer | undefined;
  let web: RunningWebApp | undefined;
  let appDb: EmbeddedAppDb | undefined;
  try {
    let config = baseConfig;
    let plan: EmbeddedServerPlan | undefined;
    if (settings.REFERRALS_EMBEDDED_SERVER) {
      plan = embeddedServerPlan(baseConfig, settings);
      config = configForEmbeddedServer(baseConfig, plan);
      ensureLocalSecrets(config, codecSettings, logger);
    } else {
      await warnAboutMissingSearchAttributes(config, logger);
    }
    if (stop.aborted) return 0;

    // Before the codec server: it reads the web app's staff sessions from this database.
    if (!loadChannelConfig().APP_DATABASE_URL) {
      await stopLeftoverAppDb(config.REFERRALS_DATA_DIR);
      await assertPortFree('127.0.0.1', settings.REFERRALS_APP_DB_PORT, 'REFERRALS_APP_DB_PORT');
      appDb = await startEmbeddedAppDb(config.REFERRALS_DATA_DIR, settings.REFERRALS_APP_DB_PORT);
      process.env.APP_DATABASE_URL = appDb.url;
      logger.info({ port: settings.REFERRALS_APP_DB_PORT }, 'embedded app database started');
    }
    if (stop.aborted) return 0;

    if (plan) {
      await assertPortFree(
        codecSettings.REFERRALS_CODEC_SERVER_IP,
        codecSettings.REFERRALS_CODEC_SERVER_PORT,
        'REFERRALS_CODEC_SERVER_PORT',
      );
      codecServer = await startCodecServer(config, codecSettings, createLogger(config.LOG_LEVEL, 'codec-server'));
      const uiServerBinary = installedUiServer(logger);
      const uiDir = path.join(config.REFERRALS_DATA_DIR, 'temporal-ui');
      await stopLeftoverUiServer(uiDir);
      server = await startEmbeddedServer(
        { ...plan, codecEndpoint: codecServer.url, headless: uiServerBinary !== null },
        config,
        stop,
        logger,
      );
      if (uiServerBinary)
        uiServer = await startUiServer({
          binary: uiServerBinary,
          temporalAddress: server.address,
          ip: plan.ip,
          port: plan.uiPort,
          namespace: plan.namespace,
          codecEndpoint: codecServer.url,
          dir: uiDir,
        });
    }
    if (stop.aborted) return 0;

    const webSettings = loadWebSettings();
    await assertPortFree(webSettings.REFERRALS_WEB_IP, webSettings.REFERRALS_WEB_PORT, 'REFERRALS_WEB_PORT');
    web = await startWebApp(config, webSettings, createLogger(config.LOG_LEVEL, 'web'));
    if (web.passwordsFile)
      logger.warn(
        { file: web.passwordsFile },
        'created staff accounts for the web app; their passwords are in this file',
      );

    const { worker, close } = await createReferralsWorker(config);
    if (stop.aborted) {
      await close();
      return 0;
    }
    const running = worker.run();
    printSummary(config, plan, codecServer, web, appDb);

    const why = await Promise.race([
      new Promise<'stop'>((resolve) => stop.addEventListener('abort', () => resolve('stop'), { once: true })),
      running.then(
        () => 'worker-ended' as const,
        (err: unknown) => {
          logger.error({ err }, 'worker failed');
          return 'worker-failed' as const;
        },
      ),
      ...(server ? [server.exited.then(() => 'server-exited' as const)] : []),
      ...(uiServer ? [uiServer.exited.then(() => 'ui-server-exited' as const)] : []),
    ]);
    if (why === 'server-exited')
      logger.error({ log: plan?.logFile }, 'Temporal dev server exited unexpectedly; stopping the worker');
    if (why === 'ui-server-exited')
      logger.error(
        { log: path.join(config.REFERRALS_DATA_DIR, 'temporal-ui', 'ui-server.log') },
        'Temporal UI server exited unexpectedly; stopping the worker',
      );

    if (worker.getState() === 'RUNNING') worker.shutdown();
    const workerStopped = await settlesWithin(running, WORKER_STOP_MS);
    if (!workerStopped) logger.warn({ timeoutMs: WORKER_STOP_MS }, 'worker did not stop in time');
    else await settlesWithin(close(), 5_000);
    return why === 'stop' && workerStopped ? 0 : 1;
  } catch (err) {
    if (stop.aborted) return 0;
    throw err;
  } finally {
    await uiServer?.stop();
    if (server) {
      const exit = await server.stop(SERVER_STOP_MS);
      logger.info({ code: exit.code, signal: exit.signal }, 'Temporal dev server stopped');
    }
    await web?.close();
    await codecServer?.close();
    await appDb?.stop();
  }
}

/**
 * The embedded default keeps its payload encryption key and codec server token in the data folder,
 * created on first start (never committed: .data/ is ignored). Losing the key file loses every
 * transfer it encrypted, hence the log line saying where it is.
 */
function ensureLocalSecrets(config: RuntimeConfig, codecSettings: CodecServerSettings, logger: pino.Logger): void {
  if (!config.REFERRALS_CODEC_KEYS) {
    const file = keyFilePath(config, config.REFERRALS_DATA_DIR);
    if (ensureKeyFile(file))
      logger.warn(
        { file },
        'created a payload encryption key file for this machine; back it up (see docs/encryption.md)',
      );
  }
  if (!codecSettings.REFERRALS_CODEC_SERVER_TOKEN) {
    const file = tokenFilePath(codecSettings, config.REFERRALS_DATA_DIR);
    if (ensureTokenFile(file)) logger.info({ file }, 'created the codec server access token file');
  }
}

/**
 * The UI server when it is installed (npm install builds it with Go); otherwise the dev server's
 * embedded UI, where decoding needs a setting in each browser (docs/encryption.md).
 */
function installedUiServer(logger: pino.Logger): string | null {
  try {
    return ensureUiServer();
  } catch (err) {
    logger.warn(
      { why: (err as Error).message },
      "no Temporal UI server: using the dev server's UI, which decodes only after a setting in each browser (docs/encryption.md)",
    );
    return null;
  }
}

async function startEmbeddedServer(
  plan: EmbeddedServerPlan & { codecEndpoint: string; headless: boolean },
  config: RuntimeConfig,
  stop: AbortSignal,
  logger: pino.Logger,
): Promise<DevServer> {
  mkdirSync(config.REFERRALS_DATA_DIR, { recursive: true });
  assertNoLeftoverServer(plan.pidFile);
  await assertPortFree(plan.ip, plan.port, 'TEMPORAL_DEV_PORT');
  await assertPortFree(plan.ip, plan.uiPort, 'TEMPORAL_DEV_UI_PORT');

  // The UI decodes payloads through our codec server (docs/encryption.md).
  const server = startDevServer({ cliPath: ensureTemporalCli(), ...plan, searchAttributes: SEARCH_ATTRIBUTE_FLAGS });
  logger.info({ serverPid: server.pid, address: server.address, log: plan.logFile }, 'Temporal dev server starting');
  try {
    const connection = await waitUntilReady({
      address: server.address,
      namespace: plan.namespace,
      exited: server.exited,
      logFile: plan.logFile,
      signal: stop,
    });
    try {
      const added = await ensureSearchAttributes(connection, plan.namespace, SEARCH_ATTRIBUTE_FLAGS);
      if (added.length > 0) logger.info({ added }, 'registered search attributes missing from the data file');
    } finally {
      await connection.close();
    }
    return server;
  } catch (err) {
    await server.stop(SERVER_STOP_MS);
    throw err;
  }
}

/** A real cluster is registered by its operators (docker-compose.yml shows how); we only warn. */
async function warnAboutMissingSearchAttributes(config: RuntimeConfig, logger: pino.Logger): Promise<void> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...connectionSettings(config), connectTimeout: '10s' });
  } catch (err) {
    throw new Error(
      `Cannot reach Temporal at ${config.TEMPORAL_ADDRESS} (TEMPORAL_ADDRESS): ${(err as Error).message}`,
    );
  }
  try {
    const missing = await missingSearchAttributes(connection, config.TEMPORAL_NAMESPACE, SEARCH_ATTRIBUTE_FLAGS);
    if (missing.length > 0) {
      logger.warn(
        { missing, namespace: config.TEMPORAL_NAMESPACE },
        'search attributes missing: register them (temporal operator search-attribute create) before starting transfers',
      );
    }
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'could not list search attributes; check they are registered');
  } finally {
    await connection.close();
  }
}

function printSummary(
  config: RuntimeConfig,
  plan: EmbeddedServerPlan | undefined,
  codecServer: RunningCodecServer | undefined,
  web: RunningWebApp | undefined,
  appDb: EmbeddedAppDb | undefined,
): void {
  const ui = config.TEMPORAL_UI_URL.replace(/\/+$/, '');
  const query = stuckQuery(new Date());
  const rows: [string, string][] = [
    ['Temporal gRPC', config.TEMPORAL_ADDRESS],
    ['Temporal UI', ui],
    ['Namespace', config.TEMPORAL_NAMESPACE],
    ['Task queue', config.REFERRALS_TASK_QUEUE],
    ...(plan
      ? ([
          ['Data file', plan.dbFile],
          ['Server log', plan.logFile],
        ] as [string, string][])
      : []),
    ...(codecServer
      ? ([
          ['Codec server', codecServer.url],
          ['Codec sign-in', `${codecServer.url}/sign-in`],
        ] as [string, string][])
      : []),
    ...(web ? ([['Web app', web.url]] as [string, string][]) : []),
    ...channelSummary(config.REFERRALS_DATA_DIR),
    [
      'App database',
      appDb
        ? `embedded PostgreSQL on ${new URL(appDb.url).host}, files in ${embeddedAppDbDir(config.REFERRALS_DATA_DIR)}`
        : 'PostgreSQL (APP_DATABASE_URL)',
    ],
    ['Stuck query', query],
    ['Stuck transfers', temporalUiQueryUrl(ui, config.TEMPORAL_NAMESPACE, query)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const table = rows.map(([label, value]) => `  ${label.padEnd(width)}${value}`).join('\n');
  const stops = plan ? 'the worker, then the server' : 'the worker';
  process.stdout.write(`\n${table}\n\nReady. Ctrl-C stops ${stops}.\n\n`);
}

function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return withinMs(
    ms,
    promise.then(
      () => true,
      () => true,
    ),
  ).catch(() => false);
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // Our errors read as instructions; the stack helps only when debugging.
    const debug = ['debug', 'trace'].includes(process.env.LOG_LEVEL ?? '') && !(err instanceof ConfigError);
    process.stderr.write(`${err instanceof Error ? (debug ? err.stack : err.message) : String(err)}\n`);
    process.exit(1);
  },
);
