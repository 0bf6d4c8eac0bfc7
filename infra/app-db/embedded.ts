/**
 * The embedded app database: PGlite (Postgres in WASM) in a folder. Two things keep it small in a
 * long-running worker:
 * - A new folder is created (initdb) in a short-lived child process. initdb runs
 *   its own WASM instance, and the ~500 MB it grows to is not given back to the OS after it is
 *   closed (measured: 780 MB RSS after creating, 200 MB opening the same folder in a fresh process).
 * - shared_buffers of 16 MB instead of Postgres's 128 MB: the app database holds a send ledger
 *   and a few small tables, not a working set that needs a large cache.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { runIfMain, runInChild } from '../run-in-child';

export const EMBEDDED_OPTIONS: PGliteOptions = { postgresqlconf: ['shared_buffers=16MB'] };

export function openEmbedded(dir: string): PGlite {
  return new PGlite(dir, EMBEDDED_OPTIONS);
}

/** Creates the database folder in a child process when it does not exist yet. */
export async function ensureEmbeddedCreated(dir: string): Promise<void> {
  if (existsSync(path.join(dir, 'PG_VERSION'))) return;
  mkdirSync(dir, { recursive: true });
  await runInChild(__filename, [dir], `creating the embedded app database in ${dir}`);
}

runIfMain(module, async () => {
  const db = openEmbedded(process.argv[2]!);
  await db.waitReady;
  await db.close();
});
