/**
 * The one-line "current details" a manager reads in the Temporal UI, e.g.
 * "Waiting on partner to confirm the appointment (due Dec 2): reminder 2 sent, clinic director told on Nov 24".
 * Stage names and dates only: no member information.
 */
import { DateTime } from 'luxon';
import { showDeadline } from './calendar';
import { STEP_LABELS, type StepRecord } from './ladder';
import { ANY_STAGE_PHRASES, type AnyStage, type WaitingOn } from './stages';
import type { TransferState } from './state';

const WHO: Record<WaitingOn, string> = {
  member: 'member',
  'case-manager': 'case manager',
  partner: 'partner',
  'managed-care-plan': 'managed care plan',
  none: 'nobody',
};

export function describeForManagers(state: TransferState, timeZone: string): string {
  if (state.stage === 'done')
    return `Ended: ${state.outcome}${state.noShows ? `, ${state.noShows} no-show(s)` : ''}${state.providerChanges ? `, ${state.providerChanges} provider change(s)` : ''}`;
  return describeWaiting({ ...state, stage: state.stage }, timeZone);
}

/** The waiting part, shared by transfers and coordination clocks. */
export function describeWaiting(
  state: {
    stage: AnyStage;
    waitingOn: WaitingOn;
    stageDeadline: string | null;
    stageEscalations: TransferState['stageEscalations'];
  },
  timeZone: string,
): string {
  const day = (iso: string) => DateTime.fromISO(iso, { zone: timeZone }).toFormat('LLL d');
  const head =
    state.waitingOn === 'none'
      ? `Stage ${state.stage}: waiting for the appointment`
      : `Waiting on ${WHO[state.waitingOn]} to ${ANY_STAGE_PHRASES[state.stage]}`;
  const due = state.stageDeadline ? ` (due ${showDeadline(state.stageDeadline, timeZone)})` : '';
  const steps = state.stageEscalations.map((s) =>
    s.kind === 'reminder' ? `reminder ${s.reminderNumber} sent` : `${STEP_LABELS[s.kind]} told on ${day(s.at)}`,
  );
  return `${head}${due}${steps.length ? `: ${steps.join(', ')}` : ''}`;
}

/** What the ladder will do next, e.g. "reminder 2 Tue Dec 8 10:00; clinic director Wed Dec 9 10:00". */
export function describeUpcoming(steps: readonly StepRecord[], timeZone: string): string {
  const when = (iso: string) => DateTime.fromISO(iso, { zone: timeZone }).toFormat('ccc LLL d HH:mm');
  return steps
    .map((s) => `${STEP_LABELS[s.kind]}${s.reminderNumber ? ` ${s.reminderNumber}` : ''} ${when(s.at)}`)
    .join('; ');
}
