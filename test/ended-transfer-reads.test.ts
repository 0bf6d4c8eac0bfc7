/**
 * Reading a transfer after it has ended, on the real dev server (CLI 1.9.1) with the real worker:
 * a completed transfer's final state comes from the server alone, so staff can read it while no
 * worker runs; a terminated one (no result) is still read, by a worker replaying its history.
 */
import { rmSync } from 'node:fs';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { openTransferService, type TransferService } from '../client/transfer-service';
import { QUERY_DEADLINE_MS } from '../client/workflow-calls';
import { workflowIdFor } from '../domain/ids';
import type { TransferState } from '../domain/state';
import { loadRuntimeConfig, type RuntimeConfig } from '../infra/config';
import { createReferralsWorker } from '../worker/create-worker';
import { bundledWorkflows, dataFolderWithEhr, startLocalDevServer, envFor } from './support/local-dev-server';
import { codecEnv } from './support/test-codec';
import { CASE_MANAGER, sampleRequest } from './support/transfer-harness';
import { useFreshAppDb } from './support/app-db';

let env: TestWorkflowEnvironment;
let dataDir: string;
let config: RuntimeConfig;
let service: TransferService;
let closeService: () => Promise<void>;

// The worker's send ledger and opt-outs, in a schema of this file's own.
useFreshAppDb();

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  env = await startLocalDevServer();
  const folder = dataFolderWithEhr('referrals-ended-');
  dataDir = folder.dataDir;
  const ehrDir = folder.ehrDir;
  config = loadRuntimeConfig({
    ...envFor(env.address, { dataDir, ehrDir }),
    ...codecEnv(),
  });
  ({ service, close: closeService } = openTransferService(config));
});

afterAll(async () => {
  await closeService?.();
  await env?.teardown();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function runWorker(): Promise<{ stop(): Promise<void> }> {
  const { worker, close }: { worker: Worker; close(): Promise<void> } = await createReferralsWorker(
    config,
    bundledWorkflows(),
  );
  const running = worker.run();
  return {
    async stop() {
      worker.shutdown();
      await running;
      await close();
    },
  };
}

async function until(referralId: string, ready: (s: TransferState) => boolean): Promise<TransferState> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const state = await service.getTransfer(referralId);
    if (ready(state)) return state;
    if (Date.now() > deadline) throw new Error(`transfer ${referralId} stayed at ${state.stage}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('a withdrawn transfer reads without a worker; a terminated one reads by replay', async () => {
  const worker = await runWorker();
  let stopped = false;
  try {
    const { referralId: withdrawnId } = await service.startTransfer(sampleRequest());
    await until(withdrawnId, (s) => s.stage === 'inform-member');
    await service.withdraw(withdrawnId, 'Member moved out of county.', CASE_MANAGER);
    const ended = await until(withdrawnId, (s) => s.stage === 'done');
    expect(ended.outcome).toBe('withdrawn');

    const { referralId: terminatedId } = await service.startTransfer(sampleRequest());
    const before = await until(terminatedId, (s) => s.stage === 'inform-member');
    await env.client.workflow.getHandle(workflowIdFor(terminatedId)).terminate('operator stopped it');
    // No result to read: the worker replays the history and answers the query.
    const afterTermination = await service.getTransfer(terminatedId);
    expect(afterTermination.stage).toBe('inform-member');
    expect(afterTermination.referralId).toBe(before.referralId);

    await worker.stop();
    stopped = true;
    // Nothing polls the task queue now. A query would wait for the 15 s deadline; the result does not.
    const startedAt = Date.now();
    const read = await service.getTransfer(withdrawnId);
    expect(Date.now() - startedAt).toBeLessThan(QUERY_DEADLINE_MS / 3);
    expect(read).toEqual(ended);
  } finally {
    if (!stopped) await worker.stop();
  }
}, 120_000);
