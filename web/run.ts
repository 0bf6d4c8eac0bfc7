/** Starts the web app from the runtime configuration, beside the worker or on its own. */
import { appendFileSync } from 'node:fs';
import type pino from 'pino';
import { PartnerLinks } from '../activities/partner-links';
import { openServices } from '../client/services';
import { openAccountings } from '../client/disclosure-accounting';
import { appDbUrl, openAppDb } from '../infra/app-db/open-app-db';
import { ApiTokenStore, StaffSessionStore } from '../infra/app-db/staff-credentials';
import { MemberIndex } from '../infra/app-db/member-index';
import type { RuntimeConfig } from '../infra/config';
import { loadDirectory, loadPolicy } from '../infra/config-files';
import { webAccountsFile, webKeys, webSecret, type WebSettings } from '../infra/web-settings';
import { ensureAccountsFile, StaffAccounts } from './accounts';
import { buildWebApp } from './app';
import { openReports } from '../client/reports/open-reports';
import { Sessions } from './session';
import { oidcSettings } from './oidc-sign-in';
import { twilioWebhookDeps } from '../client/webhooks/twilio-webhook-deps';
import { staffTransferUrl } from '../domain/links';
import { loadChannelConfig } from '../infra/channel-config';
import { openWorkerChannels, type WorkerChannels } from '../worker/channels';

export interface RunningWebApp {
  url: string;
  /** Set when this start created the embedded default accounts: where their passwords are. */
  passwordsFile: string | null;
  close(): Promise<void>;
}

export async function startWebApp(
  config: RuntimeConfig,
  settings: WebSettings,
  logger: pino.Logger,
  /** Benchmarks only: other per-address limits (web/app.ts). */
  rateLimits: { 'sign-in'?: number } = {},
): Promise<RunningWebApp> {
  const oidc = oidcSettings(settings);
  const keys = webKeys(webSecret(settings, config.REFERRALS_DATA_DIR));
  const accountsFile = webAccountsFile(settings, config.REFERRALS_DATA_DIR);
  // Only the embedded default creates accounts; a configured file must already exist.
  const passwordsFile = settings.REFERRALS_WEB_ACCOUNTS_FILE ? null : ensureAccountsFile(accountsFile);
  const { transfers: service, clocks, close, temporal } = openServices(config, { logger });
  const directory = loadDirectory(config.REFERRALS_DIRECTORY_FILE);
  const channelConfig = loadChannelConfig();
  // Member replies need the app database (opt-outs) and a courier (tasks for case managers).
  let channels: WorkerChannels | undefined;
  if (channelConfig.TWILIO_AUTH_TOKEN)
    channels = await openWorkerChannels(config.REFERRALS_DATA_DIR, logger, channelConfig);
  const twilioWebhooks =
    channels &&
    twilioWebhookDeps(channelConfig, {
      db: channels.db,
      courier: channels.outbox,
      directory,
      temporal,
      logger,
      transferPageUrl: (referralId) => staffTransferUrl(settings.REFERRALS_WEB_PUBLIC_URL, referralId),
    });
  // The app database: sessions and API tokens, the accounting of disclosures and the reports.
  const db = await openAppDb(appDbUrl(channelConfig.APP_DATABASE_URL, config.REFERRALS_DATA_DIR));
  const accountings = openAccountings(config, db);
  const reports = openReports(config, () => ({ transfers: service, clocks }), db);
  const secureCookies = settings.REFERRALS_WEB_PUBLIC_URL.startsWith('https:');
  const tokens = new ApiTokenStore(db);
  // The embedded default's first start also gives the intake account a CLI token, beside its password.
  if (passwordsFile) {
    const { token } = await tokens.issue({ userId: 'intake', role: 'intake' }, 'first start', 'npm start');
    appendFileSync(passwordsFile, `intake API token (CLI, REFERRALS_API_TOKEN): ${token}\n`);
  }
  const sessions = new Sessions(new StaffSessionStore(db), tokens, settings.REFERRALS_WEB_SESSION_HOURS, secureCookies);
  const app = await buildWebApp(
    {
      service,
      clocks,
      accountings,
      reports,
      directory,
      ...(twilioWebhooks ? { twilioWebhooks } : {}),
      accounts: StaffAccounts.fromFile(accountsFile),
      ...(oidc ? { oidc } : {}),
      sessions,
      members: new MemberIndex(db),
      keys,
      secureCookies,
      partnerLinks: new PartnerLinks(
        keys.partnerLink,
        settings.REFERRALS_WEB_PUBLIC_URL,
        settings.REFERRALS_PARTNER_LINK_HOURS,
      ),
      timeZone: loadPolicy(config.REFERRALS_POLICY_FILE).calendar.timeZone,
      temporalUiUrl: config.TEMPORAL_UI_URL,
      namespace: config.TEMPORAL_NAMESPACE,
      logger,
    },
    { rateLimits: { staff: settings.REFERRALS_WEB_STAFF_REQUESTS_PER_MINUTE, ...rateLimits } },
  );
  const address = await app.listen({ host: settings.REFERRALS_WEB_IP, port: settings.REFERRALS_WEB_PORT });
  const port = new URL(address).port;
  const host = ['127.0.0.1', '0.0.0.0'].includes(settings.REFERRALS_WEB_IP) ? 'localhost' : settings.REFERRALS_WEB_IP;
  return {
    url: `http://${host}:${port}`,
    passwordsFile,
    async close() {
      await app.close();
      await close();
      await db.destroy();
      await channels?.close();
    },
  };
}
