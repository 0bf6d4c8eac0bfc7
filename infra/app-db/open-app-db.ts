/**
 * Opens the app database (send ledger, opt-outs, phone mapping, SMS statuses, disclosures) and
 * brings its schema up to date. Always PostgreSQL: APP_DATABASE_URL in production, the embedded
 * server `npm start` runs otherwise (`embedded-server.ts`).
 */
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import { ConfigError } from '../config';
import { runningEmbeddedAppDbUrl } from './embedded-location';
import { migrationProvider } from './migrations';
import type { AppDatabase } from './schema';

export type AppDb = Kysely<AppDatabase>;

export async function openAppDb(url: string): Promise<AppDb> {
  const db = new Kysely<AppDatabase>({
    dialect: new PostgresDialect({ pool: new Pool({ connectionString: url, max: 5 }) }),
  });
  const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`app database migration ${failed ?? ''} failed: ${(error as Error).message}`);
  }
  return db;
}

/** APP_DATABASE_URL, else the embedded server running for this data folder. */
export function appDbUrl(configuredUrl: string | undefined, dataDir: string): string {
  const url = configuredUrl ?? runningEmbeddedAppDbUrl(dataDir);
  if (!url) {
    throw new ConfigError(
      `No app database: set APP_DATABASE_URL (PostgreSQL), or run \`npm start\`, which runs the embedded one for ${dataDir} (REFERRALS_DATA_DIR).`,
    );
  }
  return url;
}
