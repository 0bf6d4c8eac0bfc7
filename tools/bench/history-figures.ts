/**
 * Figures read from workflow histories: events per workflow, the activities/timers/events shape
 * (for the baseline), and event latency: from the workflow task that took an event (its
 * completion for a signal, UpdateAccepted for an Update) to the next activity that task
 * scheduled starting (ActivityTaskStarted); and for signals, arrival to that task's completion.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { pool } from './pool';

const E = temporal.api.enums.v1.EventType;
type History = temporal.api.history.v1.IHistory;

export interface HistoryFigures {
  events: number;
  activities: number;
  localActivities: number;
  upserts: number;
  /** Timers started; of those, how many fired (the rest were cancelled or left open). */
  timers: number;
  timersFired: number;
  /** Child workflows started. */
  children: number;
  /** The history's size as the server stores it (protobuf bytes): what every replay reads. */
  bytes: number;
  /** Events sent to the workflow: signals and Updates. */
  inbound: number;
  /**
   * One figure per inbound event that was followed by an activity before the next one: from the
   * workflow task that took it (for an Update, its acceptance) to that activity starting.
   */
  latenciesMs: number[];
  /** Per signal: from its arrival to the completion of the workflow task that took it (the task's queue wait and run). */
  takenMs: number[];
  /** From the first event to the last: how long the workflow ran. */
  wallMs: number;
  /** Per activity type: time queued (scheduled to started) and running (started to closed), in ms. */
  activityMs: Record<string, { waited: number[]; ran: number[] }>;
}

function millis(t: temporal.api.history.v1.IHistoryEvent['eventTime']): number {
  return Number(t?.seconds ?? 0) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6);
}

export function figuresOf(history: History): HistoryFigures {
  const f: HistoryFigures = {
    events: 0,
    activities: 0,
    localActivities: 0,
    upserts: 0,
    timers: 0,
    timersFired: 0,
    children: 0,
    bytes: temporal.api.history.v1.History.encode(history).finish().length,
    inbound: 0,
    latenciesMs: [],
    takenMs: [],
    wallMs: 0,
    activityMs: {},
  };
  const events = history.events ?? [];
  if (events.length) f.wallMs = millis(events[events.length - 1]!.eventTime) - millis(events[0]!.eventTime);
  /** Scheduled activity -> its type and when it was scheduled, then started. */
  const activity = new Map<number, { type: string; scheduled: number; started?: number }>();
  let lastTaskCompleted: number | undefined;
  /** Workflow task that took an inbound event -> when the server received it. */
  const acceptedIn = new Map<number, number>();
  /** A signal waiting for the workflow task that takes it: when it arrived. */
  let signalledAt: number | undefined;
  /** Activity scheduled by such a task -> when the update it answers was accepted. */
  const answering = new Map<number, number>();
  for (const event of events) {
    f.events++;
    const id = Number(event.eventId);
    switch (event.eventType) {
      case E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
        lastTaskCompleted = id;
        if (signalledAt !== undefined) {
          acceptedIn.set(id, millis(event.eventTime));
          f.takenMs.push(millis(event.eventTime) - signalledAt);
        }
        signalledAt = undefined;
        break;
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
        f.inbound++;
        signalledAt ??= millis(event.eventTime);
        break;
      case E.EVENT_TYPE_TIMER_STARTED:
        f.timers++;
        break;
      case E.EVENT_TYPE_TIMER_FIRED:
        f.timersFired++;
        break;
      case E.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
        f.children++;
        break;
      case E.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
        f.upserts++;
        break;
      case E.EVENT_TYPE_MARKER_RECORDED:
        if (event.markerRecordedEventAttributes?.markerName === 'core_local_activity') f.localActivities++;
        break;
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
        f.inbound++;
        if (lastTaskCompleted !== undefined && !acceptedIn.has(lastTaskCompleted))
          acceptedIn.set(lastTaskCompleted, millis(event.eventTime));
        break;
      case E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: {
        f.activities++;
        activity.set(id, {
          type: event.activityTaskScheduledEventAttributes?.activityType?.name ?? '?',
          scheduled: millis(event.eventTime),
        });
        const accepted = acceptedIn.get(
          Number(event.activityTaskScheduledEventAttributes?.workflowTaskCompletedEventId),
        );
        if (accepted !== undefined) answering.set(id, accepted);
        break;
      }
      case E.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
        // Only the first activity the event caused: later ones wait on it by design.
        const scheduledId = Number(event.activityTaskStartedEventAttributes?.scheduledEventId);
        const a = activity.get(scheduledId);
        if (a) {
          a.started = millis(event.eventTime);
          (f.activityMs[a.type] ??= { waited: [], ran: [] }).waited.push(a.started - a.scheduled);
        }
        const accepted = answering.get(scheduledId);
        if (accepted !== undefined && f.latenciesMs.length < f.inbound)
          f.latenciesMs.push(millis(event.eventTime) - accepted);
        answering.clear();
        break;
      }
      case E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
      case E.EVENT_TYPE_ACTIVITY_TASK_FAILED:
      case E.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT: {
        const attrs =
          event.activityTaskCompletedEventAttributes ??
          event.activityTaskFailedEventAttributes ??
          event.activityTaskTimedOutEventAttributes;
        const a = activity.get(Number(attrs?.scheduledEventId));
        if (a?.started !== undefined) f.activityMs[a.type]!.ran.push(millis(event.eventTime) - a.started);
        break;
      }
    }
  }
  return f;
}

export async function fetchFigures(client: Client, workflowIds: string[]): Promise<HistoryFigures[]> {
  return pool(workflowIds.length, 20, async (i) =>
    figuresOf(await client.workflow.getHandle(workflowIds[i]!).fetchHistory()),
  );
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Mean queue wait and run time per activity type over many workflows, slowest first. */
export function activityTimes(
  figures: HistoryFigures[],
): Record<string, { count: number; waitedMs: number; ranMs: number }> {
  const all: Record<string, { waited: number[]; ran: number[] }> = {};
  for (const f of figures) {
    for (const [type, t] of Object.entries(f.activityMs)) {
      const into = (all[type] ??= { waited: [], ran: [] });
      into.waited.push(...t.waited);
      into.ran.push(...t.ran);
    }
  }
  const rows = Object.entries(all).map(
    ([type, t]) =>
      [type, { count: t.ran.length, waitedMs: Math.round(mean(t.waited)), ranMs: Math.round(mean(t.ran)) }] as const,
  );
  return Object.fromEntries(rows.sort((a, b) => b[1].waitedMs + b[1].ranMs - (a[1].waitedMs + a[1].ranMs)));
}

export const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
