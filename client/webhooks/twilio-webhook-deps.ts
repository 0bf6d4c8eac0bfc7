/** Builds the Twilio webhook handlers' dependencies from configuration, for whichever HTTP server mounts them. */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Courier } from '../../activities/courier';
import { findCaseManager, type Directory } from '../../domain/directory';
import { MemberContacts } from '../../infra/app-db/member-contacts';
import type { AppDb } from '../../infra/app-db/open-app-db';
import { SmsStatuses } from '../../infra/app-db/sms-statuses';
import type { ChannelConfig } from '../../infra/channel-config';
import { temporalSignaller } from './temporal-signaller';
import type { TwilioWebhookDeps } from './twilio-webhooks';

export interface WebhookWiring {
  db: AppDb;
  courier: Courier;
  directory: Directory;
  temporal: () => Promise<Client>;
  /** The staff page of a transfer, linked from the tasks these send. */
  transferPageUrl(referralId: string): string;
  logger: Logger;
}

export function twilioWebhookDeps(config: ChannelConfig, w: WebhookWiring): TwilioWebhookDeps {
  if (!config.TWILIO_AUTH_TOKEN || !config.PUBLIC_BASE_URL) {
    throw new Error(
      'Twilio webhooks need TWILIO_AUTH_TOKEN and PUBLIC_BASE_URL: without them no request can be verified',
    );
  }
  return {
    authToken: config.TWILIO_AUTH_TOKEN,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    contacts: new MemberContacts(w.db),
    statuses: new SmsStatuses(w.db),
    directory: w.directory,
    signal: async (workflowId, event) => temporalSignaller(await w.temporal())(workflowId, event),
    async isOpen(workflowId) {
      try {
        const { status } = await (await w.temporal()).workflow.getHandle(workflowId).describe();
        return status.name === 'RUNNING';
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return false;
        throw err;
      }
    },
    async tellCaseManager({ key, transfer, subject, text }) {
      const caseManager = findCaseManager(w.directory, transfer.programId, transfer.caseManagerId);
      await w.courier.deliver({
        key,
        referralId: transfer.referralId,
        channel: 'task',
        audience: 'case-manager',
        kind: 'member-reply',
        to: caseManager?.email ?? transfer.caseManagerId,
        subject,
        text: `${text}\n\n${w.transferPageUrl(transfer.referralId)}`,
        dueAt: new Date().toISOString(),
      });
    },
    logger: w.logger.child({ component: 'twilio-webhooks' }),
  };
}
