/**
 * The escalation ladder every waiting stage runs (DESIGN.md, "Waiting, reminding, escalating";
 * seed 002: "despite repeated requests ... the clinic director can contact their contract monitor").
 * Level 0 is the request itself, sent when the stage starts.
 *
 * Time is business time: reminders fall at fractions of the stage's business hours (half of a
 * 1-business-day deadline is half of that day's open hours, not 12 clock hours), and every step
 * is placed within business hours, so nobody is written to at night, on a weekend or on a holiday.
 * Level 3 goes outside the county (the partner's contract monitor) only when a partner is late;
 * a step the county or the member owes escalates within the county, to the program manager.
 */
import { addBusinessMinutes, addDuration, businessMinutesBetween, withinBusinessHours } from './calendar';
import type { Policy } from './policy';
import type { WaitingOn } from './stages';

export type EscalationLevel = 0 | 1 | 2 | 3;

export type LadderStep =
  | { level: 1; kind: 'reminder'; at: Date; reminderNumber: number }
  | { level: 2; kind: 'clinic-director'; at: Date }
  | { level: 3; kind: 'contract-monitor' | 'program-manager'; at: Date };
export type EscalationTarget = Exclude<LadderStep['kind'], 'reminder'>;
/** A step as the state keeps it: taken (`stageEscalations`) or coming (`upcomingSteps`). */
export type StepRecord = { kind: LadderStep['kind']; at: string; reminderNumber?: number };

/** Where a transfer or a clock stands on its ladder: the fields every waiting stage keeps. */
export interface LadderPosition<S extends string> {
  stage: S | 'done';
  waitingOn: WaitingOn;
  stageStartedAt: string;
  stageDeadline: string | null;
  escalationLevel: EscalationLevel;
  /** Ladder steps taken in the current stage, for the managers' current details. */
  stageEscalations: StepRecord[];
  /** Ladder steps still to come in the current stage, at the times the workflow will take them. */
  upcomingSteps: StepRecord[];
}

export const STEP_LABELS: Record<LadderStep['kind'], string> = {
  reminder: 'reminder',
  'clinic-director': 'clinic director',
  'contract-monitor': 'contract monitor',
  'program-manager': 'program manager',
};

/**
 * Who hears a stage's request and its reminders (levels 0 and 1), by whom the stage awaits; levels
 * 2 and 3 go to whom the step names. A transfer writes to its partner itself; on a coordination
 * clock staff make the contacts (docs/clocks.md), so an awaited provider is the case manager's
 * task, while the plan's notice stage writes to the plan. The member is reached through the case
 * manager (and, in a transfer, by text or email through quiet hours and caps).
 */
const AWAITED_AUDIENCE: Record<
  'transfer' | 'clock',
  Record<WaitingOn, 'partner' | 'managed-care-plan' | 'case-manager'>
> = {
  transfer: {
    partner: 'partner',
    'managed-care-plan': 'case-manager',
    member: 'case-manager',
    'case-manager': 'case-manager',
    none: 'case-manager',
  },
  clock: {
    partner: 'case-manager',
    'managed-care-plan': 'managed-care-plan',
    member: 'case-manager',
    'case-manager': 'case-manager',
    none: 'case-manager',
  },
};

export function awaitedAudience(subject: 'transfer' | 'clock', waitingOn: WaitingOn) {
  return AWAITED_AUDIENCE[subject][waitingOn];
}

export function escalationLadder(stageStart: Date, deadline: Date, policy: Policy, waitingOn: WaitingOn): LadderStep[] {
  const cal = policy.calendar;
  const span = businessMinutesBetween(stageStart, deadline, cal);
  const reminders: LadderStep[] = [...new Set(policy.ladder.reminderFractions)]
    .sort((a, b) => a - b)
    .map((fraction, i) => ({
      level: 1,
      kind: 'reminder',
      at: addBusinessMinutes(stageStart, Math.round(span * fraction), cal),
      reminderNumber: i + 1,
    }));
  const afterDeadline = (d: Policy['ladder']['clinicDirectorAfterDeadline']) =>
    withinBusinessHours(addDuration(deadline, d, cal), cal);
  const steps: LadderStep[] = [
    ...reminders,
    { level: 2, kind: 'clinic-director', at: afterDeadline(policy.ladder.clinicDirectorAfterDeadline) },
    {
      level: 3,
      kind: waitingOn === 'partner' ? 'contract-monitor' : 'program-manager',
      at: afterDeadline(policy.ladder.contractMonitorAfterDeadline),
    },
  ];
  // Placing steps in business hours can bring two together, never reorder them.
  let earliest = 0;
  return steps.map((step) => {
    const at = new Date(Math.max(step.at.getTime(), earliest));
    earliest = at.getTime();
    return { ...step, at };
  });
}
