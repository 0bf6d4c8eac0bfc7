/**
 * For tests of input the web app must refuse before reaching Temporal: the web app over a
 * Temporal port nothing listens on, on a fresh app database, and the CLI's environment as intake.
 * A request that got as far as Temporal fails differently ("Temporal cannot be reached").
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { useFreshAppDb } from './app-db';
import { closedPort } from './referrals-cli';
import { codecEnv } from './test-codec';
import { startStaffWebApp, type StaffWebApp } from './web-stack';

export interface WebWithoutTemporal {
  web: StaffWebApp;
  /** The CLI's environment, with an intake token. */
  env: Record<string, string>;
  dataDir: string;
}

/** Sets it up for the test file (beforeAll/afterAll); read `get()` inside tests. */
export function useWebWithoutTemporal(prefix: string): { get(): WebWithoutTemporal } {
  useFreshAppDb();
  let current: WebWithoutTemporal | undefined;
  beforeAll(async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), prefix));
    const web = await startStaffWebApp({
      TEMPORAL_ADDRESS: `127.0.0.1:${await closedPort()}`,
      REFERRALS_DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      ...codecEnv(),
    });
    current = { web, env: await web.cliEnv('intake'), dataDir };
  });
  afterAll(async () => {
    await current?.web.close();
  });
  return {
    get() {
      if (!current) throw new Error('useWebWithoutTemporal: read it inside a test');
      return current;
    },
  };
}
