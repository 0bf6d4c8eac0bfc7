/** Starts the codec server from the runtime configuration: the same key ring as the worker. */
import type pino from 'pino';
import { appDbUrl, openAppDb } from '../infra/app-db/open-app-db';
import { StaffSessionStore } from '../infra/app-db/staff-credentials';
import { loadChannelConfig } from '../infra/channel-config';
import { ConfigError, type RuntimeConfig } from '../infra/config';
import { referralsPayloadCodec } from '../infra/data-converter';
import { loadKeyRing } from '../infra/key-ring';
import { loadWebSettings, webKeys, webSecret } from '../infra/web-settings';
import { buildCodecServer } from './app';
import { codecServerToken, type CodecServerSettings } from './settings';

export interface RunningCodecServer {
  /** What the Temporal UI's codec endpoint is set to. */
  url: string;
  close(): Promise<void>;
}

export async function startCodecServer(
  config: RuntimeConfig,
  settings: CodecServerSettings,
  logger: pino.Logger,
): Promise<RunningCodecServer> {
  const webSessionsDb = await openWebSessionsDb(config, logger);
  const app = await buildCodecServer({
    codec: referralsPayloadCodec(loadKeyRing(config), logger),
    token: codecServerToken(settings, config.REFERRALS_DATA_DIR),
    ...(webSessionsDb
      ? {
          webSessions: {
            key: webKeys(webSecret(loadWebSettings(), config.REFERRALS_DATA_DIR)).session,
            store: new StaffSessionStore(webSessionsDb),
          },
        }
      : {}),
    uiOrigins: settings.REFERRALS_CODEC_SERVER_UI_ORIGINS ?? uiOriginsFor(config.TEMPORAL_UI_URL),
    logger,
  });
  await app.listen({ host: settings.REFERRALS_CODEC_SERVER_IP, port: settings.REFERRALS_CODEC_SERVER_PORT });
  const host = ['127.0.0.1', '0.0.0.0'].includes(settings.REFERRALS_CODEC_SERVER_IP)
    ? 'localhost'
    : settings.REFERRALS_CODEC_SERVER_IP;
  return {
    url: `http://${host}:${settings.REFERRALS_CODEC_SERVER_PORT}`,
    async close() {
      await app.close();
      await webSessionsDb?.destroy();
    },
  };
}

/** The web app's database, where staff sessions live; without one, only the token opens the codec server. */
async function openWebSessionsDb(config: RuntimeConfig, logger: pino.Logger) {
  let url: string;
  try {
    url = appDbUrl(loadChannelConfig().APP_DATABASE_URL, config.REFERRALS_DATA_DIR);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    logger.info('no app database: web app sessions cannot open the codec server, only its token');
    return null;
  }
  return openAppDb(url);
}

/** The UI's origin; a local UI is reachable as localhost and 127.0.0.1, which browsers treat as two origins. */
export function uiOriginsFor(uiUrl: string): string[] {
  const url = new URL(uiUrl);
  if (!['localhost', '127.0.0.1'].includes(url.hostname)) return [url.origin];
  return ['localhost', '127.0.0.1'].map((h) => `${url.protocol}//${h}${url.port ? `:${url.port}` : ''}`);
}
