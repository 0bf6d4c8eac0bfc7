/**
 * The other care-coordination clocks of seed 003 (DESIGN.md, "Other care-coordination clocks"):
 * each kind is its own workflow type, and its stages are what the ReferralStage search attribute
 * shows for it. Stage names read like the seed's words.
 */
import { z } from 'zod';
import { newReferralId } from '../ids';

export const CLOCK_KINDS = [
  'residential-notice', // I.2.b.ix: tell the managed care plan within 24 hours of an admission or discharge
  'crisis-follow-up', // I.7.a: follow up with the member's other providers, including the plan, within 24 hours
  'mat-referral', // I.8: refer for medication-assisted treatment within 24 hours, call, confirm, transport
  'problem-list-update', // I.2.e: update the problem list within 72 hours (24 for crisis items)
  'initial-screening', // I.3: screen a new member within 90 calendar days, trying again when contact fails
  'monthly-plan-coordination', // I.2.b: coordinate with the managed care plan at least monthly
] as const;
export const ClockKind = z.enum(CLOCK_KINDS);
export type ClockKind = z.infer<typeof ClockKind>;

/** The workflow type that runs each kind (what `WorkflowType` shows in the Temporal UI). */
export const CLOCK_WORKFLOW_TYPES: Record<ClockKind, string> = {
  'residential-notice': 'residentialPlanNotice',
  'crisis-follow-up': 'crisisFollowUp',
  'mat-referral': 'medicationAssistedTreatmentReferral',
  'problem-list-update': 'problemListUpdate',
  'initial-screening': 'newMemberScreening',
  'monthly-plan-coordination': 'monthlyPlanCoordination',
};

const CLOCK_STAGES = [
  'notify-plan',
  'follow-up-providers',
  'refer-for-mat',
  'follow-up-call',
  'confirm-appointment',
  'arrange-transportation',
  'update-problem-list',
  'screen-new-member',
  'coordinate-with-plan',
] as const;
export const ClockStage = z.enum(CLOCK_STAGES);
export type ClockStage = z.infer<typeof ClockStage>;

/** What staff and managers read for each clock stage ("please …", "waiting on … to …"). */
export const CLOCK_STAGE_PHRASES: Record<ClockStage, string> = {
  'notify-plan': 'confirm the managed care plan has the residential admission or discharge notice',
  'follow-up-providers': "follow up after a crisis service with the member's other providers and the plan",
  'refer-for-mat': 'send the medication-assisted treatment referral by secure email or fax',
  'follow-up-call': 'make the follow-up call to the medication-assisted treatment provider',
  'confirm-appointment': 'confirm the medication-assisted treatment appointment',
  'arrange-transportation': 'offer and arrange transportation to the appointment',
  'update-problem-list': "update the member's problem list",
  'screen-new-member': 'complete the initial screening of a new member',
  'coordinate-with-plan': 'record this month’s coordination with the managed care plan',
};

export const CLOCK_TITLES: Record<ClockKind, string> = {
  'residential-notice': 'Residential plan notice',
  'crisis-follow-up': 'Crisis follow-up',
  'mat-referral': 'MAT referral',
  'problem-list-update': 'Problem list update',
  'initial-screening': 'New member screening',
  'monthly-plan-coordination': 'Monthly plan coordination',
};

/**
 * Clock ids are opaque like referral ids. A transfer's own residential notices use the
 * transfer's characters, so staff can find one from the other.
 */
const ID_CHARS = '[0-9A-HJKMNP-TV-Z]{10}';
export const ClockId = z
  .string()
  .regex(new RegExp(`^C-${ID_CHARS}(-(admission|discharge))?$`), 'expected a clock id like C-7K3M9Q2XWD');
export type ClockId = z.infer<typeof ClockId>;

/** A new clock id, made like a referral id (Crockford base32 from random bytes, crypto outside workflows). */
export function newClockId(randomBytes: (n: number) => Uint8Array): ClockId {
  return `C-${newReferralId(randomBytes).slice(2)}`;
}

/** The kind a workflow type runs, or undefined for any other type (the transfer). */
export function clockKindForWorkflowType(workflowType: string | undefined): ClockKind | undefined {
  return CLOCK_KINDS.find((k) => CLOCK_WORKFLOW_TYPES[k] === workflowType);
}

/** The stage each kind starts in: what its ReferralStage search attribute says before the worker first publishes. */
export const CLOCK_FIRST_STAGES: Record<ClockKind, ClockStage> = {
  'residential-notice': 'notify-plan',
  'crisis-follow-up': 'follow-up-providers',
  'mat-referral': 'refer-for-mat',
  'problem-list-update': 'update-problem-list',
  'initial-screening': 'screen-new-member',
  'monthly-plan-coordination': 'coordinate-with-plan',
};

export const clockWorkflowIdFor = (clockId: string): string => `clock-${clockId}`;
export const clockIdFromWorkflowId = (workflowId: string): string => workflowId.replace(/^clock-/, '');

/** The residential notice a transfer starts as a child: one per transfer and event. */
export function residentialNoticeClockId(referralId: string, event: 'admission' | 'discharge'): string {
  return `C-${referralId.slice(2)}-${event}`;
}
