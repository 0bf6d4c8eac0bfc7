/**
 * `referrals repair`, as a manager runs it, on the real dev server (CLI 1.9.1): a workflow under a
 * transfer's id whose every workflow task fails on nondeterminism (its code changed without a
 * patch, the way a worker restart at the wrong moment also leaves one: docs/performance.md,
 * Drills) is shown, then reset to its last task that replays, and goes on with nothing lost.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { workflowIdFor } from '../domain/ids';
import { referralsDataConverter } from '../infra/data-converter';
import { planRepair } from '../client/workflow-repair';
import { eventually } from './support/eventually';
import { dataFolderWithEhr, startLocalDevServer } from './support/local-dev-server';
import { runCli, type CliResult } from './support/referrals-cli';
import { codecEnv, testKeyRing } from './support/test-codec';
import { step } from './support/repair-workflows/messages';

const TASK_QUEUE = 'repair-test';
const REFERRAL_ID = 'R-7K3M9Q2XWD';
const WORKFLOW_ID = workflowIdFor(REFERRAL_ID);

let env: TestWorkflowEnvironment;
let dataDir: string;
let cliEnv: Record<string, string>;
let before: WorkflowBundleWithSourceMap;
let after: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  env = await startLocalDevServer();
  dataDir = dataFolderWithEhr('referrals-repair-').dataDir;
  cliEnv = { TEMPORAL_ADDRESS: env.address, REFERRALS_DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...codecEnv() };
  const bundle = (file: string) =>
    bundleWorkflowCode({
      workflowsPath: path.join(__dirname, 'support', 'repair-workflows', file),
      logger: new DefaultLogger('WARN'),
    });
  [before, after] = await Promise.all([bundle('before.ts'), bundle('after.ts')]);
});

afterAll(async () => {
  await env?.teardown();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Runs a worker with one version of the workflow code while `body` runs. */
async function withWorker<T>(workflowBundle: WorkflowBundleWithSourceMap, body: () => Promise<T>): Promise<T> {
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: TASK_QUEUE,
    workflowBundle,
    activities: { noted: async () => undefined },
    dataConverter: referralsDataConverter(testKeyRing()),
  });
  return worker.runUntil(body);
}

const repair = (...flags: string[]): Promise<CliResult> => runCli(['repair', REFERRAL_ID, ...flags], cliEnv);

test('a stuck transfer is shown, then reset to its last good task, and goes on with its earlier step kept', async () => {
  const handle = await env.client.workflow.start('twoSteps', { workflowId: WORKFLOW_ID, taskQueue: TASK_QUEUE });
  await withWorker(before, async () => {
    expect(await handle.executeUpdate(step, { args: ['first'] })).toEqual(['first']);
  });

  // The changed code cannot replay the run's history once its timer fires: every task fails.
  await withWorker(after, async () => {
    await eventually('the run to fail on nondeterminism', async () =>
      (await planRepair(env.client, WORKFLOW_ID)).kind === 'reset' ? true : undefined,
    );

    const shown = await repair('--as', 'manager:m-ortiz');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`${REFERRAL_ID} is stuck: its workflow tasks fail on nondeterminism`);
    expect(shown.stdout).toMatch(/Applied again: 1 Update, 0 signals\./);
    expect(shown.stdout).toContain('Run again with --apply to repair.');
    // Shown only: the same run, still stuck.
    expect((await handle.describe()).runId).toBe(handle.firstExecutionRunId);

    const done = await repair('--as', 'manager:m-ortiz', '--apply');
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(
      new RegExp(
        `^${REFERRAL_ID} repaired: new run \\S+ \\(was ${handle.firstExecutionRunId}\\); its workflow tasks complete again\\.`,
      ),
    );

    // The step taken before it got stuck was applied again on the new run; the next one completes it.
    const current = env.client.workflow.getHandle(WORKFLOW_ID);
    expect(await current.executeUpdate(step, { args: ['second'] })).toEqual(['first', 'second']);
    expect(await current.result()).toEqual(['first', 'second']);
  });

  const again = await repair('--as', 'manager:m-ortiz', '--apply');
  expect(again.code).toBe(1);
  expect(again.stderr).toContain(`${REFERRAL_ID} is not running (completed). Nothing to repair.`);
});

test('only a manager repairs, and a healthy or unknown transfer is left alone', async () => {
  const byCaseManager = await repair('--as', 'case-manager:cm-1', '--apply');
  expect(byCaseManager.code).toBe(2);
  expect(byCaseManager.stderr).toContain('actor.role');

  const unknown = await runCli(['repair', 'R-0000000000', '--as', 'manager:m-ortiz'], cliEnv);
  expect(unknown.code).toBe(4);

  const healthyId = 'R-1111111111';
  const healthy = await env.client.workflow.start('twoSteps', {
    workflowId: workflowIdFor(healthyId),
    taskQueue: TASK_QUEUE,
  });
  await withWorker(before, async () => {
    await healthy.executeUpdate(step, { args: ['first'] });
    const shown = await runCli(['repair', healthyId, '--as', 'manager:m-ortiz', '--apply'], cliEnv);
    expect(shown.code).toBe(1);
    expect(shown.stderr).toContain(`${healthyId} is not stuck: its workflow tasks do not fail. Nothing to repair.`);
  });
  expect((await healthy.describe()).runId).toBe(healthy.firstExecutionRunId);
  await healthy.terminate('test over');
});
