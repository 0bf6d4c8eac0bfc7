/**
 * Twilio status callbacks. They repeat and arrive out of order: each (message, status) pair is
 * recorded once, and a message's current status only moves forward (a final status stays).
 */
import type { AppDb } from './open-app-db';

/** Twilio's message statuses in the order a message moves through them; the last group is final. */
const RANK: Record<string, number> = {
  accepted: 1,
  scheduled: 1,
  queued: 2,
  sending: 3,
  sent: 4,
  receiving: 4,
  received: 5,
  delivered: 9,
  undelivered: 9,
  failed: 9,
  read: 10,
  canceled: 9,
};

export class SmsStatuses {
  constructor(private readonly db: AppDb) {}

  /** 'recorded' the first time this message reports this status, 'duplicate' after. */
  async record(sid: string, status: string, errorCode: string | null, at: Date): Promise<'recorded' | 'duplicate'> {
    const inserted = await this.db
      .insertInto('sms_status_events')
      .values({ message_sid: sid, status, error_code: errorCode, received_at: at.toISOString() })
      .onConflict((oc) => oc.columns(['message_sid', 'status']).doNothing())
      .returning('message_sid')
      .executeTakeFirst();
    if (!inserted) return 'duplicate';
    const rank = RANK[status] ?? 0;
    // Conditional in SQL, so two callbacks racing cannot move the status back.
    await this.db
      .insertInto('sms_message_status')
      .values({ message_sid: sid, status, rank, error_code: errorCode, updated_at: at.toISOString() })
      .onConflict((oc) =>
        oc
          .column('message_sid')
          .doUpdateSet({ status, rank, error_code: errorCode, updated_at: at.toISOString() })
          .where('sms_message_status.rank', '<', rank),
      )
      .execute();
    return 'recorded';
  }

  async current(sid: string) {
    return this.db.selectFrom('sms_message_status').selectAll().where('message_sid', '=', sid).executeTakeFirst();
  }

  async events(sid: string) {
    return this.db.selectFrom('sms_status_events').selectAll().where('message_sid', '=', sid).execute();
  }
}
