/** Bundles the workflow code once for every test file (saves seconds per file) and provisions servers. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedAppDb } from '../../infra/app-db/embedded-server';
import { freePort } from '../../scripts/free-port';
import { ensureTemporalCli, ensureTestServer } from '../../scripts/temporal-binaries';
import { bundleWorkflowsTo } from '../../worker/workflow-bundle';
import { freshKeyEnv } from './test-codec';

export default async function globalSetup(): Promise<void> {
  process.env.TEMPORAL_CLI_PATH ??= ensureTemporalCli();
  process.env.TEMPORAL_TEST_SERVER_PATH ??= ensureTestServer();
  // Encryption on for every test: one fresh key ring per run, shared with test files through the environment.
  if (!process.env.REFERRALS_CODEC_KEYS) Object.assign(process.env, freshKeyEnv());
  // PostgreSQL for the app database: CI's, or the embedded server npm start runs (stopped in global-teardown.ts).
  if (!process.env.REFERRALS_TEST_DATABASE_URL) {
    const db = await startEmbeddedAppDb(mkdtempSync(path.join(os.tmpdir(), 'referrals-test-db-')), await freePort());
    (globalThis as { referralsTestDb?: typeof db }).referralsTestDb = db;
    process.env.REFERRALS_TEST_DATABASE_URL = db.url;
  }
  // The same bundle the worker builds (worker/workflow-bundle.ts), built once for all test files.
  const file = path.join(os.tmpdir(), `referrals-workflow-bundle-${process.pid}.js`);
  await bundleWorkflowsTo(file);
  process.env.REFERRALS_WORKFLOW_BUNDLE = file;
}
