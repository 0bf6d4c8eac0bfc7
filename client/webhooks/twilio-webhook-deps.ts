/** Builds the Twilio webhook handlers' dependencies from configuration, for whichever HTTP server mounts them. */
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Directory } from '../../domain/directory';
import { MemberContacts } from '../../infra/app-db/member-contacts';
import type { AppDb } from '../../infra/app-db/open-app-db';
import { SmsStatuses } from '../../infra/app-db/sms-statuses';
import type { ChannelConfig } from '../../infra/channel-config';
import { temporalSignaller } from './temporal-signaller';
import type { TwilioWebhookDeps } from './twilio-webhooks';

export function twilioWebhookDeps(config: ChannelConfig, db: AppDb, directory: Directory, client: Client, logger: Logger): TwilioWebhookDeps {
  if (!config.TWILIO_AUTH_TOKEN || !config.PUBLIC_BASE_URL) {
    throw new Error('Twilio webhooks need TWILIO_AUTH_TOKEN and PUBLIC_BASE_URL: without them no request can be verified');
  }
  return {
    authToken: config.TWILIO_AUTH_TOKEN,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    contacts: new MemberContacts(db),
    statuses: new SmsStatuses(db),
    directory,
    signal: temporalSignaller(client),
    logger: logger.child({ component: 'twilio-webhooks' }),
  };
}
