/**
 * Issue 7's budget: a happy-path transfer stays within 150 history events, measured by the bench
 * on the dev server (121 to 126 since events became signals). History length is what every cache
 * miss replays and what the server stores. The time-skipping server schedules workflow tasks by its
 * own clock (34 to 37 tasks on this path, three events each), so this guard counts what the transfer
 * itself records: activities, timers, signals and markers, 74 events on this path. It allows 80: a
 * change that adds activities, timers or patch markers to every transfer shows up here. The bench's
 * bare baseline must record the happy path's shape (tools/bench/happy-path-shape.ts); the transfer's
 * own is checked on the real dev server (test/bench-happy-path-shape.test.ts), where the bench runs.
 */
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { referralsDataConverter } from '../../infra/data-converter';
import { BASELINE_TASK_QUEUE } from '../../tools/bench/baseline-workflow';
import { benchPolicy } from '../../tools/bench/bench-policy';
import { driveBaseline } from '../../tools/bench/drive-baseline';
import { HAPPY_PATH_SHAPE, shapeOf, waitingChildShape } from '../../tools/bench/happy-path-shape';
import { figuresOf } from '../../tools/bench/history-figures';
import { testKeyRing } from '../support/test-codec';
import { partner, sampleRequest, useTransferHarness } from '../support/transfer-harness';
import { arrangeHandoff, closeTheEpisode, informAndConsent } from '../support/drive';

const h = useTransferHarness();

const { EventType } = temporal.api.enums.v1;
const workflowTaskEvents = new Set<temporal.api.enums.v1.EventType>([
  EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
]);

test('the bench happy path (Part 2 residential discharge, one member reminder) stays within its history budget', async () => {
  // Everyone answers at once, as the bench's simulated people do (tools/bench/simulated-people.ts).
  const handle = await h.start(sampleRequest(), benchPolicy());
  const provider = partner('bayside-outpatient');
  await informAndConsent(h, handle, [{ providerId: 'bayside-outpatient' }]);
  await h.send(handle, { type: 'packet-acknowledged', actor: provider });
  const appointmentAt = new Date((await h.now()).getTime() + 10 * 60_000);
  await h.send(handle, { type: 'appointment-scheduled', actor: provider, appointmentAt: appointmentAt.toISOString() });
  await arrangeHandoff(h, handle);
  await h.advance(appointmentAt.getTime() - (await h.now()).getTime() + 1000);
  await h.waitFor(handle, (s) => s.stage === 'confirm-attendance');
  await h.send(handle, { type: 'attendance-confirmed', actor: provider });
  await h.waitFor(handle, (s) => s.stage === 'close-episode');
  await closeTheEpisode(h, handle);
  expect((await handle.result()).outcome).toBe('linked');

  const { events } = await handle.fetchHistory();
  const recordedByTheTransfer = (events ?? []).filter((e) => !workflowTaskEvents.has(e.eventType ?? 0));
  const patchMarkers = (events ?? []).filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch');
  expect(patchMarkers).toHaveLength(0); // the version baseline: no pre-release change asks patched() (docs/versioning.md)
  expect(recordedByTheTransfer.length).toBeLessThanOrEqual(80);
});

test("the bench's bare baseline records the happy path's shape, its child included", async () => {
  const worker = await Worker.create({
    connection: h.env.nativeConnection,
    taskQueue: BASELINE_TASK_QUEUE,
    workflowsPath: require.resolve('../../tools/bench/baseline-workflow'),
    activities: { noop: async (): Promise<void> => undefined },
    dataConverter: referralsDataConverter(testKeyRing()),
  });
  // The worker runs on until the child has done its work: the parent ends before that.
  const { workflowId, childShape } = await worker.runUntil(async () => {
    const id = await driveBaseline(h.client, HAPPY_PATH_SHAPE, 2_000);
    return { workflowId: id, childShape: await waitingChildShape(h.client, `${id}-child`) };
  });
  const { child, ...shape } = HAPPY_PATH_SHAPE;
  expect(shapeOf(figuresOf(await h.client.workflow.getHandle(workflowId).fetchHistory()))).toEqual(shape);
  expect(childShape).toEqual(child);
}, 120_000);
