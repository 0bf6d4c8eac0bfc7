/**
 * Freeing a workflow whose workflow tasks keep failing, on a nondeterminism error or on a command
 * the server refuses: a reset to the last workflow task before the trouble, which Temporal
 * performs on the server. A worker restart at the wrong moment can leave a transfer so
 * (docs/performance.md, Drills: the SDK's core records a task in another order than a replay, or
 * later cancels a timer the server never had); a deploy that changed workflow code without a
 * patch can too. Nothing is lost by the reset: the server applies again every
 * Update and signal the run took after that point, and activities that run again are safe to run
 * twice (sends are deduplicated by the send ledger).
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import Long from 'long';

const { EventType, WorkflowTaskFailedCause } = temporal.api.enums.v1;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export type RepairPlan =
  | { kind: 'not-running'; runId: string; status: string }
  | { kind: 'not-stuck'; runId: string }
  /** Its tasks fail for another reason (a bug, an outage), which a reset would not cure. */
  | { kind: 'failing-otherwise'; runId: string; failedEventId: number; cause: string }
  /** Nondeterminism, but the failure does not say which event; left to a person with `temporal workflow reset`. */
  | { kind: 'no-reset-point'; runId: string; failedEventId: number }
  | {
      kind: 'reset';
      runId: string;
      /**
       * nondeterminism: the replay no longer matches a recorded event. command-refused: the worker
       * keeps sending a command about a timer or activity the server never had (it then fails
       * every other task, in a loop); the worker's state went wrong in the task before.
       */
      why: 'nondeterminism' | 'command-refused';
      cause: string;
      /** The first and the latest failed task of the current run of failures. */
      firstFailedEventId: number;
      failedEventId: number;
      /** The WorkflowTaskCompleted whose commands are in doubt: the run is reset to just before it. */
      resetToEventId: number;
      /** What the server applies again on the new run, and what runs again. */
      reapplied: { updates: number; signals: number };
      activitiesRunAgain: number;
    };

export type RepairOutcome = {
  oldRunId: string;
  newRunId: string;
  /** Whether the new run's tasks complete, with none failing a few seconds on (false: they fail again, or no worker runs). */
  resumed: boolean;
};

