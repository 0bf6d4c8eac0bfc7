/** The state of one transfer, as the workflow holds it and its query returns it. */
import type { ConsentOnRecord, RecipientFacts } from './consent';
import type { TransitionEvent } from './events';
import type { EscalationLevel, LadderPosition, LadderStep } from './ladder';
import type { DisclosureCategory, PacketElement } from './packet';
import type { Outcome, ReferralStage, StageOrDone, WaitingOn } from './stages';
import type { Member } from './transfer';

export type TimelineEntry = { at: string } & (
  | { kind: 'event'; event: TransitionEvent; via: 'call' | 'webhook' }
  | { kind: 'ignored-event'; type: string; reason: string }
  | { kind: 'stage'; stage: StageOrDone; waitingOn: WaitingOn; deadline: string | null }
  | { kind: 'escalation'; level: EscalationLevel; step: LadderStep['kind']; reminderNumber?: number }
  | {
      kind: 'disclosure';
      providerId: string;
      purpose: 'referral-packet' | 'discharge-summary';
      categories: DisclosureCategory[];
      consentId: string | null;
    }
  | { kind: 'note'; text: string }
);

interface Appointment {
  at: string;
  location?: string;
  scheduledAt: string;
  /** First offered appointment within the timeliness standard (10 business days; urgent 48 hours). */
  withinStandard: boolean;
  memberConfirmedAt?: string;
}

export interface TransferState extends LadderPosition<ReferralStage> {
  referralId: string;
  /**
   * Who the member is, for signed-in staff (the transfer page, the API, the CLI). Encrypted like
   * every payload; never in search attributes, logs or partner pages.
   */
  member: Pick<Member, 'memberId' | 'name' | 'dateOfBirth'>;
  receivingProviderId: string;
  recipient: RecipientFacts | null;
  consentNeeded: boolean | null;
  consentReasons: string[];
  consents: ConsentOnRecord[];
  memberInformedAt?: string;
  packet: { elements: PacketElement[]; missing: PacketElement[]; assembledAt?: string } | null;
  /** When the request (packet) went to the current provider: the clock for the appointment standard. */
  requestSentAt?: string;
  /** The latest date an appointment may be offered and still meet the timeliness standard. */
  appointmentStandardDeadline?: string;
  acknowledgedAt?: string;
  partnerDecline?: { at: string; providerId: string; reason: string };
  pendingProviderChange?: { recipient: RecipientFacts; reason: string };
  appointment?: Appointment;
  handoffArrangedAt?: string;
  attendedAt?: string;
  episodeClosedAt?: string;
  noShows: number;
  providerChanges: number;
  outcome?: Outcome;
  outcomeReason?: string;
  timeline: TimelineEntry[];
}

/** A transfer's state when it starts: the first stage, nothing recorded yet. */
export function newTransferState(
  referralId: string,
  member: Member,
  receivingProviderId: string,
  startedAt: Date,
): TransferState {
  const { memberId, name, dateOfBirth } = member;
  return {
    referralId,
    member: { memberId, ...(name ? { name } : {}), ...(dateOfBirth ? { dateOfBirth } : {}) },
    stage: 'inform-member',
    waitingOn: 'case-manager',
    stageStartedAt: startedAt.toISOString(),
    stageDeadline: null,
    escalationLevel: 0,
    stageEscalations: [],
    upcomingSteps: [],
    receivingProviderId,
    recipient: null,
    consentNeeded: null,
    consentReasons: [],
    consents: [],
    packet: null,
    noShows: 0,
    providerChanges: 0,
    timeline: [],
  };
}
