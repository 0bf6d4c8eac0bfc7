/**
 * Opens the app database (send ledger, opt-outs, phone mapping, SMS statuses, disclosures) and
 * brings its schema up to date. PostgreSQL when a URL is given; otherwise the embedded default,
 * a PGlite database in a folder (no server to run).
 */
import { PGlite } from '@electric-sql/pglite';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import { Pool } from 'pg';
import { ensureEmbeddedCreated, openEmbedded } from './embedded';
import { migrationProvider } from './migrations';
import { PGliteDialect } from './pglite-dialect';
import type { AppDatabase } from './schema';

export type AppDb = Kysely<AppDatabase>;

export type AppDbLocation = { kind: 'postgres'; url: string } | { kind: 'embedded'; dir: string } | { kind: 'memory' };

export async function openAppDb(location: AppDbLocation): Promise<AppDb> {
  if (location.kind === 'embedded') await ensureEmbeddedCreated(location.dir);
  const db = new Kysely<AppDatabase>({ dialect: dialectFor(location) });
  const { error, results } = await new Migrator({ db, provider: migrationProvider }).migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`app database migration ${failed ?? ''} failed: ${(error as Error).message}`);
  }
  return db;
}

function dialectFor(location: AppDbLocation) {
  switch (location.kind) {
    case 'postgres':
      return new PostgresDialect({ pool: new Pool({ connectionString: location.url, max: 5 }) });
    case 'embedded':
      return new PGliteDialect(openEmbedded(location.dir));
    case 'memory':
      return new PGliteDialect(new PGlite());
  }
}
