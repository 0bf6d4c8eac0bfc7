import { WORKFLOW_STACK_FRAMES } from '../../workflows/stack-trace-depth';
import { sampleRequest, useTransferHarness } from '../support/transfer-harness';

const h = useTransferHarness();

// The trade in workflows/stack-trace-depth.ts, pinned: the per-promise capture behind the UI's Stack
// Trace tab holds no workflow frame (a fifth of the workflow CPU saved), so nobody drops the preload
// without seeing the cost come back in bench/replay-cost.ts.
test("a waiting transfer's stack-trace query lists no workflow frames: the capture stops at the SDK hook's own", async () => {
  expect(WORKFLOW_STACK_FRAMES).toBe(2);
  const handle = await h.start(sampleRequest());
  await h.waitFor(handle, (s) => s.consentNeeded !== null);
  const stacks = await handle.query<string>('__stack_trace');
  expect(stacks).not.toMatch(/level-of-care-transition|waiting-stage|workflows\//);
});
