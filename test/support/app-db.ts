/**
 * App databases for tests: PostgreSQL, as in production. CI's comes from Debian
 * (REFERRALS_TEST_DATABASE_URL, .ci/postgres.sh); without it, global setup starts the embedded
 * server `npm start` runs. Each use gets a schema of its own, dropped afterwards, so test files
 * do not see each other's rows (opt-outs of the shared fixture numbers above all).
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { openAppDb, type AppDb } from '../../infra/app-db/open-app-db';
import { SendLedger } from '../../infra/app-db/send-ledger';

/** The PostgreSQL server tests use (global setup makes sure it is set). */
export const TEST_DATABASE_URL = process.env.REFERRALS_TEST_DATABASE_URL;

function testDatabaseUrl(): string {
  const url = process.env.REFERRALS_TEST_DATABASE_URL;
  if (!url) throw new Error('REFERRALS_TEST_DATABASE_URL is not set: test/support/global-setup.ts sets it');
  return url;
}

/** A URL for a fresh, empty schema of the test database, for a process configured by APP_DATABASE_URL. */
export async function freshAppDbUrl(): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: testDatabaseUrl() });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const url = new URL(testDatabaseUrl());
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    },
  };
}

export async function openTestDb(): Promise<{ db: AppDb; drop(): Promise<void> }> {
  const fresh = await freshAppDbUrl();
  const db = await openAppDb(fresh.url);
  return {
    db,
    async drop() {
      await db.destroy();
      await fresh.drop();
    },
  };
}

/** For test files whose worker or web app read APP_DATABASE_URL: a fresh schema for the file. */
export function useFreshAppDb(): void {
  let fresh: Awaited<ReturnType<typeof freshAppDbUrl>> | undefined;
  const before = process.env.APP_DATABASE_URL;
  beforeAll(async () => {
    fresh = await freshAppDbUrl();
    process.env.APP_DATABASE_URL = fresh.url;
  });
  afterAll(async () => {
    if (before === undefined) delete process.env.APP_DATABASE_URL;
    else process.env.APP_DATABASE_URL = before;
    await fresh?.drop();
  });
}

/** Simulates a worker crash right after the provider accepted a message: the 'after' record is never written once. */
export class CrashAfterSend extends SendLedger {
  crashes = 1;
  override async sent(key: string, id: string, at: Date): Promise<void> {
    if (this.crashes-- > 0) throw new Error('worker crashed before recording the send');
    return super.sent(key, id, at);
  }
}
