/**
 * What the app keeps about members' phone numbers: opt-outs (kept until the member opts back
 * in) and which transfers a number was reminded about, so a reply reaches the right transfer and
 * the right case manager, in the member's language.
 */
import type { AppDb } from './open-app-db';

export interface ReplyContext {
  memberId: string;
  programId: string;
  language: 'en' | 'es';
  caseManagerId: string;
}

export interface TransferOnRecord extends ReplyContext {
  referralId: string;
}

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
      .onConflict((oc) =>
        oc.column('phone').doUpdateSet({ opted_out: optedOut, keyword, changed_at: at.toISOString() }),
      )
      .execute();
  }

  async rememberReminder(phone: string, m: TransferOnRecord, at: Date): Promise<void> {
    const row = { recorded_at: at.toISOString(), language: m.language, case_manager_id: m.caseManagerId };
    await this.db
      .insertInto('member_phones')
      .values({ phone, referral_id: m.referralId, member_id: m.memberId, program_id: m.programId, ...row })
      .onConflict((oc) => oc.columns(['phone', 'referral_id']).doUpdateSet(row))
      .execute();
  }

  /** Every transfer this number was texted about, most recent first. */
  async transfersFor(phone: string): Promise<TransferOnRecord[]> {
    const rows = await this.db
      .selectFrom('member_phones')
      .selectAll()
      .where('phone', '=', phone)
      .orderBy('recorded_at', 'desc')
      .execute();
    return rows.map((r) => ({
      referralId: r.referral_id,
      memberId: r.member_id,
      programId: r.program_id,
      language: r.language === 'es' ? 'es' : 'en',
      caseManagerId: r.case_manager_id ?? '',
    }));
  }
}
