/** What `referrals repair` prints: the plan in words, and what the reset did. */
import type { RepairOutcome, RepairPlan } from '../workflow-repair';

export function renderRepairPlan(referralId: string, plan: RepairPlan): string {
  switch (plan.kind) {
    case 'not-running':
      return `${referralId} is not running (${plan.status}). Nothing to repair.`;
    case 'not-stuck':
      return `${referralId} is not stuck: its workflow tasks do not fail. Nothing to repair.`;
    case 'failing-otherwise':
      return `${referralId}: its workflow tasks fail (event ${plan.failedEventId}, ${plan.cause}), in a way a reset does not cure; see the worker's log.`;
    case 'no-reset-point':
      return `${referralId}: its workflow tasks fail on nondeterminism (event ${plan.failedEventId}), but the failure names no event to reset before. Reset by hand: temporal workflow reset --workflow-id <id> --event-id <event>.`;
    case 'reset':
      return [
        plan.why === 'nondeterminism'
          ? `${referralId} is stuck: its workflow tasks fail on nondeterminism (event ${plan.failedEventId}).`
          : `${referralId} is stuck: since event ${plan.firstFailedEventId} the server refuses a command of its worker (${plan.cause}), every other task.`,
        `The repair resets it to event ${plan.resetToEventId}, the last task before the trouble.`,
        `Applied again: ${plural(plan.reapplied.updates, 'Update')}, ${plural(plan.reapplied.signals, 'signal')}. Run again: ${plural(plan.activitiesRunAgain, 'activity', 'activities')} (a message already sent is not sent twice).`,
      ].join('\n');
  }
}

export function renderRepairOutcome(referralId: string, outcome: RepairOutcome): string {
  return outcome.resumed
    ? `${referralId} repaired: new run ${outcome.newRunId} (was ${outcome.oldRunId}); its workflow tasks complete again.`
    : `${referralId} reset to new run ${outcome.newRunId} (was ${outcome.oldRunId}), but its workflow tasks do not complete: check that a worker runs, then the run in the Temporal UI; \`repair\` again says whether it is stuck once more.`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
