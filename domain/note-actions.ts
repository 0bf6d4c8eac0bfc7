/**
 * The coordination action behind each recorded event, in the seeds' words: what the progress
 * note draft says when staff write nothing themselves. Ids only; staff add the clinical detail.
 */
import type { ClockEvent } from './clocks/events';
import type { ClockKind } from './clocks/kinds';
import type { TransitionEvent } from './events';

export interface ActionWords {
  action: string;
  narrative: string;
  followUp: string;
}

export function actionForEvent(kind: ClockKind, e: ClockEvent): ActionWords | null {
  switch (e.type) {
    case 'plan-confirmed':
      return {
        action: 'managed care plan notice confirmed',
        narrative: `Notified the managed care plan of the member's residential ${kind === 'residential-notice' ? 'admission or discharge' : 'change'} by ${e.method}; the plan confirmed receipt.`,
        followUp: 'Coordinate appropriate follow-up services with the plan contact.',
      };
    case 'contact-made':
      if (kind === 'residential-notice') {
        return {
          action: `residential notice to ${e.with} by ${e.method}`,
          narrative: `Notified the managed care plan (${e.with}) by ${e.method} of the member's residential admission or discharge.`,
          followUp: "Await the plan's confirmation; coordinate follow-up services with the plan contact.",
        };
      }
      return kind === 'crisis-follow-up'
        ? {
            action: `crisis follow-up with ${e.with}`,
            narrative: `Followed up by ${e.method} with ${e.with} after a crisis service to share and support relapse prevention or relapse support, as authorized.`,
            followUp: "Continue coordinating with the member's other providers.",
          }
        : kind === 'monthly-plan-coordination'
          ? {
              action: `monthly coordination with ${e.with}`,
              narrative: `Coordinated by ${e.method} with the managed care plan (${e.with}) on collaborative treatment planning for a shared member.`,
              followUp: 'Next coordination with the plan due next month, or sooner as medically necessary.',
            }
          : kind === 'mat-referral'
            ? {
                action: `MAT referral follow-up call to ${e.with}`,
                narrative: `Made the follow-up phone call to ${e.with} about the medication-assisted treatment referral.`,
                followUp: 'Confirm the scheduled appointment and assist with transportation.',
              }
            : {
                action: `contact with ${e.with}`,
                narrative: `Contacted ${e.with} by ${e.method}.`,
                followUp: 'Continue care coordination as planned.',
              };
    case 'contact-failed':
      return {
        action: 'screening contact attempt failed',
        narrative: `Attempted to reach the new member by ${e.method} for the initial screening; contact was unsuccessful.`,
        followUp: 'Another attempt is scheduled per the screening policy.',
      };
    case 'referral-sent':
      return {
        action: 'MAT referral sent',
        narrative: `Sent the medication-assisted treatment referral by ${e.method}, as authorized.`,
        followUp: 'Follow-up phone call to the provider; confirm the appointment.',
      };
    case 'appointment-confirmed':
      return {
        action: 'MAT appointment confirmed',
        narrative: 'Confirmed the scheduled appointment with the medication-assisted treatment provider.',
        followUp: 'Assist with coordinating transportation to the appointment.',
      };
    case 'transportation-settled':
      return {
        action: 'transportation to MAT appointment',
        narrative: `Offered assistance with transportation to the appointment: ${e.how.replace(/-/g, ' ')}.`,
        followUp: 'Confirm the member attended.',
      };
    case 'problem-list-updated':
      return {
        action: 'problem list updated',
        narrative: "Updated the member's problem list after a change in status.",
        followUp: 'Address the updated problems in treatment.',
      };
    case 'screening-completed':
      return {
        action: `initial screening ${e.result}`,
        narrative: `Initial screening of a new member: ${e.result.replace(/-/g, ' ')}.`,
        followUp:
          e.result === 'screened'
            ? 'Follow the screening results with the appropriate referral.'
            : 'Record the outcome; offer services again if the member reaches out.',
      };
    case 'consent-recorded':
    case 'clock-closed':
      return null;
  }
}

/** The coordination actions of a transfer (seed 003 I.2.a) that get a progress note draft. */
export function actionForTransferEvent(e: TransitionEvent, receivingProviderId: string): ActionWords | null {
  switch (e.type) {
    case 'member-informed':
      return {
        action: 'member informed of referral',
        narrative: `Informed the member of the referral to ${receivingProviderId} and the reasons for it, addressed the member's concerns, and gave the member the contact for the person coordinating their care.${e.note ? ` ${e.note}` : ''}`,
        followUp: 'Assemble the referral packet and obtain written consent where required.',
      };
    case 'appointment-scheduled':
      return {
        action: 'services scheduled confirmed',
        narrative: `Confirmed services scheduled with ${receivingProviderId} at the new care setting.`,
        followUp: 'Facilitate a warm handoff before the appointment.',
      };
    case 'handoff-arranged':
      return {
        action: 'warm handoff',
        narrative: `Facilitated a warm handoff to ${receivingProviderId}: introductions ${e.introductions ? 'made' : 'not made'}; transportation ${e.transportation.replace(/-/g, ' ')}.${e.note ? ` ${e.note}` : ''}`,
        followUp: 'Confirm the member attended the initial appointment.',
      };
    case 'attendance-confirmed':
      return {
        action: 'attendance confirmed',
        narrative: `Confirmed the member attended the initial appointment at ${receivingProviderId}.`,
        followUp: 'Close services at the previous care setting and send copies as authorized.',
      };
    case 'episode-closed':
      return {
        action: 'episode closed',
        narrative: `Closed services at the previous care setting; discharge summary and planning materials completed${e.otherProvidersInformed ? '; other care providers and care managers informed for a smooth landing' : ''}.`,
        followUp: 'Send copies as authorized to the new care setting.',
      };
    default:
      return null;
  }
}

/** A disclosure the transfer made: sending documents is itself a coordination action. */
export function actionForDisclosure(
  purpose: 'referral-packet' | 'discharge-summary',
  providerId: string,
  categories: readonly string[],
): ActionWords {
  return purpose === 'referral-packet'
    ? {
        action: 'referral packet sent',
        narrative: `Sent the referral packet to ${providerId} (${categories.join(', ')}), as authorized.`,
        followUp: 'Confirm receipt and the scheduled appointment with the receiving provider.',
      }
    : {
        action: 'discharge summary sent',
        narrative: `Sent the discharge summary to ${providerId}, as authorized.`,
        followUp: 'Coordinate with the new care setting as needed.',
      };
}
