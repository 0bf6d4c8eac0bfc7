/**
 * Who each transfer is for (member id, name, date of birth), so staff signed in to the web app
 * can find a member by name and see whom each row of the list is about. Written when a transfer
 * is started through the web app and again by the report sweep (which reads every transfer), so
 * a transfer started elsewhere is found within one sweep. Never shown to partners or members,
 * never logged; the app database holds it like the phone numbers beside it.
 */
import { sql } from 'kysely';
import type { AppDb } from './open-app-db';

export interface MemberOfTransfer {
  memberId: string;
  name?: string | undefined;
  dateOfBirth?: string | undefined;
}

/** Matches at most this many transfers: a search is for finding someone, not for listing everyone. */
export const MEMBER_SEARCH_LIMIT = 100;

export class MemberIndex {
  constructor(private readonly db: AppDb) {}

  async record(referralId: string, member: MemberOfTransfer, now = new Date()): Promise<void> {
    const values = {
      member_id: member.memberId,
      name: member.name ?? null,
      date_of_birth: member.dateOfBirth ?? null,
      recorded_at: now.toISOString(),
    };
    await this.db
      .insertInto('transfer_members')
      .values({ referral_id: referralId, ...values })
      .onConflict((oc) => oc.column('referral_id').doUpdateSet(values))
      .execute();
  }

  /**
   * Referral ids of the transfers for a member whose name contains every word of `text` (any
   * case, any order), or whose member id is `text`; newest first.
   */
  async search(text: string): Promise<string[]> {
    const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) return [];
    const rows = await this.db
      .selectFrom('transfer_members')
      .select('referral_id')
      .where((eb) =>
        eb.or([
          eb('member_id', '=', text.trim()),
          eb.and(words.map((w) => eb(sql`lower(name)`, 'like', `%${escapeLike(w)}%`))),
        ]),
      )
      .orderBy('recorded_at', 'desc')
      .limit(MEMBER_SEARCH_LIMIT)
      .execute();
    return rows.map((r) => r.referral_id);
  }

  /** The members of these transfers, in one query. */
  async membersOf(referralIds: string[]): Promise<Map<string, MemberOfTransfer>> {
    if (referralIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('transfer_members')
      .selectAll()
      .where('referral_id', 'in', referralIds)
      .execute();
    return new Map(
      rows.map((r) => [
        r.referral_id,
        { memberId: r.member_id, name: r.name ?? undefined, dateOfBirth: r.date_of_birth ?? undefined },
      ]),
    );
  }
}

/** `%` and `_` typed by a person are letters, not wildcards. */
const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);
