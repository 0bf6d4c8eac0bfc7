/**
 * "Usable once", read from the transfer itself: a link is spent once the timeline holds its
 * action's event from its provider, sent after the link was issued. No table to keep in step
 * with the workflow, and two partner pages racing are settled by the workflow's own rules.
 */
import type { PartnerAction, PartnerLinkClaims } from '../activities/partner-links';
import type { EventType } from '../domain/events';
import type { TransferState } from '../domain/state';

export const EVENT_FOR_ACTION: Record<PartnerAction, EventType> = {
  acknowledge: 'packet-acknowledged',
  decline: 'referral-declined',
  schedule: 'appointment-scheduled',
  attended: 'attendance-confirmed',
  'no-show': 'no-show',
};

export function linkUsed(state: TransferState, link: PartnerLinkClaims): boolean {
  const type = EVENT_FOR_ACTION[link.action];
  return state.timeline.some(
    (t) =>
      t.kind === 'event' &&
      t.event.type === type &&
      t.event.actor.role === 'partner' &&
      t.event.actor.id === link.providerId &&
      Date.parse(t.event.sentAt) >= link.issuedAt,
  );
}
