/**
 * Delivers outgoing messages through the real channels, once per business key: the send ledger
 * is written before the provider call and after it, so an activity retry or a worker crash does
 * not send twice. The local outbox (`LocalOutbox`) is the other `Courier`, for tests and demos.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Logger } from 'pino';
import type { MemberContacts } from '../infra/app-db/member-contacts';
import type { SendLedger } from '../infra/app-db/send-ledger';
import type { EmailChannel } from './channels/email-channel';
import { providerErrorWithoutContacts } from './channels/provider-error';
import { SMS_OPTED_OUT, type SmsChannel } from './channels/sms-channel';
import type { OutboundMessage } from './outbox';
import { renderPacketPdf } from './referral-packet';

/** `opted-out`: the number opted out of texts; nothing was attempted and the caller hands on. */
export type DeliveryStatus = 'sent' | 'duplicate' | 'opted-out';

export interface Courier {
  deliver(message: OutboundMessage): Promise<DeliveryStatus>;
}

export interface ChannelCourierDeps {
  ledger: SendLedger;
  contacts: MemberContacts;
  email: EmailChannel;
  sms: SmsChannel;
  logger: Logger;
  clock?: () => Date;
}

export class ChannelCourier implements Courier {
  private readonly now: () => Date;
  constructor(private readonly deps: ChannelCourierDeps) {
    this.now = deps.clock ?? (() => new Date());
  }

  async deliver(m: OutboundMessage): Promise<DeliveryStatus> {
    const { ledger, contacts, logger } = this.deps;
    const ids = { referralId: m.referralId, key: m.key, channel: m.channel };
    if (m.channel === 'sms' && (await contacts.isOptedOut(m.to))) return 'opted-out';
    const claim = await ledger.claim(m.key, m.referralId, m.channel, this.now());
    if (claim === 'already-sent') return 'duplicate';
    if (claim === 'in-doubt') {
      // An earlier attempt reached the provider call and never recorded its outcome (a crash, or
      // an attempt still running). Sending again could double the message; neither SMTP nor
      // Twilio lets us ask, so the ledger row stays pending for an operator and nothing is resent.
      logger.warn(ids, 'delivery in doubt: an earlier attempt may have sent it; not resending');
      return 'duplicate';
    }
    if (m.channel === 'sms' && m.replyContext) {
      // Before the send, so a quick C reply already finds the transfer.
      await contacts.rememberReminder(m.to, { referralId: m.referralId, ...m.replyContext }, this.now());
    }
    let providerId: string;
    try {
      providerId = await this.send(m);
    } catch (raw) {
      const err = providerErrorWithoutContacts(raw, m.to);
      await ledger.failed(m.key, err.message, this.now());
      if (err instanceof ApplicationFailure && err.type === SMS_OPTED_OUT) {
        await contacts.setOptOut(m.to, true, 'twilio-21610', this.now());
        logger.info(ids, 'number opted out at the provider');
        return 'opted-out';
      }
      throw err;
    }
    await ledger.sent(m.key, providerId, this.now());
    logger.info(ids, 'delivered');
    return 'sent';
  }

  private async send(m: OutboundMessage): Promise<string> {
    if (m.channel === 'sms') return this.deps.sms.send({ key: m.key, to: m.to, body: m.text });
    const attachments = m.packet
      ? [
          {
            filename: `referral-${m.referralId}.pdf`,
            content: await renderPacketPdf(m.packet),
            contentType: 'application/pdf',
          },
        ]
      : [];
    // Tasks for staff go by email too: the case manager's inbox is their task list until the web issue.
    return this.deps.email.send({
      key: m.key,
      to: m.to,
      subject: m.subject ?? `Referral ${m.referralId}`,
      text: m.text,
      attachments,
    });
  }
}
