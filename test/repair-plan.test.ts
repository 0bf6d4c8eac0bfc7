/**
 * What `referrals repair` proposes for the two ways the worker-kill drill has left a transfer
 * stuck, and how it tells whether a reset run goes on, read from recorded histories (test/repair-histories/, payloads encrypted with a throwaway
 * key): where each run is reset to, and what is applied again. The reset itself runs against the
 * real server in transfer-repair.test.ts and tools/repro-update-order/run.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import Long from 'long';
import { planFromHistory, sinceReset } from '../client/workflow-repair';

const { EventType, WorkflowTaskFailedCause } = temporal.api.enums.v1;

/** The CLI's JSON (`temporal workflow show -o json`), with what the plan reads: ids, types, task failures. */
function evidence(name: string): temporal.api.history.v1.IHistoryEvent[] {
  const { events } = JSON.parse(readFileSync(path.join(__dirname, 'repair-histories', name), 'utf8')) as {
    events: {
      eventId: string;
      eventType: keyof typeof EventType;
      workflowTaskFailedEventAttributes?: {
        cause: keyof typeof WorkflowTaskFailedCause;
        failure?: { message?: string };
      };
    }[];
  };
  return events.map((e) => ({
    eventId: Long.fromString(e.eventId),
    eventType: EventType[e.eventType],
    ...(e.workflowTaskFailedEventAttributes && {
      workflowTaskFailedEventAttributes: {
        cause: WorkflowTaskFailedCause[e.workflowTaskFailedEventAttributes.cause],
        failure: e.workflowTaskFailedEventAttributes.failure,
      },
    }),
  })) as temporal.api.history.v1.IHistoryEvent[];
}

// The first: a task recorded an activity's completion before the Update that came with it, and the
// replay fails on the event the task completed at 29 recorded (30). The second: failed at 54 and
// 60, completed and timed out between, one loop, from 54.
test.each([
  [
    'worker-kill-update-order.history.json',
    'nondeterminism',
    'WORKFLOW_TASK_FAILED_CAUSE_NON_DETERMINISTIC_ERROR',
    40,
    43,
    29,
    1,
  ],
  [
    'worker-kill-bad-cancel-timer.history.json',
    'command-refused',
    'WORKFLOW_TASK_FAILED_CAUSE_BAD_CANCEL_TIMER_ATTRIBUTES',
    54,
    60,
    46,
    0,
  ],
])(
  '%s: %s, reset to before the task that went wrong, its Update applied again',
  (file, why, cause, firstFailedEventId, failedEventId, resetToEventId, activitiesRunAgain) => {
    expect(planFromHistory('run-1', evidence(file))).toEqual({
      kind: 'reset',
      runId: 'run-1',
      why,
      cause,
      firstFailedEventId,
      failedEventId,
      resetToEventId,
      reapplied: { updates: 1, signals: 0 },
      activitiesRunAgain,
    });
  },
);

test('a run whose tasks do not fail, or fail for another reason, is left alone', () => {
  const healthy = evidence('worker-kill-update-order.history.json').filter((e) => Number(e.eventId) <= 39);
  expect(planFromHistory('run-3', healthy)).toEqual({ kind: 'not-stuck', runId: 'run-3' });

  const otherCause = evidence('worker-kill-bad-cancel-timer.history.json').map((e) =>
    e.workflowTaskFailedEventAttributes
      ? { ...e, workflowTaskFailedEventAttributes: { ...e.workflowTaskFailedEventAttributes, cause: 22 } }
      : e,
  );
  expect(planFromHistory('run-4', otherCause)).toMatchObject({ kind: 'failing-otherwise', failedEventId: 60 });
});

test("after a reset, only the new run's tasks count: a failure copied from the old run does not, a loop that comes back does", () => {
  // A run reset (event 60) to a point inside the loop: the copied history holds the old failure at 52.
  const reset = evidence('worker-kill-bad-cancel-timer-after-reset.history.json');
  expect(sinceReset(reset.filter((e) => Number(e.eventId) <= 64))).toEqual({ completed: true, failed: false });
  // Its second task (66) failed again: not repaired.
  expect(sinceReset(reset)).toEqual({ completed: true, failed: true });
});
