/**
 * What the app keeps about members' phone numbers: opt-outs (kept until the member opts back
 * in) and which transfer a number was last reminded about, so a C reply reaches that transfer.
 */
import type { AppDb } from './open-app-db';

export class MemberContacts {
  constructor(private readonly db: AppDb) {}

  async isOptedOut(phone: string): Promise<boolean> {
    const row = await this.db.selectFrom('opt_outs').select('opted_out').where('phone', '=', phone).executeTakeFirst();
    return row?.opted_out === true;
  }

  async setOptOut(phone: string, optedOut: boolean, keyword: string, at: Date): Promise<void> {
    await this.db
      .insertInto('opt_outs')
      .values({ phone, opted_out: optedOut, keyword, changed_at: at.toISOString() })
      .onConflict((oc) => oc.column('phone').doUpdateSet({ opted_out: optedOut, keyword, changed_at: at.toISOString() }))
      .execute();
  }

  async rememberReminder(phone: string, m: { referralId: string; memberId: string; programId: string }, at: Date): Promise<void> {
    await this.db
      .insertInto('member_phones')
      .values({ phone, referral_id: m.referralId, member_id: m.memberId, program_id: m.programId, recorded_at: at.toISOString() })
      .onConflict((oc) => oc.columns(['phone', 'referral_id']).doUpdateSet({ recorded_at: at.toISOString() }))
      .execute();
  }

  /** The transfer this number was most recently reminded about, if any. */
  async latestTransfer(phone: string): Promise<{ referralId: string; memberId: string; programId: string } | undefined> {
    const row = await this.db.selectFrom('member_phones').selectAll().where('phone', '=', phone).orderBy('recorded_at', 'desc').limit(1).executeTakeFirst();
    return row && { referralId: row.referral_id, memberId: row.member_id, programId: row.program_id };
  }
}
