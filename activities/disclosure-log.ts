/**
 * The record of each disclosure: what, to whom, when, under which consent (HIPAA accounting,
 * 42 CFR Part 2). Written once per business key: before the packet, a discharge copy or a plan
 * notice is sent, and when staff record a contact with an outside provider or plan (crisis
 * follow-up, MAT referral, plan coordination).
 */
import path from 'node:path';
import type { Selectable } from 'kysely';
import type { AppDb } from '../infra/app-db/open-app-db';
import type { AppDatabase } from '../infra/app-db/schema';
import { readAll, writeOnce } from './outbox';

export type DisclosurePurpose =
  | 'referral-packet'
  | 'discharge-summary'
  | 'residential-admission-notice'
  | 'residential-discharge-notice'
  /** A contact staff recorded on a coordination clock (crisis follow-up, MAT referral, monthly coordination). */
  | 'care-coordination-contact';

export interface DisclosureRecord {
  key: string;
  /** The transfer, or the coordination clock when no transfer started it. */
  referralId: string;
  /** Whose records: the accounting of disclosures is asked for by member. */
  memberId: string;
  /** The receiving provider's or the plan's directory id. */
  providerId: string;
  /** Where it went: the address, or how staff made the contact. */
  recipient: string;
  purpose: DisclosurePurpose;
  categories: string[];
  consentId: string | null;
  disclosedAt: string;
}

export interface DisclosureLog {
  record(r: DisclosureRecord): Promise<'recorded' | 'duplicate'>;
  list(referralId?: string): Promise<DisclosureRecord[]>;
  /** One member's disclosures from `from` (inclusive) to `to` (exclusive), oldest first. */
  forMember(memberId: string, from: Date, to: Date): Promise<DisclosureRecord[]>;
}

/** The embedded default for tests and demos: one JSON file per key. */
export class FileDisclosureLog implements DisclosureLog {
  constructor(private readonly dir: string) {}
  async record(r: DisclosureRecord) {
    return (await writeOnce(this.dir, r.key, r)) === 'sent' ? 'recorded' : 'duplicate';
  }
  async list(referralId?: string) {
    const all = await readAll<DisclosureRecord>(path.resolve(this.dir), (d) => d.disclosedAt);
    return referralId ? all.filter((d) => d.referralId === referralId) : all;
  }
  async forMember(memberId: string, from: Date, to: Date) {
    const [since, until] = [from.toISOString(), to.toISOString()];
    return (await this.list()).filter(
      (d) => d.memberId === memberId && d.disclosedAt >= since && d.disclosedAt < until,
    );
  }
}

export class DbDisclosureLog implements DisclosureLog {
  constructor(private readonly db: AppDb) {}
  async record(r: DisclosureRecord) {
    const inserted = await this.db
      .insertInto('disclosures')
      .values({
        key: r.key,
        referral_id: r.referralId,
        member_id: r.memberId,
        provider_id: r.providerId,
        recipient: r.recipient,
        purpose: r.purpose,
        categories: JSON.stringify(r.categories),
        consent_id: r.consentId,
        disclosed_at: r.disclosedAt,
      })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    return inserted ? 'recorded' : 'duplicate';
  }
  async list(referralId?: string) {
    let q = this.db.selectFrom('disclosures').selectAll().orderBy('disclosed_at').orderBy('id');
    if (referralId) q = q.where('referral_id', '=', referralId);
    return (await q.execute()).map(fromRow);
  }
  async forMember(memberId: string, from: Date, to: Date) {
    const rows = await this.db
      .selectFrom('disclosures')
      .selectAll()
      .where('member_id', '=', memberId)
      .where('disclosed_at', '>=', from.toISOString())
      .where('disclosed_at', '<', to.toISOString())
      .orderBy('disclosed_at')
      .orderBy('id')
      .execute();
    return rows.map(fromRow);
  }
}

function fromRow(d: Selectable<AppDatabase['disclosures']>): DisclosureRecord {
  return {
    key: d.key,
    referralId: d.referral_id,
    memberId: d.member_id ?? '',
    providerId: d.provider_id,
    recipient: d.recipient,
    purpose: d.purpose as DisclosurePurpose,
    categories: JSON.parse(d.categories) as string[],
    consentId: d.consent_id,
    disclosedAt: d.disclosed_at,
  };
}
