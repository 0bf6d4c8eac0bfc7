/** Bundles the workflow code once for every test file (saves seconds per file) and provisions servers. */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { ensureTemporalCli, ensureTestServer } from '../../scripts/temporal-binaries';
import { WORKFLOWS_PATH } from '../../worker/create-worker';

export default async function globalSetup(): Promise<void> {
  process.env.TEMPORAL_CLI_PATH ??= ensureTemporalCli();
  process.env.TEMPORAL_TEST_SERVER_PATH ??= ensureTestServer();
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quietLogger });
  const file = path.join(os.tmpdir(), `referrals-workflow-bundle-${process.pid}.js`);
  writeFileSync(file, code);
  process.env.REFERRALS_WORKFLOW_BUNDLE = file;
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop } as never;
