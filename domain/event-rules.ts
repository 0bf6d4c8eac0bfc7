/**
 * Which events a transfer accepts in which stage, and what each one records. The workflow's
 * update validator and signal handler both go through `whyRejected`, so a rejected event
 * leaves the state untouched and the caller learns why.
 */
import { ALLOWED_SENDERS, SENDER_NAMES, type TransitionEvent } from './events';
import type { TransferState } from './state';
import type { ReferralStage } from './stages';
import { REFERRAL_STAGES } from './stages';

const stageIndex = (s: ReferralStage): number => REFERRAL_STAGES.indexOf(s);
const before = (state: TransferState, s: ReferralStage): boolean =>
  state.stage !== 'done' && stageIndex(state.stage) < stageIndex(s);
const packetDelivered = (state: TransferState): boolean => state.requestSentAt !== undefined;

/** The reason this event does not fit the transfer now, or null when it does. */
export function whyRejected(state: TransferState, e: TransitionEvent, now: Date, memberId: string): string | null {
  if (state.stage === 'done') return `the transfer has ended (${state.outcome})`;
  if (!ALLOWED_SENDERS[e.type].includes(e.actor.role)) return `${SENDER_NAMES[e.actor.role]} may not send ${e.type}`;
  if (e.actor.role === 'partner' && e.actor.id !== state.receivingProviderId)
    return 'this referral is not with that provider';
  const stage = state.stage;
  const notInStage = (...stages: ReferralStage[]) =>
    stages.includes(stage) ? null : `${e.type} does not fit the ${stage} stage`;

  switch (e.type) {
    case 'member-informed':
      return notInStage('inform-member');
    case 'documents-ready':
      return notInStage('assemble-packet');
    case 'consent-recorded': {
      const c = e.consent;
      if (c.memberId !== memberId) return 'consent.memberId is not the member of this transfer';
      if (state.consents.some((k) => k.consentId === c.consentId)) return `consent ${c.consentId} is already on record`;
      if (new Date(c.signedAt).getTime() > now.getTime()) return 'consent.signedAt is in the future';
      if ('date' in c.expiration && new Date(c.expiration.date).getTime() <= now.getTime())
        return 'consent.expiration has already passed';
      return before(state, 'close-episode') || stage === 'close-episode' ? null : 'consent cannot be recorded now';
    }
    case 'consent-declined':
      if (!state.consentNeeded) return 'this disclosure needs no consent';
      if (state.timeline.some((t) => t.kind === 'disclosure'))
        return 'the packet was already sent under a consent: record a revocation instead';
      return null;
    case 'consent-revoked': {
      const c = state.consents.find((k) => k.consentId === e.consentId);
      if (!c) return `no consent ${e.consentId} on record`;
      return c.revokedAt ? `consent ${e.consentId} was already revoked` : null;
    }
    case 'packet-acknowledged':
      if (stage !== 'send-packet' || !packetDelivered(state)) return 'no packet is awaiting acknowledgement';
      return null;
    case 'appointment-scheduled': {
      if (new Date(e.appointmentAt).getTime() <= now.getTime()) return 'appointmentAt is in the past';
      if (state.partnerDecline) return 'the provider declined this referral';
      if (stage === 'send-packet' && !packetDelivered(state)) return 'the packet has not been sent yet';
      return notInStage('send-packet', 'confirm-scheduled', 'warm-handoff');
    }
    case 'referral-declined':
      if (state.partnerDecline) return 'the provider already declined';
      if (stage === 'send-packet' && !packetDelivered(state)) return 'the packet has not been sent yet';
      return notInStage('send-packet', 'confirm-scheduled');
    case 'provider-chosen':
      if (e.providerId === state.receivingProviderId) return 'that provider already has this referral';
      if (state.pendingProviderChange) return 'another provider change is in progress';
      return before(state, 'close-episode') && !state.attendedAt ? null : 'the member has already been linked';
    case 'handoff-arranged':
      return notInStage('warm-handoff');
    case 'appointment-confirmed-by-member':
      if (!state.appointment || new Date(state.appointment.at).getTime() <= now.getTime())
        return 'no upcoming appointment to confirm';
      return null;
    case 'attendance-confirmed':
    case 'no-show':
      return notInStage('confirm-attendance');
    case 'episode-closed':
      return notInStage('close-episode');
    case 'member-declined':
      return before(state, 'close-episode') ? null : 'the member has already been linked';
    case 'no-other-provider':
      return state.partnerDecline && !state.pendingProviderChange ? null : 'no provider decline awaits a decision';
    case 'withdrawn':
      return null;
  }
}

/**
 * Records an accepted event in the state. Stage moves are the workflow's job; this only notes
 * facts. `provider-chosen` is completed by the workflow, which first looks the provider up.
 */
export function recordEvent(state: TransferState, e: TransitionEvent, now: Date, via: 'call' | 'webhook'): void {
  const at = now.toISOString();
  switch (e.type) {
    case 'member-informed':
      state.memberInformedAt = at;
      break;
    case 'consent-recorded':
      state.consents.push({ ...e.consent });
      break;
    case 'consent-revoked': {
      const c = state.consents.find((k) => k.consentId === e.consentId);
      if (c) c.revokedAt = at;
      break;
    }
    case 'packet-acknowledged':
      state.acknowledgedAt = at;
      break;
    case 'appointment-scheduled':
      state.acknowledgedAt ??= at; // giving an appointment acknowledges receipt
      state.appointment = {
        at: new Date(e.appointmentAt).toISOString(),
        location: e.location,
        scheduledAt: at,
        withinStandard:
          state.appointmentStandardDeadline === undefined ||
          new Date(e.appointmentAt) <= new Date(state.appointmentStandardDeadline),
      };
      break;
    case 'referral-declined':
      state.partnerDecline = { at, providerId: state.receivingProviderId, reason: e.reason };
      break;
    case 'handoff-arranged':
      state.handoffArrangedAt = at;
      break;
    case 'appointment-confirmed-by-member':
      if (state.appointment) state.appointment.memberConfirmedAt = at;
      break;
    case 'attendance-confirmed':
      state.attendedAt = at;
      break;
    case 'no-show':
      state.noShows += 1;
      break;
    case 'episode-closed':
      state.episodeClosedAt = at;
      break;
    case 'consent-declined':
      end(state, 'consent-declined', e.reason);
      break;
    case 'member-declined':
      end(state, 'member-declined', e.reason);
      break;
    case 'no-other-provider':
      end(state, 'partner-declined', e.reason);
      break;
    case 'withdrawn':
      end(state, 'withdrawn', e.reason);
      break;
    case 'documents-ready':
    case 'provider-chosen':
      break;
  }
  state.timeline.push({ at, kind: 'event', event: e, via });
}

function end(state: TransferState, outcome: NonNullable<TransferState['outcome']>, reason: string): void {
  state.outcome ??= outcome;
  state.outcomeReason ??= reason;
}
