import { temporal } from '@temporalio/proto';
import { activityTimes, figuresOf } from '../tools/bench/history-figures';

const E = temporal.api.enums.v1.EventType;
const at = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });
/** fromObject takes plain numbers where the types want Long, as a history read from JSON does. */
const events = (list: Record<string, unknown>[]) => list.map((e) => temporal.api.history.v1.HistoryEvent.fromObject(e));

const event = (eventId: number, ms: number, type: keyof typeof E, attributes: Record<string, unknown> = {}) => ({
  eventId,
  eventTime: at(ms),
  eventType: E[type],
  ...attributes,
});
/** An activity's three events: scheduled (by a workflow task), started, and completed or failed. */
const activity = (
  firstId: number,
  name: string,
  byTask: number,
  [scheduled, started, ended]: [number, number, number],
  end: 'COMPLETED' | 'FAILED',
) => [
  event(firstId, scheduled, 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED', {
    activityTaskScheduledEventAttributes: { activityType: { name }, workflowTaskCompletedEventId: byTask },
  }),
  event(firstId + 1, started, 'EVENT_TYPE_ACTIVITY_TASK_STARTED', {
    activityTaskStartedEventAttributes: { scheduledEventId: firstId },
  }),
  event(firstId + 2, ended, `EVENT_TYPE_ACTIVITY_TASK_${end}`, {
    [end === 'COMPLETED' ? 'activityTaskCompletedEventAttributes' : 'activityTaskFailedEventAttributes']: {
      scheduledEventId: firstId,
    },
  }),
];

/** A history: start, an update accepted, one activity (queued 5 ms, run 120 ms), a second that fails after 300 ms, end. */
const raw: Record<string, unknown>[] = [
  event(1, 10_000, 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED'),
  event(2, 10_010, 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED'),
  event(3, 10_012, 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED'),
  event(4, 10_020, 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED'),
  ...activity(5, 'sendNotice', 2, [10_021, 10_026, 10_146], 'COMPLETED'),
  ...activity(8, 'disclose', 4, [10_150, 10_150, 10_450], 'FAILED'),
  event(11, 12_500, 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED'),
];
const history: temporal.api.history.v1.IHistory = { events: events(raw) };

test("a history gives its length, the event-to-activity latency and each activity type's queue wait and run time", () => {
  const f = figuresOf(history);
  expect(f).toMatchObject({ events: 11, activities: 2, inbound: 1, wallMs: 2_500, latenciesMs: [14] });
  expect(f.activityMs).toEqual({ sendNotice: { waited: [5], ran: [120] }, disclose: { waited: [0], ran: [300] } });
});

test('activity times are meaned over many transfers, slowest first', () => {
  const other = figuresOf({ events: events(raw.map((e) => (e.eventId === 7 ? { ...e, eventTime: at(10_226) } : e))) });
  expect(activityTimes([figuresOf(history), other])).toEqual({
    disclose: { count: 2, waitedMs: 0, ranMs: 300 },
    sendNotice: { count: 2, waitedMs: 5, ranMs: 160 },
  });
});

test("a signal is taken from its arrival to its task's completion, then runs to the start of the first activity that task scheduled", () => {
  const signalled = figuresOf({
    events: events([
      event(1, 10_000, 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED'),
      event(2, 10_004, 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED'),
      event(3, 10_010, 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED'),
      ...activity(4, 'sendNotice', 3, [10_011, 10_020, 10_100], 'COMPLETED'),
      event(7, 10_200, 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED'),
    ]),
  });
  expect(signalled).toMatchObject({ inbound: 1, latenciesMs: [10], takenMs: [6] });
});