/** Where a nondeterminism failure names the event it could not match (sdk-core's wording): reset before it. */
const MISMATCHED_EVENT = /HistoryEvent\(id: (\d+)/;

/** Reads the running workflow's history and says what a repair would do; changes nothing. */
export async function planRepair(client: Client, workflowId: string): Promise<RepairPlan> {
  const handle = client.workflow.getHandle(workflowId);
  const description = await handle.describe();
  const runId = description.runId;
  if (description.status.name !== 'RUNNING') {
    return { kind: 'not-running', runId, status: description.status.name.toLowerCase() };
  }
  const events = (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
  return planFromHistory(runId, events);
}

export function planFromHistory(runId: string, events: HistoryEvent[]): RepairPlan {
  const streak = failingStreak(events);
  if (!streak) return { kind: 'not-stuck', runId };
  const { first, last } = streak;
  const failure = last.workflowTaskFailedEventAttributes;
  const causeCode = failure?.cause ?? 0;
  const cause = WorkflowTaskFailedCause[causeCode] ?? 'unknown';
  let before: number;
  let why: 'nondeterminism' | 'command-refused';
  if (causeCode === WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR) {
    const named = MISMATCHED_EVENT.exec(failure?.failure?.message ?? '');
    if (!named) return { kind: 'no-reset-point', runId, failedEventId: idOf(last) };
    before = Number(named[1]);
    why = 'nondeterminism';
  } else if (REFUSED_COMMAND_CAUSES.has(causeCode)) {
    before = idOf(first);
    why = 'command-refused';
  } else {
    return { kind: 'failing-otherwise', runId, failedEventId: idOf(last), cause };
  }
  const resetTo = [...events]
    .reverse()
    .find((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED && idOf(e) < before);
  if (!resetTo) return { kind: 'no-reset-point', runId, failedEventId: idOf(last) };
  const resetToEventId = idOf(resetTo);
  const after = events.filter((e) => idOf(e) > resetToEventId);
  const count = (type: number) => after.filter((e) => e.eventType === type).length;
  return {
    kind: 'reset',
    runId,
    why,
    cause,
    firstFailedEventId: idOf(first),
    failedEventId: idOf(last),
    resetToEventId,
    reapplied: {
      updates: count(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED),
      signals: count(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED),
    },
    activitiesRunAgain: count(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
  };
}

/**
 * The failure the run is in now, if any: its last workflow task failed, or one of its last three
 * did (a refused command fails every other task; the tasks between complete or time out). `first`
 * is the run's earliest failure with the same cause: a healthy run never has a command refused,
 * and a reset to a point after the first one would keep the worker's wrong state (seen in a drill).
 */
function failingStreak(events: HistoryEvent[]): { first: HistoryEvent; last: HistoryEvent } | undefined {
  const outcomes = events.filter((e) => TASK_OUTCOMES.has(e.eventType ?? 0));
  const isFailure = (e: HistoryEvent) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED;
  const recent = outcomes.slice(-RECENT_OUTCOMES).filter(isFailure);
  const last = recent.at(-1);
  if (!last) return undefined;
  const cause = last.workflowTaskFailedEventAttributes?.cause;
  const first = outcomes.find((e) => isFailure(e) && e.workflowTaskFailedEventAttributes?.cause === cause)!;
  return { first, last };
}

/** How far back a failure still counts as the run's current state (a refused command: failed, completed, timed out, failed). */
const RECENT_OUTCOMES = 3;

/** The worker sends a command about something the server never had: its state went wrong, a reset rebuilds it. */
const REFUSED_COMMAND_CAUSES = new Set<number>([
  WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_CANCEL_TIMER_ATTRIBUTES,
  WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_START_TIMER_ATTRIBUTES,
  WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_REQUEST_CANCEL_ACTIVITY_ATTRIBUTES,
]);

/**
 * Resets the run the plan was made for (refused by the server if another run has since started),
 * then waits up to `waitMs` to see the new run's workflow tasks complete (`resumes`).
 */
export async function applyRepair(
  client: Client,
  workflowId: string,
  plan: Extract<RepairPlan, { kind: 'reset' }>,
  reason: string,
  waitMs = 20_000,
): Promise<RepairOutcome> {
  const { runId: newRunId } = await client.workflowService.resetWorkflowExecution({
    namespace: client.options.namespace,
    workflowExecution: { workflowId, runId: plan.runId },
    reason,
    workflowTaskFinishEventId: Long.fromNumber(plan.resetToEventId),
    // One id per repair: the client's retries of this call cannot reset twice.
    requestId: randomUUID(),
    // Nothing excluded: Updates and signals after the reset point are applied again.
    resetReapplyExcludeTypes: [],
  });
  return { oldRunId: plan.runId, newRunId, resumed: await resumes(client, workflowId, newRunId, waitMs) };
}

/**
 * Whether the new run's tasks complete: one has, and none has failed in the `SETTLE_MS` after it
 * (a refused-command loop completes a task, then fails the next), within `waitMs`.
 */
async function resumes(client: Client, workflowId: string, runId: string, waitMs: number): Promise<boolean> {
  const handle = client.workflow.getHandle(workflowId, runId);
  const until = Date.now() + waitMs;
  let settledAt: number | undefined;
  for (;;) {
    const since = sinceReset((await handle.fetchHistory()).events ?? []);
    if (since.failed) return false;
    if (since.completed) settledAt ??= Date.now() + SETTLE_MS;
    if (settledAt !== undefined && Date.now() >= settledAt) return true;
    if (Date.now() >= until) return false;
    await new Promise((r) => setTimeout(r, 250));
  }
}

const SETTLE_MS = 5_000;

/**
 * The workflow tasks a reset run has had since the reset: the history before the reset's own
 * WorkflowTaskFailed (cause RESET_WORKFLOW; the last one, as a run may be reset again) is copied
 * from the old run, failures included.
 */
export function sinceReset(events: HistoryEvent[]): { completed: boolean; failed: boolean } {
  const isResetMark = (e: HistoryEvent) =>
    e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED &&
    e.workflowTaskFailedEventAttributes?.cause === WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW;
  const mark = events.map(isResetMark).lastIndexOf(true);
  const after = events.slice(mark + 1);
  return {
    completed: after.some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED),
    failed: after.some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED),
  };
}

const TASK_OUTCOMES = new Set<number>([
  EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
]);

const idOf = (e: HistoryEvent): number => Number(e.eventId ?? 0);
