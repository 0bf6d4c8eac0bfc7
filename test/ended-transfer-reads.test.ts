/**
 * Reading a transfer after it has ended, on the real dev server (CLI 1.9.1) with the real worker:
 * a completed transfer's final state comes from the server alone, so staff can read it while no
 * worker runs; a terminated one (no result) is still read, by a worker replaying its history.
 */
import { QUERY_DEADLINE_MS } from '../client/workflow-calls';
import { workflowIdFor } from '../domain/ids';
import type { TransferState } from '../domain/state';
import { useDevServerStack } from './support/local-dev-server';
import { CASE_MANAGER, sampleRequest } from './support/transfer-harness';
import { useFreshAppDb } from './support/app-db';

// The worker's send ledger and opt-outs, in a schema of this file's own.
useFreshAppDb();
const stack = useDevServerStack('referrals-ended-');

async function until(referralId: string, ready: (s: TransferState) => boolean): Promise<TransferState> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const state = await stack.service.getTransfer(referralId);
    if (ready(state)) return state;
    if (Date.now() > deadline) throw new Error(`transfer ${referralId} stayed at ${state.stage}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('a withdrawn transfer reads without a worker; a terminated one reads by replay', async () => {
  const { service, env } = stack;
  const stopWorker = await stack.runWorker();
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

    await stopWorker();
    stopped = true;
    // Nothing polls the task queue now. A query would wait for the 15 s deadline; the result does not.
    const startedAt = Date.now();
    const read = await service.getTransfer(withdrawnId);
    expect(Date.now() - startedAt).toBeLessThan(QUERY_DEADLINE_MS / 3);
    expect(read).toEqual(ended);
  } finally {
    if (!stopped) await stopWorker();
  }
}, 120_000);
