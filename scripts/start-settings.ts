/**
 * Settings of `npm start` beyond the runtime configuration: where the embedded dev server listens,
 * or whether to start one at all. Validated at the edge; errors name the variable.
 */
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, parseEnvironment, type RuntimeConfig } from '../infra/config';
import type { DevServerPlacement } from './dev-server';

const port = z.coerce.number().int().min(1).max(65535);
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const StartSettings = z.object({
  /** false: TEMPORAL_ADDRESS names a cluster or Temporal Cloud; start only the worker. */
  REFERRALS_EMBEDDED_SERVER: flag.default(true),
  TEMPORAL_DEV_IP: z.ipv4().default('127.0.0.1'),
  TEMPORAL_DEV_PORT: port.default(7233),
  TEMPORAL_DEV_UI_PORT: port.default(8233),
  /** The embedded app database (PostgreSQL, loopback only), when APP_DATABASE_URL is not set. */
  REFERRALS_APP_DB_PORT: port.default(8236),
});
export type StartSettings = z.infer<typeof StartSettings>;

export function loadStartSettings(env: NodeJS.ProcessEnv = process.env): StartSettings {
  const settings = parseEnvironment(StartSettings, env);
  if (settings.REFERRALS_EMBEDDED_SERVER && settings.TEMPORAL_DEV_PORT === settings.TEMPORAL_DEV_UI_PORT) {
    throw new ConfigError('Invalid configuration:\n  TEMPORAL_DEV_UI_PORT: must differ from TEMPORAL_DEV_PORT');
  }
  return settings;
}

/** What the embedded dev server needs, derived from both sets of settings. */
export type EmbeddedServerPlan = Required<DevServerPlacement>;

export function embeddedServerPlan(config: RuntimeConfig, settings: StartSettings): EmbeddedServerPlan {
  return {
    ip: settings.TEMPORAL_DEV_IP,
    port: settings.TEMPORAL_DEV_PORT,
    uiPort: settings.TEMPORAL_DEV_UI_PORT,
    namespace: config.TEMPORAL_NAMESPACE,
    dbFile: path.join(config.REFERRALS_DATA_DIR, 'temporal.sqlite'),
    logFile: path.join(config.REFERRALS_DATA_DIR, 'temporal-server.log'),
    pidFile: path.join(config.REFERRALS_DATA_DIR, 'temporal-server.pid'),
  };
}

/**
 * The runtime configuration the worker gets when the dev server is embedded: it must reach that
 * server, and escalation links must point at its UI. An explicit TEMPORAL_ADDRESS elsewhere, or TLS,
 * means the operator wanted a real cluster, so we refuse rather than guess.
 */
export function configForEmbeddedServer(
  config: RuntimeConfig,
  plan: EmbeddedServerPlan,
  env: NodeJS.ProcessEnv = process.env,
): RuntimeConfig {
  const reachableHost = plan.ip === '0.0.0.0' ? '127.0.0.1' : plan.ip;
  const address = `${reachableHost}:${plan.port}`;
  if (env.TEMPORAL_ADDRESS && !isSameLocalAddress(env.TEMPORAL_ADDRESS, plan)) {
    throw new ConfigError(
      `TEMPORAL_ADDRESS=${env.TEMPORAL_ADDRESS} but the embedded dev server listens on ${address} (TEMPORAL_DEV_IP, TEMPORAL_DEV_PORT).\n` +
        '  Set REFERRALS_EMBEDDED_SERVER=false to use that server instead, or unset TEMPORAL_ADDRESS.',
    );
  }
  if (config.TEMPORAL_TLS || config.TEMPORAL_API_KEY || config.TEMPORAL_TLS_CERT_PATH) {
    throw new ConfigError(
      'TEMPORAL_TLS, TEMPORAL_TLS_CERT_PATH or TEMPORAL_API_KEY is set, but the embedded dev server speaks plain gRPC.\n' +
        '  Set REFERRALS_EMBEDDED_SERVER=false to connect to a secured cluster or Temporal Cloud.',
    );
  }
  return {
    ...config,
    TEMPORAL_ADDRESS: address,
    TEMPORAL_UI_URL: env.TEMPORAL_UI_URL ? config.TEMPORAL_UI_URL : `http://${browserHost(plan.ip)}:${plan.uiPort}`,
  };
}

function browserHost(ip: string): string {
  return ip === '0.0.0.0' || ip === '127.0.0.1' ? 'localhost' : ip;
}

function isSameLocalAddress(address: string, plan: EmbeddedServerPlan): boolean {
  const [host, portText] = address.split(':');
  const local = ['localhost', '127.0.0.1', plan.ip];
  return Number(portText) === plan.port && local.includes(host ?? '');
}
