/**
 * What `referrals repair` proposes for the two ways the worker-kill drill has left a transfer
 * stuck, read from their recorded histories (docs/evidence/, payloads encrypted with a throwaway
 * key): where each run is reset to, and what is applied again. The reset itself runs against the
 * real server in transfer-repair.test.ts and bench/repro-update-order/run.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import Long from 'long';
import { planFromHistory } from '../client/workflow-repair';

const { EventType, WorkflowTaskFailedCause } = temporal.api.enums.v1;

/** The CLI's JSON (`temporal workflow show -o json`), with what the plan reads: ids, types, task failures. */
function evidence(name: string): temporal.api.history.v1.IHistoryEvent[] {
  const { events } = JSON.parse(readFileSync(path.join(__dirname, '..', 'docs', 'evidence', name), 'utf8')) as {
    events: { eventId: string; eventType: keyof typeof EventType; workflowTaskFailedEventAttributes?: { cause: keyof typeof WorkflowTaskFailedCause; failure?: { message?: string } } }[];
  };
  return events.map((e) => ({
    eventId: Long.fromString(e.eventId),
    eventType: EventType[e.eventType],
    ...(e.workflowTaskFailedEventAttributes && {
      workflowTaskFailedEventAttributes: { cause: WorkflowTaskFailedCause[e.workflowTaskFailedEventAttributes.cause], failure: e.workflowTaskFailedEventAttributes.failure },
    }),
  })) as temporal.api.history.v1.IHistoryEvent[];
}

test('an Update recorded after the completion it arrived with (nondeterminism on replay): reset to before that task', () => {
  expect(planFromHistory('run-1', evidence('worker-kill-update-order.history.json'))).toEqual({
    kind: 'reset', runId: 'run-1', why: 'nondeterminism', cause: 'WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR',
    firstFailedEventId: 40, failedEventId: 43,
    // The failure names event 30, recorded by the task completed at 29.
    resetToEventId: 29,
    reapplied: { updates: 1, signals: 0 },
    activitiesRunAgain: 1,
  });
});

test('a timer cancel the server refuses, every other task: reset to before the task that lost the timer', () => {
  expect(planFromHistory('run-2', evidence('worker-kill-bad-cancel-timer.history.json'))).toEqual({
    kind: 'reset', runId: 'run-2', why: 'command-refused', cause: 'WORKFLOW_TASK_FAILED_CAUSE_BAD_CANCEL_TIMER_ATTRIBUTES',
    // Failed at 54 and 60, completed and timed out between: one streak, from 54.
    firstFailedEventId: 54, failedEventId: 60,
    resetToEventId: 46,
    reapplied: { updates: 1, signals: 0 },
    activitiesRunAgain: 0,
  });
});

test('a run whose tasks do not fail, or fail for another reason, is left alone', () => {
  const healthy = evidence('worker-kill-update-order.history.json').filter((e) => Number(e.eventId) <= 39);
  expect(planFromHistory('run-3', healthy)).toEqual({ kind: 'not-stuck', runId: 'run-3' });

  const otherCause = evidence('worker-kill-bad-cancel-timer.history.json').map((e) =>
    e.workflowTaskFailedEventAttributes ? { ...e, workflowTaskFailedEventAttributes: { ...e.workflowTaskFailedEventAttributes, cause: 22 } } : e,
  );
  expect(planFromHistory('run-4', otherCause)).toMatchObject({ kind: 'failing-otherwise', failedEventId: 60 });
});
