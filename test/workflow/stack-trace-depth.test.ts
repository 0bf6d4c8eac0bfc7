import { TASK_QUEUE } from '../../domain/ids';
import { AesGcmPayloadCodec } from '../../infra/payload-codec';
import { eventually } from '../support/eventually';
import { testKeyRing } from '../support/test-codec';
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

test('an error thrown in workflow code still names where in the workflow code it was thrown', async () => {
  // A transfer started without its input fails its first workflow task with a TypeError in workflow code.
  const handle = await h.client.workflow.start('levelOfCareTransition', {
    args: [{}],
    taskQueue: TASK_QUEUE,
    workflowId: `transition-R-STACK${Date.now()}`,
  });
  try {
    const failed = await eventually(
      'the failed workflow task',
      async () =>
        (await handle.fetchHistory()).events?.find((e) => e.workflowTaskFailedEventAttributes)
          ?.workflowTaskFailedEventAttributes?.failure ?? undefined,
    );
    // Message and stack travel encrypted (encodeCommonAttributes): decode them as the UI's codec server would.
    const [decoded] = await new AesGcmPayloadCodec(testKeyRing()).decode([failed.encodedAttributes!]);
    const { stack_trace: stack } = JSON.parse(Buffer.from(decoded!.data!).toString('utf8')) as { stack_trace: string };
    expect(stack).toMatch(/workflows\/[\w/-]+\.ts:\d+/);
  } finally {
    await handle.terminate('test finished');
  }
});
