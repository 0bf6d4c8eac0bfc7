/**
 * Whether the app database knows a member id at all: a disclosure of their records, a phone
 * number texted about their transfer, or a transfer in the reporting store. An accounting asked
 * for an id known nowhere is a typo until shown otherwise, not an empty letter.
 */
import { sql } from 'kysely';
import type { AppDb } from './open-app-db';

export async function memberKnown(db: AppDb, memberId: string): Promise<boolean> {
  const { rows } = await sql<{ known: boolean }>`
    select exists (select 1 from disclosures where member_id = ${memberId})
        or exists (select 1 from member_phones where member_id = ${memberId})
        or exists (select 1 from report_transfers where member_id = ${memberId}) as known`.execute(db);
  return rows[0]?.known === true;
}
