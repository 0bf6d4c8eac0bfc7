/**
 * Figures read from workflow histories: events per workflow, the activities/timers/events shape
 * (for the baseline), and event latency: from an Update being accepted (the server's
 * UpdateAccepted event) to the workflow's next activity starting (ActivityTaskStarted).
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { pool } from './simulated-people';

const E = temporal.api.enums.v1.EventType;
type History = temporal.api.history.v1.IHistory;

export interface HistoryFigures {
  events: number;
  activities: number;
  localActivities: number;
  upserts: number;
  timers: number;
  updates: number;
  /** One figure per accepted update that was followed by an activity before the next update. */
  latenciesMs: number[];
}

function millis(t: temporal.api.history.v1.IHistoryEvent['eventTime']): number {
  return Number(t?.seconds ?? 0) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6);
}

export function figuresOf(history: History): HistoryFigures {
  const f: HistoryFigures = { events: 0, activities: 0, localActivities: 0, upserts: 0, timers: 0, updates: 0, latenciesMs: [] };
  let lastTaskCompleted: number | undefined;
  /** Workflow task that accepted an update -> when the server accepted it. */
  const acceptedIn = new Map<number, number>();
  /** Activity scheduled by such a task -> when the update it answers was accepted. */
  const answering = new Map<number, number>();
  for (const event of history.events ?? []) {
    f.events++;
    const id = Number(event.eventId);
    switch (event.eventType) {
      case E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED: lastTaskCompleted = id; break;
      case E.EVENT_TYPE_TIMER_STARTED: f.timers++; break;
      case E.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: f.upserts++; break;
      case E.EVENT_TYPE_MARKER_RECORDED:
        if (event.markerRecordedEventAttributes?.markerName === 'core_local_activity') f.localActivities++;
        break;
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
        f.updates++;
        if (lastTaskCompleted !== undefined && !acceptedIn.has(lastTaskCompleted)) acceptedIn.set(lastTaskCompleted, millis(event.eventTime));
        break;
      case E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: {
        f.activities++;
        const accepted = acceptedIn.get(Number(event.activityTaskScheduledEventAttributes?.workflowTaskCompletedEventId));
        if (accepted !== undefined) answering.set(id, accepted);
        break;
      }
      case E.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
        // Only the first activity the event caused: later ones wait on it by design.
        const scheduledId = Number(event.activityTaskStartedEventAttributes?.scheduledEventId);
        const accepted = answering.get(scheduledId);
        if (accepted !== undefined && f.latenciesMs.length < f.updates) f.latenciesMs.push(millis(event.eventTime) - accepted);
        answering.clear();
        break;
      }
    }
  }
  return f;
}

export async function fetchFigures(client: Client, workflowIds: string[]): Promise<HistoryFigures[]> {
  return pool(workflowIds.length, 20, async (i) => figuresOf(await client.workflow.getHandle(workflowIds[i]!).fetchHistory()));
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
