import { sampleRequest, useTransferHarness } from '../support/transfer-harness';

const h = useTransferHarness();

// The trade in workflows/stack-trace-depth.ts, pinned both ways: the per-promise capture behind the
// UI's Stack Trace tab holds no workflow frame (a fifth of the workflow CPU saved; dropping the
// preload fails the first test), and an error thrown in workflow code keeps its location (a limit of
// 0 fails the second).
test("a waiting transfer's stack-trace query lists no workflow frames: the capture stops at the SDK hook's own", async () => {
  const handle = await h.start(sampleRequest());
  await h.waitFor(handle, (s) => s.consentNeeded !== null);
  const stacks = await handle.query<string>('__stack_trace');
  expect(stacks).not.toMatch(/level-of-care-transition|waiting-stage|workflows\//);
});

test('an event the workflow refuses still names where in the workflow code it was refused', async () => {
  const handle = await h.start(sampleRequest());
  await h.waitFor(handle, (s) => s.consentNeeded !== null);
  const refused = await handle
    .executeUpdate('submitEvent', { args: [{ type: 'no-such-event' }] })
    .catch((err: unknown) => err);
  const cause = (refused as { cause?: Error }).cause;
  expect(cause?.message).toMatch(/type/);
  expect(cause?.stack).toMatch(/workflows\/event-intake\.ts:\d+/);
});
