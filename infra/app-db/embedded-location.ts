/**
 * Where the embedded app database lives and how other processes find it while it runs. Apart from
 * embedded-server.ts so that readers do not load the server's package (an ES module).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const embeddedAppDbDir = (dataDir: string): string => path.join(dataDir, 'app-pg');
export const appDbUrlFile = (dataDir: string): string => path.join(dataDir, 'app-db.url');

/** The running embedded database's URL, if `npm start` (or a bench stack) runs one for this data folder. */
export function runningEmbeddedAppDbUrl(dataDir: string): string | undefined {
  try {
    return readFileSync(appDbUrlFile(dataDir), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
