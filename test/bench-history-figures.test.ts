import { temporal } from '@temporalio/proto';
import { activityTimes, figuresOf } from '../tools/bench/history-figures';

const E = temporal.api.enums.v1.EventType;
const at = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });
/** fromObject takes plain numbers where the types want Long, as a history read from JSON does. */
const events = (list: Record<string, unknown>[]) => list.map((e) => temporal.api.history.v1.HistoryEvent.fromObject(e));

/** A history: start, an update accepted, one activity (queued 5 ms, run 120 ms), a second that fails after 300 ms, end. */
const raw: Record<string, unknown>[] = [
  { eventId: 1, eventTime: at(10_000), eventType: E.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED },
  { eventId: 2, eventTime: at(10_010), eventType: E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED },
  { eventId: 3, eventTime: at(10_012), eventType: E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED },
  { eventId: 4, eventTime: at(10_020), eventType: E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED },
  {
    eventId: 5,
    eventTime: at(10_021),
    eventType: E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
    activityTaskScheduledEventAttributes: { activityType: { name: 'sendNotice' }, workflowTaskCompletedEventId: 2 },
  },
  {
    eventId: 6,
    eventTime: at(10_026),
    eventType: E.EVENT_TYPE_ACTIVITY_TASK_STARTED,
    activityTaskStartedEventAttributes: { scheduledEventId: 5 },
  },
  {
    eventId: 7,
    eventTime: at(10_146),
    eventType: E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
    activityTaskCompletedEventAttributes: { scheduledEventId: 5 },
  },
  {
    eventId: 8,
    eventTime: at(10_150),
    eventType: E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
    activityTaskScheduledEventAttributes: { activityType: { name: 'disclose' }, workflowTaskCompletedEventId: 4 },
  },
  {
    eventId: 9,
    eventTime: at(10_150),
    eventType: E.EVENT_TYPE_ACTIVITY_TASK_STARTED,
    activityTaskStartedEventAttributes: { scheduledEventId: 8 },
  },
  {
    eventId: 10,
    eventTime: at(10_450),
    eventType: E.EVENT_TYPE_ACTIVITY_TASK_FAILED,
    activityTaskFailedEventAttributes: { scheduledEventId: 8 },
  },
  { eventId: 11, eventTime: at(12_500), eventType: E.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED },
];
const history: temporal.api.history.v1.IHistory = { events: events(raw) };

test("a history gives its length, the update-to-activity latency and each activity type's queue wait and run time", () => {
  const f = figuresOf(history);
  expect(f).toMatchObject({ events: 11, activities: 2, updates: 1, wallMs: 2_500, latenciesMs: [14] });
  expect(f.activityMs).toEqual({ sendNotice: { waited: [5], ran: [120] }, disclose: { waited: [0], ran: [300] } });
});

test('activity times are meaned over many transfers, slowest first', () => {
  const other = figuresOf({ events: events(raw.map((e) => (e.eventId === 7 ? { ...e, eventTime: at(10_226) } : e))) });
  expect(activityTimes([figuresOf(history), other])).toEqual({
    disclose: { count: 2, waitedMs: 0, ranMs: 300 },
    sendNotice: { count: 2, waitedMs: 5, ranMs: 160 },
  });
});
