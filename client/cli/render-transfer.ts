/**
 * What `referrals show` prints: the transfer's position, then its timeline one line per entry.
 * Only ids, dates and what staff typed (reasons, notes) appear; no member details or records.
 */
import type { TransitionEvent } from '../../domain/events';
import { describeUpcoming } from '../../domain/details';
import type { TransferState, TimelineEntry } from '../../domain/state';

export function renderTransfer(state: TransferState, currentDetails: string | null, timeZone: string): string {
  const consent = [...state.consents].reverse().find((c) => c.revokedAt === undefined);
  const lines = [
    `Referral     ${state.referralId}`,
    `Stage        ${state.stage}`,
    `Waiting on   ${state.waitingOn}`,
    `Deadline     ${state.stageDeadline ?? '-'}`,
    `Escalation   ${state.escalationLevel}`,
    `Next         ${state.upcomingSteps?.length ? describeUpcoming(state.upcomingSteps, timeZone) : '-'}`,
    `Provider     ${state.receivingProviderId}`,
    `Consent      ${consentLine(state, consent?.consentId)}`,
    `Appointment  ${state.appointment ? appointmentLine(state.appointment) : '-'}`,
    `Outcome      ${state.outcome ? `${state.outcome}${state.outcomeReason ? ` (${state.outcomeReason})` : ''}` : '-'}`,
  ];
  if (currentDetails) lines.push(`Details      ${currentDetails}`);
  lines.push('', 'Timeline');
  for (const entry of state.timeline) lines.push(`  ${entry.at}  ${timelineLine(entry)}`);
  return lines.join('\n');
}

function consentLine(state: TransferState, consentId: string | undefined): string {
  const onRecord = consentId ? `yes (${consentId})` : 'no';
  const needed = state.consentNeeded === null ? 'not yet decided' : state.consentNeeded ? 'needed' : 'not needed';
  return `on record: ${onRecord}; ${needed}`;
}

function appointmentLine(a: NonNullable<TransferState['appointment']>): string {
  const parts = [
    a.at,
    a.location ? `at ${a.location}` : null,
    a.withinStandard ? null : 'outside the timeliness standard',
    a.memberConfirmedAt ? 'confirmed by member' : null,
  ];
  return parts.filter(Boolean).join(', ');
}

function timelineLine(entry: TimelineEntry): string {
  switch (entry.kind) {
    case 'event':
      return `${entry.event.type} by ${entry.event.actor.role}:${entry.event.actor.id}${eventDetail(entry.event)}${entry.via === 'webhook' ? ' (webhook)' : ''}`;
    case 'disclosure':
      return `disclosed ${entry.purpose} to ${entry.providerId}: ${entry.categories.join(', ')}${entry.consentId ? ` under consent ${entry.consentId}` : ''}`;
    default:
      return waitingTimelineLine(entry);
  }
}

/** Timeline entries transfers and coordination clocks share: ignored events, stages, escalations, notes. */
export function waitingTimelineLine(
  entry:
    | { kind: 'ignored-event'; type: string; reason: string }
    | { kind: 'stage'; stage: string; waitingOn: string; deadline: string | null }
    | { kind: 'escalation'; level: number; step: string; reminderNumber?: number }
    | { kind: 'note'; text: string },
  /** How a deadline reads: the CLI prints the instant, staff pages the county's day and time. */
  showDeadline: (iso: string) => string = (iso) => iso,
): string {
  switch (entry.kind) {
    case 'ignored-event':
      return `ignored ${entry.type}: ${entry.reason}`;
    case 'stage':
      return `stage ${entry.stage}, waiting on ${entry.waitingOn}${entry.deadline ? `, due ${showDeadline(entry.deadline)}` : ''}`;
    case 'escalation':
      return `escalation level ${entry.level}: ${entry.step}${entry.reminderNumber ? ` ${entry.reminderNumber}` : ''}`;
    case 'note':
      return `note: ${entry.text}`;
  }
}

/** The few fields of an event that say what happened; staff-typed text only. */
function eventDetail(e: TransitionEvent): string {
  const parts: string[] = [];
  if (e.type === 'provider-chosen') parts.push(`provider ${e.providerId}`);
  if (e.type === 'appointment-scheduled') parts.push(`at ${e.appointmentAt}${e.location ? `, ${e.location}` : ''}`);
  if (e.type === 'consent-recorded') parts.push(`consent ${e.consent.consentId}`);
  if (e.type === 'consent-revoked') parts.push(`consent ${e.consentId}`);
  if ('reason' in e) parts.push(`reason: ${e.reason}`);
  return parts.length > 0 ? `: ${parts.join('; ')}` : '';
}
