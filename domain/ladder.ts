/**
 * The escalation ladder every waiting stage runs (DESIGN.md, "Waiting, reminding, escalating";
 * seed 002: "despite repeated requests ... the clinic director can contact their contract monitor").
 * Level 0 is the request itself, sent when the stage starts.
 */
import { addDuration } from './calendar';
import type { Policy } from './policy';

export type EscalationLevel = 0 | 1 | 2 | 3;

export type LadderStep =
  | { level: 1; kind: 'reminder'; at: Date; reminderNumber: number }
  | { level: 2; kind: 'clinic-director'; at: Date }
  | { level: 3; kind: 'contract-monitor'; at: Date };

export function escalationLadder(stageStart: Date, deadline: Date, policy: Policy): LadderStep[] {
  const span = deadline.getTime() - stageStart.getTime();
  const reminders: LadderStep[] = [...new Set(policy.ladder.reminderFractions)]
    .sort((a, b) => a - b)
    .map((fraction, i) => ({ level: 1, kind: 'reminder', at: new Date(stageStart.getTime() + span * fraction), reminderNumber: i + 1 }));
  return [
    ...reminders,
    { level: 2, kind: 'clinic-director', at: addDuration(deadline, policy.ladder.clinicDirectorAfterDeadline, policy.calendar) },
    { level: 3, kind: 'contract-monitor', at: addDuration(deadline, policy.ladder.contractMonitorAfterDeadline, policy.calendar) },
  ];
}
