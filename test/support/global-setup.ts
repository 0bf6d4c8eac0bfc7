/** Bundles the workflow code once for every test file (saves seconds per file) and provisions servers. */
import os from 'node:os';
import path from 'node:path';
import { ensureTemporalCli, ensureTestServer } from '../../scripts/temporal-binaries';
import { bundleWorkflowsTo } from '../../worker/workflow-bundle';
import { freshKeyEnv } from './test-codec';

export default async function globalSetup(): Promise<void> {
  process.env.TEMPORAL_CLI_PATH ??= ensureTemporalCli();
  process.env.TEMPORAL_TEST_SERVER_PATH ??= ensureTestServer();
  // Encryption on for every test: one fresh key ring per run, shared with test files through the environment.
  if (!process.env.REFERRALS_CODEC_KEYS) Object.assign(process.env, freshKeyEnv());
  // The same bundle the worker builds (worker/workflow-bundle.ts), built once for all test files.
  const file = path.join(os.tmpdir(), `referrals-workflow-bundle-${process.pid}.js`);
  await bundleWorkflowsTo(file);
  process.env.REFERRALS_WORKFLOW_BUNDLE = file;
}
