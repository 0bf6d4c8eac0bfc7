/**
 * The eight stages of a level-of-care transfer (seed 003, I.2.a.i-viii) and the words
 * managers see for them in the Temporal UI.
 */
import { z } from 'zod';
import { CLOCK_STAGE_PHRASES, type ClockStage } from './clocks/kinds';

export const REFERRAL_STAGES = [
  'inform-member', // i. inform member of referral, reasons, and address concerns
  'assemble-packet', // ii./iii. prepare the EHR elements and assemble the referral packet
  'obtain-consent', // iv. written consent as a requirement for any disclosure
  'send-packet', // iii. send to the identified recipient at the new care setting
  'confirm-scheduled', // v. confirm services scheduled with the recipient
  'warm-handoff', // vi. facilitate a warm handoff
  'confirm-attendance', // vii. confirm the member attended the initial appointment
  'close-episode', // viii. close to services at the previous care setting
] as const;
export const ReferralStage = z.enum(REFERRAL_STAGES);
export type ReferralStage = z.infer<typeof ReferralStage>;
/** Any stage a waiting stage can be in: a transfer's, or a coordination clock's (domain/clocks). */
export type AnyStage = ReferralStage | ClockStage;
/** `done` is the value of the ReferralStage search attribute once a transfer has ended. */
export type StageOrDone = ReferralStage | 'done';

export const WaitingOn = z.enum(['member', 'case-manager', 'partner', 'managed-care-plan', 'none']);
export type WaitingOn = z.infer<typeof WaitingOn>;

export const Outcome = z.enum([
  'linked',
  'consent-declined',
  'partner-declined',
  'member-declined',
  'lost-to-follow-up',
  'withdrawn',
]);
export type Outcome = z.infer<typeof Outcome>;

export const Urgency = z.enum(['routine', 'urgent']);
export type Urgency = z.infer<typeof Urgency>;

/** ASAM levels for SUD programs, and the county mental health plan's levels of care. */
export const LevelOfCare = z.enum([
  'asam-4.0',
  'asam-3.7',
  'asam-3.5',
  'asam-3.3',
  'asam-3.1',
  'asam-2.5',
  'asam-2.1',
  'asam-1.0',
  'asam-0.5',
  'asam-otp',
  'mh-inpatient',
  'mh-crisis-residential',
  'mh-residential',
  'mh-intensive-outpatient',
  'mh-outpatient',
  'mcp-nsmhs',
]);
export type LevelOfCare = z.infer<typeof LevelOfCare>;

/** Residential levels: leaving one triggers the 24-hour managed care plan notice (seed 003 I.2.b.ix). */
export function isResidential(level: LevelOfCare): boolean {
  return ['asam-3.7', 'asam-3.5', 'asam-3.3', 'asam-3.1', 'mh-crisis-residential', 'mh-residential'].includes(level);
}

/** What a manager reads for each stage in the UI's current details. */
const STAGE_PHRASES: Record<ReferralStage, string> = {
  'inform-member': 'inform the member of the referral',
  'assemble-packet': 'assemble the referral packet',
  'obtain-consent': 'obtain written consent',
  'send-packet': 'acknowledge receipt of the packet',
  'confirm-scheduled': 'confirm the appointment',
  'warm-handoff': 'arrange the warm handoff',
  'confirm-attendance': 'confirm the member attended',
  'close-episode': 'close the previous episode',
};

/** Stage phrases for transfers and clocks alike, for messages and the managers' current details. */
export const ANY_STAGE_PHRASES: Record<AnyStage, string> = { ...STAGE_PHRASES, ...CLOCK_STAGE_PHRASES };
