/**
 * App databases for tests: always the embedded PGlite (in memory), and PostgreSQL too when
 * REFERRALS_TEST_DATABASE_URL is set (CI sets it). Each PostgreSQL use gets a schema of its own,
 * dropped afterwards, so test files do not see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openAppDb, type AppDb } from '../../infra/app-db/open-app-db';
import { SendLedger } from '../../infra/app-db/send-ledger';

export const TEST_DATABASE_URL = process.env.REFERRALS_TEST_DATABASE_URL;

export type DbKind = 'pglite' | 'postgres';
/** The dialects to run store tests on here. */
export const DB_KINDS: DbKind[] = TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export async function openTestDb(kind: DbKind): Promise<{ db: AppDb; drop(): Promise<void> }> {
  if (kind === 'pglite') {
    const db = await openAppDb({ kind: 'memory' });
    return { db, drop: () => db.destroy() };
  }
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const url = new URL(TEST_DATABASE_URL!);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const db = await openAppDb({ kind: 'postgres', url: url.toString() });
  return {
    db,
    async drop() {
      await db.destroy();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    },
  };
}

/** Simulates a worker crash right after the provider accepted a message: the 'after' record is never written once. */
export class CrashAfterSend extends SendLedger {
  crashes = 1;
  override async sent(key: string, id: string, at: Date): Promise<void> {
    if (this.crashes-- > 0) throw new Error('worker crashed before recording the send');
    return super.sent(key, id, at);
  }
}
