/**
 * What the workflow asks the notifier activity to send. The workflow names the audience and
 * the facts; the activity resolves addresses from the directory and renders the words, so no
 * address or template lives in workflow history beyond the member's contact in the input.
 */
import type { ConsentOnRecord, DisclosureContext } from './consent';
import type { EscalationLevel, EscalationTarget } from './ladder';
import type { ClockKind } from './clocks/kinds';
import type { AnyStage, WaitingOn } from './stages';
import type { Member } from './transfer';

export type NoticeAudience = 'member' | 'case-manager' | 'partner' | EscalationTarget | 'managed-care-plan';

export type NoticeKind =
  | 'stage-request' // level 0: the request that opens a waiting stage
  | 'stage-reminder' // level 1: "repeated requests"
  | 'escalation' // levels 2 and 3
  | 'consent-request' // to the member: a signature is needed (no health information)
  | 'missing-documents' // task: EHR elements missing from the packet
  | 'appointment-reminder' // to the member, before the appointment
  | 'consent-revoked' // task: revocation recorded, later disclosures stopped
  | 'partner-contact-withheld' // task: a partner message was not sent for want of consent
  | 'residential-discharge' // to the managed care plan, within 24 hours
  | 'residential-admission' // to the managed care plan, within 24 hours
  | 'contact-request' // to the member: please call your care team (screening attempts; no health information)
  | 'outcome'; // task: the transfer ended without linkage

interface NoticeRouting {
  referralId: string;
  sendingProgramId: string;
  caseManagerId: string;
  receivingProviderId: string;
  managedCarePlanId?: string;
  /** Set for a coordination clock: its kind names it in messages, and its workflow id links to it. */
  clock?: { kind: ClockKind; workflowId: string };
}

export interface Notice {
  /** Business idempotency key: the same key is delivered at most once. */
  key: string;
  audience: NoticeAudience;
  kind: NoticeKind;
  routing: NoticeRouting;
  /** Only for the member audience: where and how to reach them. */
  member?: Pick<Member, 'phone' | 'email' | 'language' | 'timeZone' | 'contactPreferences'> &
    Partial<Pick<Member, 'memberId'>>;
  /**
   * Only for the managed care plan: who the member is to the plan, and what the consent rule needs
   * to check the disclosure again where it is made (activities/index.ts).
   */
  plan?: PlanDisclosure;
  facts: {
    stage?: AnyStage;
    waitingOn?: WaitingOn;
    waitingSince?: string;
    deadline?: string;
    level?: EscalationLevel;
    /** Escalations: whom the ladder names for this level (domain/ladder.ts). */
    escalateTo?: EscalationTarget;
    /** Escalations: how long the stage has waited, in business days on the transfer's own calendar. */
    waitedBusinessDays?: number;
    reminderNumber?: number;
    appointmentAt?: string;
    items?: string[];
    /** Plan notices: the channel the plan asked for, and when the admission or discharge happened. */
    occurredAt?: string;
    outcome?: string;
  };
  /** Workflow time at which the notice was due (activities must not use their own clock for this). */
  dueAt: string;
}

export interface NoticeResult {
  key: string;
  /** `duplicate`: a notice with this key was already delivered; nothing was sent again. */
  status: 'sent' | 'duplicate' | 'handed-to-case-manager';
  channel: 'sms' | 'email' | 'task';
}

/** A notice to the plan names the member as the plan knows them; it is a disclosure, gated and logged. */
export interface PlanDisclosure {
  member: Partial<Pick<Member, 'planMemberId' | 'name' | 'dateOfBirth'>>;
  context: DisclosureContext;
  consents: ConsentOnRecord[];
  /** Whose disclosure log the notice joins: the transfer that started the clock, else the clock. */
  referralId: string;
  /** Whose records (the county's member id): the accounting of disclosures is by member. */
  memberId: string;
}

/** The plan's admission and discharge notices name the member; its reminders refer to the notice by id. */
export function identifiesMemberToPlan(n: Pick<Notice, 'kind'>): boolean {
  return n.kind === 'residential-admission' || n.kind === 'residential-discharge';
}
