/**
 * Which events each coordination clock accepts, and what each one records. The workflow's update
 * validator and its signal handler both ask `whyClockEventRejected`, so a rejected event leaves
 * the state untouched and the caller learns why.
 */
import { SENDER_NAMES } from '../events';
import { CLOCK_EVENT_SENDERS, type ClockEvent } from './events';
import type { ClockKind, ClockStage } from './kinds';
import type { ClockState } from './state';

export interface ClockEventContext {
  memberId: string;
  /** Who a contact may be with: the plan, providers, the member. */
  contactable: readonly string[];
  /** Why this recipient may not be contacted yet (the consent rule), or null. */
  consentProblem(recipientId: string): string | null;
}

/** The clocks whose contacts with providers or the plan pass the consent rule. */
const CONTACTS_OUTSIDE: ClockKind[] = [
  'residential-notice',
  'crisis-follow-up',
  'mat-referral',
  'monthly-plan-coordination',
];

export function whyClockEventRejected(
  state: ClockState,
  e: ClockEvent,
  now: Date,
  ctx: ClockEventContext,
): string | null {
  if (state.stage === 'done') return `the clock has ended (${state.outcome})`;
  if (!CLOCK_EVENT_SENDERS[e.type].includes(e.actor.role))
    return `${SENDER_NAMES[e.actor.role]} may not send ${e.type}`;
  const inStage = (...stages: ClockStage[]) =>
    stages.includes(state.stage as ClockStage) ? null : `${e.type} does not fit the ${state.stage} stage`;
  const documentedInFuture =
    'documentation' in e && e.documentation?.endedAt && new Date(e.documentation.endedAt) > now;
  if (documentedInFuture) return 'documentation.endedAt is in the future';

  switch (e.type) {
    case 'clock-closed':
      return null;
    case 'consent-recorded': {
      const c = e.consent;
      if (c.memberId !== ctx.memberId) return 'consent.memberId is not the member of this clock';
      if (state.consents.some((k) => k.consentId === c.consentId)) return `consent ${c.consentId} is already on record`;
      if (new Date(c.signedAt) > now) return 'consent.signedAt is in the future';
      return CONTACTS_OUTSIDE.includes(state.kind)
        ? null
        : `a ${state.kind} clock contacts no outside provider or plan`;
    }
    case 'plan-confirmed':
      return state.kind === 'residential-notice'
        ? inStage('notify-plan')
        : `${e.type} does not fit a ${state.kind} clock`;
    case 'contact-made': {
      if (!ctx.contactable.includes(e.with)) return `with: ${e.with} is not one of ${ctx.contactable.join(', ')}`;
      if (state.kind === 'mat-referral') {
        if (!state.referralSent) return 'the referral has not been sent yet';
      } else if (
        !['crisis-follow-up', 'monthly-plan-coordination', 'initial-screening', 'residential-notice'].includes(
          state.kind,
        )
      ) {
        return `${e.type} does not fit a ${state.kind} clock`;
      }
      return ctx.consentProblem(e.with);
    }
    case 'contact-failed':
      return state.kind === 'initial-screening'
        ? inStage('screen-new-member')
        : `${e.type} does not fit a ${state.kind} clock`;
    case 'screening-completed':
      return state.kind === 'initial-screening'
        ? inStage('screen-new-member')
        : `${e.type} does not fit a ${state.kind} clock`;
    case 'problem-list-updated':
      return state.kind === 'problem-list-update'
        ? inStage('update-problem-list')
        : `${e.type} does not fit a ${state.kind} clock`;
    case 'referral-sent': {
      if (state.kind !== 'mat-referral') return `${e.type} does not fit a ${state.kind} clock`;
      if (state.referralSent) return 'the referral was already sent';
      return ctx.consentProblem(ctx.contactable[0]!) ?? inStage('refer-for-mat');
    }
    case 'appointment-confirmed':
      if (state.kind !== 'mat-referral') return `${e.type} does not fit a ${state.kind} clock`;
      if (!state.referralSent) return 'the referral has not been sent yet';
      if (new Date(e.appointmentAt) <= now) return 'appointmentAt is in the past';
      return inStage('follow-up-call', 'confirm-appointment', 'arrange-transportation');
    case 'transportation-settled':
      if (state.kind !== 'mat-referral') return `${e.type} does not fit a ${state.kind} clock`;
      return state.appointment ? null : 'no appointment is confirmed yet';
  }
}

/** Records an accepted event. Stage moves are the workflow's job; this only notes facts. */
export function recordClockEvent(state: ClockState, e: ClockEvent, now: Date, via: 'call' | 'webhook'): void {
  const at = now.toISOString();
  switch (e.type) {
    case 'plan-confirmed':
      state.planConfirmedAt = at;
      break;
    case 'contact-made':
      state.contacts.push({ at, with: e.with, method: e.method });
      break;
    case 'contact-failed':
      state.failedAttempts += 1;
      state.lastFailedAt = at;
      break;
    case 'referral-sent':
      state.referralSent = { at, method: e.method };
      break;
    case 'appointment-confirmed':
      state.appointment = { at: new Date(e.appointmentAt).toISOString(), location: e.location, confirmedAt: at };
      break;
    case 'transportation-settled':
      state.transportation = e.how;
      break;
    case 'problem-list-updated':
      state.problemListUpdatedAt = at;
      break;
    case 'screening-completed':
      state.screeningResult = e.result;
      break;
    case 'consent-recorded':
      state.consents.push({ ...e.consent });
      break;
    case 'clock-closed':
      state.outcome ??= 'closed';
      state.outcomeReason ??= e.reason;
      break;
  }
  state.timeline.push({ at, kind: 'event', event: e, via });
}
