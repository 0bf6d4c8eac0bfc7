/**
 * The worker's channels: the app database (APP_DATABASE_URL, else the embedded PostgreSQL that
 * `npm start` runs for the data folder), SMTP email and Twilio SMS when configured, and
 * otherwise the local catchers a person can read: `<data>/mailbox/*.eml` and `<data>/sms/*.json`.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import { createEmailChannel } from '../activities/channels/email-channel';
import { createSmsChannel } from '../activities/channels/sms-channel';
import { ChannelCourier, type Courier } from '../activities/courier';
import { DbDisclosureLog, type DisclosureLog } from '../activities/disclosure-log';
import { MemberContacts } from '../infra/app-db/member-contacts';
import { appDbUrl, openAppDb, type AppDb } from '../infra/app-db/open-app-db';
import { SendLedger } from '../infra/app-db/send-ledger';
import { loadChannelConfig, type ChannelConfig } from '../infra/channel-config';

export interface WorkerChannels {
  outbox: Courier;
  disclosures: DisclosureLog;
  db: AppDb;
  close(): Promise<void>;
}

/** Where the catchers write when a channel is not configured (printed by `npm start`). */
function catcherFolders(dataDir: string) {
  return { mailbox: path.join(dataDir, 'mailbox'), sms: path.join(dataDir, 'sms') };
}

export async function openWorkerChannels(
  dataDir: string,
  logger: Logger,
  channelConfig: ChannelConfig = loadChannelConfig(),
): Promise<WorkerChannels> {
  const db = await openAppDb(appDbUrl(channelConfig.APP_DATABASE_URL, dataDir));
  const folders = catcherFolders(dataDir);
  const email = createEmailChannel(channelConfig, folders.mailbox);
  const sms = createSmsChannel(channelConfig, folders.sms);
  logger.info(
    {
      emailChannel: channelConfig.SMTP_HOST ? 'smtp' : 'mailbox-folder',
      smsChannel: channelConfig.TWILIO_ACCOUNT_SID ? 'twilio' : 'sms-folder',
      appDb: channelConfig.APP_DATABASE_URL ? 'configured' : 'embedded',
    },
    'channels',
  );
  return {
    outbox: new ChannelCourier({ ledger: new SendLedger(db), contacts: new MemberContacts(db), email, sms, logger }),
    disclosures: new DbDisclosureLog(db),
    db,
    async close() {
      email.close();
      await db.destroy();
    },
  };
}

/** What `npm start` prints about the channels: where messages go, and where to read them. */
export function channelSummary(
  dataDir: string,
  channelConfig: ChannelConfig = loadChannelConfig(),
): [string, string][] {
  const folders = catcherFolders(dataDir);
  return [
    [
      'Email',
      channelConfig.SMTP_HOST
        ? `SMTP ${channelConfig.SMTP_HOST}:${channelConfig.SMTP_PORT}`
        : `${folders.mailbox} (.eml files, open in any mail program)`,
    ],
    ['SMS', channelConfig.TWILIO_ACCOUNT_SID ? 'Twilio' : `${folders.sms} (one .json file per text)`],
  ];
}
