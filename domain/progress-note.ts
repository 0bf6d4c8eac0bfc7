/**
 * Care coordination progress note drafts in the county's format (seed 004, "Care Coordination
 * Progress Note Content"): documentation start and end time, the intervention narrative, the
 * member's response, referrals to community services, and follow-up care. Drafted by the
 * system for each coordination action and handed to the EHR marked Draft; staff finalize them.
 */
import { DateTime } from 'luxon';
import type { Documentation } from './clocks/events';

export interface ProgressNoteDraft {
  /** Business key: one draft per coordination action, however often the activity runs. */
  key: string;
  memberId: string;
  programId: string;
  authorId: string;
  /** The referral or clock the action belongs to. */
  subjectId: string;
  action: string;
  serviceCode: 'Care Coordination';
  status: 'Draft';
  documentationStart: string;
  documentationEnd: string;
  presentation: string;
  intervention: string;
  response: string;
  referrals: string;
  followUp: string;
}

export interface CoordinationAction {
  key: string;
  subjectId: string;
  memberId: string;
  programId: string;
  authorId: string;
  /** A short name of the action, e.g. "crisis follow-up with bayside-outpatient". */
  action: string;
  /** What the system knows happened, in the seed's words; staff's narrative replaces it. */
  narrative: string;
  followUp: string;
  referrals?: string;
  at: string;
  documentation?: Documentation;
}

/**
 * Drafts can ride with an activity the workflow runs anyway (workflows/note-drafts.ts). That
 * activity files them too and hands back any the EHR did not take, to be drafted on their own:
 * an EHR outage never holds up a notice or a disclosure.
 */
export interface CarriedDrafts {
  undrafted?: CoordinationAction[];
}

export function draftProgressNote(a: CoordinationAction, timeZone: string): ProgressNoteDraft {
  const d = a.documentation ?? {};
  const start = d.startedAt ?? d.endedAt ?? a.at;
  const end = d.endedAt ?? a.at;
  const clock = (iso: string) => DateTime.fromISO(iso, { zone: timeZone }).toFormat('h:mm a');
  return {
    key: a.key,
    memberId: a.memberId,
    programId: a.programId,
    authorId: a.authorId,
    subjectId: a.subjectId,
    action: a.action,
    serviceCode: 'Care Coordination',
    status: 'Draft',
    documentationStart: start,
    documentationEnd: end,
    // Seed 004: "Not required, however Avatar will force you to write something."
    presentation: 'See intervention section below.',
    intervention: `DOCUMENTATION TIME: ${clock(start)} - ${clock(end)}\n${d.narrative ?? a.narrative}`,
    response: d.response ?? 'See intervention section above.',
    referrals: d.referrals ?? a.referrals ?? '',
    followUp: d.followUp ?? a.followUp,
  };
}
