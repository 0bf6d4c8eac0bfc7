/**
 * Twilio's webhooks, framework-independent: the web app (web/webhook-routes.ts) parses the form
 * body and passes params, headers and the request path; these return the status and TwiML.
 *   POST /webhooks/twilio/sms     member replies: STOP / START / HELP keywords and C to confirm
 *   POST /webhooks/twilio/status  delivery status callbacks, recorded once, never moving back
 * Replies are in the member's language (both when the number is not on record) and say nothing
 * about care. Logs carry message and referral ids only: never a phone number or a message body.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import { smsReply, type SmsReplyKind } from '../../activities/templates';
import { findProgram, type Directory } from '../../domain/directory';
import type { TransitionEvent } from '../../domain/events';
import { workflowIdFor } from '../../domain/ids';
import { replyIntent } from '../../domain/sms-keywords';
import { describeIssues } from '../../domain/validation';
import type { MemberContacts, TransferOnRecord } from '../../infra/app-db/member-contacts';
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

/** A task for the case manager of one transfer, keyed so that Twilio's retries of a reply make one task. */
export interface CaseManagerTask {
  key: string;
  transfer: TransferOnRecord;
  subject: string;
  text: string;
}

export interface TwilioWebhookDeps {
  authToken: string;
  publicBaseUrl: string;
  contacts: MemberContacts;
  statuses: SmsStatuses;
  directory: Directory;
  /** Sends `eventSignal` to a transfer's workflow (see `temporalSignaller`). */
  signal(workflowId: string, event: TransitionEvent): Promise<void>;
  /** Whether the transfer's workflow is still running. */
  isOpen(workflowId: string): Promise<boolean>;
  /** Sends the case manager a task (by email, through the send ledger). */
  tellCaseManager(task: CaseManagerTask): Promise<void>;
  logger: Logger;
  clock?: () => Date;
}

const Phone = z.string().regex(/^\+[1-9]\d{7,14}$/, 'expected a phone number in E.164 form');
const MessageSid = z.string().regex(/^[SM]M[0-9a-fA-F]{32}$/, 'expected a Twilio message SID');
const IncomingSms = z.object({ MessageSid, From: Phone, Body: z.string().max(1600) });
const StatusCallback = z.object({
  MessageSid,
  MessageStatus: z.enum([
    'accepted',
    'scheduled',
    'queued',
    'sending',
    'sent',
    'receiving',
    'received',
    'delivered',
    'undelivered',
    'failed',
    'read',
    'canceled',
  ]),
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
  if (!hasValidTwilioSignature(deps.authToken, deps.publicBaseUrl, req.pathAndQuery, req.params, req.headers))
    return refuse(403, 'invalid signature');
  const parsed = IncomingSms.safeParse(req.params);
  if (!parsed.success) return refuse(400, describeIssues(parsed.error));
  const { MessageSid: sid, From: from, Body: body } = parsed.data;
  const now = (deps.clock ?? (() => new Date()))();
  const { intent, keyword } = replyIntent(body);
  const log = deps.logger.child({ messageSid: sid, intent });
  const transfers = await deps.contacts.transfersFor(from);
  const latest = transfers[0];
  // The program the member last heard from answers; a number we never texted gets the first program's line.
  const program = (latest && findProgram(deps.directory, latest.programId)) ?? deps.directory.programs[0]!;
  const reply = (kind: SmsReplyKind) => twiml(smsReply(kind, latest?.language, program.publicName, program.helpPhone));

  switch (intent) {
    case 'opt-out': {
      await deps.contacts.setOptOut(from, true, keyword, now);
      // Every case manager with an open transfer for this number must now reach the member another way.
      for (const t of await openTransfers(transfers, deps)) {
        await deps.tellCaseManager({
          key: `sms-reply/${sid}/${t.referralId}`,
          transfer: t,
          subject: `Referral ${t.referralId}: the member opted out of texts`,
          text: `The member on referral ${t.referralId} replied ${keyword} and will get no more texts from any transfer or clock. Please reach them by phone or mail for the steps still open.`,
        });
      }
      log.info({ transfers: transfers.length }, 'member opted out');
      return reply('opted-out');
    }
    case 'opt-in':
      await deps.contacts.setOptOut(from, false, keyword, now);
      log.info('member opted back in');
      return reply('opted-in');
    case 'help':
      return reply('help');
    case 'confirm': {
      const open = await openTransfers(transfers, deps);
      if (open.length === 0) {
        log.info('confirmation from a number with no open transfer');
        return reply(latest ? 'confirmed' : 'unknown-number');
      }
      if (open.length > 1) {
        // One phone on several open transfers (a family's shared phone): a person asks, nobody guesses.
        for (const t of open) {
          await deps.tellCaseManager({
            key: `sms-reply/${sid}/${t.referralId}`,
            transfer: t,
            subject: `Referral ${t.referralId}: an appointment confirmation to check`,
            text: `A reply C (confirm) came from a phone number that is on ${open.length} open referrals, so it was not recorded on any. Please call the member to confirm which appointment, and record it on referral ${t.referralId} if it is theirs.`,
          });
        }
        log.info(
          { referralIds: open.map((t) => t.referralId) },
          'confirmation from a number on several open transfers: tasks sent',
        );
        return reply('several-transfers');
      }
      const t = open[0]!;
      await deps.signal(workflowIdFor(t.referralId), {
        type: 'appointment-confirmed-by-member',
        actor: { role: 'member', id: t.memberId },
        sentAt: now.toISOString(),
      });
      log.info({ referralId: t.referralId }, 'member confirmed the appointment');
      return reply('confirmed');
    }
    case 'other':
      log.info('unrecognised reply');
      return latest ? twiml() : reply('unknown-number');
  }
}

async function openTransfers(transfers: TransferOnRecord[], deps: TwilioWebhookDeps): Promise<TransferOnRecord[]> {
  const open: TransferOnRecord[] = [];
  for (const t of transfers) if (await deps.isOpen(workflowIdFor(t.referralId))) open.push(t);
  return open;
}

export async function handleStatusCallback(req: WebhookRequest, deps: TwilioWebhookDeps): Promise<WebhookResponse> {
  if (!hasValidTwilioSignature(deps.authToken, deps.publicBaseUrl, req.pathAndQuery, req.params, req.headers))
    return refuse(403, 'invalid signature');
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
