/**
 * The send ledger: every outgoing message's business key, recorded before the provider call
 * (pending) and after it (sent or failed). A retry of a key already sent sends nothing; a key
 * left pending means an earlier attempt may have reached the provider (a crash or a concurrent
 * attempt), so it is not sent again automatically: see `claim`.
 */
import { sql } from 'kysely';
import type { AppDb } from './open-app-db';

/** `send`: go ahead; `already-sent`: done before; `in-doubt`: an attempt is pending, do not resend. */
export type Claim = 'send' | 'already-sent' | 'in-doubt';

export class SendLedger {
  constructor(private readonly db: AppDb) {}

  /** Records the attempt before the provider call. Atomic: of two racing attempts, one sends. */
  async claim(key: string, referralId: string, channel: string, at: Date): Promise<Claim> {
    const inserted = await this.db
      .insertInto('send_ledger')
      .values({
        key,
        referral_id: referralId,
        channel,
        state: 'pending',
        attempts: 1,
        started_at: at.toISOString(),
        provider_message_id: null,
        finished_at: null,
        last_error: null,
      })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted) return 'send';
    // A failed attempt never reached the provider: it may be tried again.
    const retried = await this.db
      .updateTable('send_ledger')
      .set({ state: 'pending', attempts: sql`attempts + 1`, started_at: at.toISOString(), last_error: null })
      .where('key', '=', key)
      .where('state', '=', 'failed')
      .returning('key')
      .executeTakeFirst();
    if (retried) return 'send';
    const row = await this.db
      .selectFrom('send_ledger')
      .select('state')
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    return row.state === 'sent' ? 'already-sent' : 'in-doubt';
  }

  async sent(key: string, providerMessageId: string, at: Date): Promise<void> {
    await this.db
      .updateTable('send_ledger')
      .set({ state: 'sent', provider_message_id: providerMessageId, finished_at: at.toISOString() })
      .where('key', '=', key)
      .execute();
  }

  /** The provider refused or was unreachable: nothing went out, so a retry may send. */
  async failed(key: string, error: string, at: Date): Promise<void> {
    await this.db
      .updateTable('send_ledger')
      .set({ state: 'failed', last_error: error.slice(0, 500), finished_at: at.toISOString() })
      .where('key', '=', key)
      .execute();
  }

  async get(key: string) {
    return this.db.selectFrom('send_ledger').selectAll().where('key', '=', key).executeTakeFirst();
  }
}
