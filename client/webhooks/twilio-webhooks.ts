/**
 * Twilio's webhooks, framework-independent: the HTTP server (web issue) parses the form body and
 * passes params, headers and the request path; these return the status and TwiML to answer with.
 *   POST /webhooks/twilio/sms     incoming member replies: STOP/START/HELP keywords and C to confirm
 *   POST /webhooks/twilio/status  delivery status callbacks, recorded once, never moving back
 * Logs carry message and referral ids only: never a phone number or a message body.
 */
import type { Logger } from 'pino';
import { CONFIRMATION_REPLY, helpReply } from '../../activities/templates';
import { z } from 'zod';
import { findProgram, type Directory } from '../../domain/directory';
import type { TransitionEvent } from '../../domain/events';
import { workflowIdFor } from '../../domain/ids';
import { replyIntent } from '../../domain/sms-keywords';
import { describeIssues } from '../../domain/validation';
import type { MemberContacts } from '../../infra/app-db/member-contacts';
import { TWILIO_WEBHOOK_PATHS } from '../../infra/channel-config';
import type { SmsStatuses } from '../../infra/app-db/sms-statuses';
import { hasValidTwilioSignature } from './twilio-signature';

export const SMS_WEBHOOK_PATH = TWILIO_WEBHOOK_PATHS.sms;
export const STATUS_WEBHOOK_PATH = TWILIO_WEBHOOK_PATHS.status;

export interface WebhookRequest {
  /** The parsed form body, every field as Twilio sent it (the signature covers all of them). */
  params: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Path and query string as received, e.g. `/webhooks/twilio/sms`. */
  pathAndQuery: string;
}

export interface WebhookResponse {
  status: number;
  contentType: 'text/xml' | 'text/plain';
  body: string;
}

export interface TwilioWebhookDeps {
  authToken: string;
  publicBaseUrl: string;
  contacts: MemberContacts;
  statuses: SmsStatuses;
  directory: Directory;
  /** Sends `eventSignal` to a transfer's workflow (see `temporalSignaller`). */
  signal(workflowId: string, event: TransitionEvent): Promise<void>;
  logger: Logger;
  clock?: () => Date;
}

const Phone = z.string().regex(/^\+[1-9]\d{7,14}$/, 'expected a phone number in E.164 form');
const MessageSid = z.string().regex(/^[SM]M[0-9a-fA-F]{32}$/, 'expected a Twilio message SID');
const IncomingSms = z.object({ MessageSid, From: Phone, Body: z.string().max(1600) });
const StatusCallback = z.object({
  MessageSid,
  MessageStatus: z.enum(['accepted', 'scheduled', 'queued', 'sending', 'sent', 'receiving', 'received', 'delivered', 'undelivered', 'failed', 'read', 'canceled']),
  ErrorCode: z.string().regex(/^\d+$/, 'expected a numeric error code').optional(),
  To: Phone.optional(),
});

const twiml = (message?: string): WebhookResponse => ({
  status: 200,
  contentType: 'text/xml',
  body: `<?xml version="1.0" encoding="UTF-8"?><Response>${message ? `<Message>${escapeXml(message)}</Message>` : ''}</Response>`,
});
const refuse = (status: number, why: string): WebhookResponse => ({ status, contentType: 'text/plain', body: why });

export async function handleIncomingSms(req: WebhookRequest, deps: TwilioWebhookDeps): Promise<WebhookResponse> {
  if (!hasValidTwilioSignature(deps.authToken, deps.publicBaseUrl, req.pathAndQuery, req.params, req.headers)) return refuse(403, 'invalid signature');
  const parsed = IncomingSms.safeParse(req.params);
  if (!parsed.success) return refuse(400, describeIssues(parsed.error));
  const { MessageSid: sid, From: from, Body: body } = parsed.data;
  const now = (deps.clock ?? (() => new Date()))();
  const { intent, keyword } = replyIntent(body);
  const log = deps.logger.child({ messageSid: sid, intent });
  switch (intent) {
    case 'opt-out':
      // Twilio answers the default keywords itself; a reply of ours would be a second text.
      await deps.contacts.setOptOut(from, true, keyword, now);
      log.info('member opted out');
      return twiml();
    case 'opt-in':
      await deps.contacts.setOptOut(from, false, keyword, now);
      log.info('member opted back in');
      return twiml();
    case 'help': {
      const transfer = await deps.contacts.latestTransfer(from);
      // A number we never texted gets the first program's line: someone there can help.
      const program = (transfer && findProgram(deps.directory, transfer.programId)) ?? deps.directory.programs[0]!;
      return twiml(helpReply(program.publicName, program.helpPhone));
    }
    case 'confirm': {
      const transfer = await deps.contacts.latestTransfer(from);
      if (!transfer) {
        log.info('confirmation from a number with no transfer on record');
        return twiml();
      }
      try {
        await deps.signal(workflowIdFor(transfer.referralId), {
          type: 'appointment-confirmed-by-member',
          actor: { role: 'member', id: transfer.memberId },
          sentAt: now.toISOString(),
        });
        log.info({ referralId: transfer.referralId }, 'member confirmed the appointment');
      } catch (err) {
        // The transfer may have ended; the member still gets an answer, and staff see the log.
        log.warn({ referralId: transfer.referralId, err: (err as Error).name }, 'could not signal the transfer');
      }
      return twiml(CONFIRMATION_REPLY);
    }
    case 'other':
      log.info('unrecognised reply');
      return twiml();
  }
}

export async function handleStatusCallback(req: WebhookRequest, deps: TwilioWebhookDeps): Promise<WebhookResponse> {
  if (!hasValidTwilioSignature(deps.authToken, deps.publicBaseUrl, req.pathAndQuery, req.params, req.headers)) return refuse(403, 'invalid signature');
  const parsed = StatusCallback.safeParse(req.params);
  if (!parsed.success) return refuse(400, describeIssues(parsed.error));
  const { MessageSid: sid, MessageStatus: status, ErrorCode: errorCode, To: to } = parsed.data;
  const now = (deps.clock ?? (() => new Date()))();
  const outcome = await deps.statuses.record(sid, status, errorCode ?? null, now);
  if (errorCode === '21610' && to) await deps.contacts.setOptOut(to, true, 'twilio-21610', now);
  deps.logger.info({ messageSid: sid, status, errorCode, outcome }, 'sms status');
  return { status: 204, contentType: 'text/plain', body: '' };
}

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}
