/** Bundles the workflow code once for every test file (saves seconds per file) and provisions servers. */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { ensureTemporalCli, ensureTestServer } from '../../scripts/temporal-binaries';
import { FAILURE_CONVERTER_PATH } from '../../infra/data-converter';
import { WORKFLOWS_PATH } from '../../worker/create-worker';
import { freshKeyEnv } from './test-codec';

export default async function globalSetup(): Promise<void> {
  process.env.TEMPORAL_CLI_PATH ??= ensureTemporalCli();
  process.env.TEMPORAL_TEST_SERVER_PATH ??= ensureTestServer();
  // Encryption on for every test: one fresh key ring per run, shared with test files through the environment.
  if (!process.env.REFERRALS_CODEC_KEYS) Object.assign(process.env, freshKeyEnv());
  // Workers given this bundle decode failures as the worker's data converter encodes them.
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, failureConverterPath: FAILURE_CONVERTER_PATH, logger: quietLogger });
  const file = path.join(os.tmpdir(), `referrals-workflow-bundle-${process.pid}.js`);
  writeFileSync(file, code);
  process.env.REFERRALS_WORKFLOW_BUNDLE = file;
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop } as never;
