/**
 * The actions staff take on a transfer's page: which ones its stage allows (asked of the
 * workflow's own rule, `whyRejected`, with a probe event) and how each form becomes an event.
 */
import { whyRejected } from '../domain/event-rules';
import type { TransitionEvent } from '../domain/events';
import type { TransferState } from '../domain/state';
import { checked, field, fields } from './form-body';
import { localToInstant } from './local-time';

const STAFF_ACTIONS = [
  'member-informed',
  'documents-ready',
  'consent-recorded',
  'provider-chosen',
  'handoff-arranged',
  'attendance-confirmed',
  'no-show',
  'episode-closed',
  'withdrawn',
] as const;
export type StaffAction = (typeof STAFF_ACTIONS)[number];
export const isStaffAction = (s: string): s is StaffAction => (STAFF_ACTIONS as readonly string[]).includes(s);

const PROBE_MEMBER = 'probe-member';

/** An event of this kind that is valid in every respect but timing, to ask the stage rule about. */
function probe(action: StaffAction, now: Date): TransitionEvent {
  const envelope = { actor: { role: 'manager' as const, id: 'probe' }, sentAt: now.toISOString() };
  switch (action) {
    case 'member-informed':
      return { type: action, ...envelope, concernsAddressed: true };
    case 'consent-recorded':
      return {
        type: action,
        ...envelope,
        consent: {
          consentId: 'probe-consent',
          memberId: PROBE_MEMBER,
          discloserProgramId: 'probe',
          recipients: [{ providerClass: 'probe' }],
          categories: ['member-information'],
          purpose: 'probe',
          expiration: { event: 'probe' },
          signedAt: new Date(now.getTime() - 1000).toISOString(),
          signedBy: { kind: 'member' },
          toldOfRightToRevoke: true,
        },
      };
    case 'provider-chosen':
      return { type: action, ...envelope, providerId: 'probe-provider', reason: 'probe' };
    case 'handoff-arranged':
      return { type: action, ...envelope, introductions: true, transportation: 'not-needed' };
    case 'episode-closed':
      return { type: action, ...envelope, dischargeSummaryCompleted: true, otherProvidersInformed: true };
    case 'withdrawn':
      return { type: action, ...envelope, reason: 'probe' };
    default:
      return { type: action, ...envelope };
  }
}

export function allowedActions(state: TransferState, now: Date): StaffAction[] {
  return STAFF_ACTIONS.filter((a) => whyRejected(state, probe(a, now), now, PROBE_MEMBER) === null);
}

/** The event a submitted action form describes, without actor and time (the server adds those). */
export function formToEvent(
  action: StaffAction,
  body: unknown,
  ctx: { sendingProgramId: string; timeZone: string },
): Record<string, unknown> {
  switch (action) {
    case 'member-informed':
      return { type: action, concernsAddressed: checked(body, 'concernsAddressed'), note: field(body, 'note') };
    case 'consent-recorded': {
      const expirationDate = localToInstant(field(body, 'expirationDate'), ctx.timeZone);
      const representative = field(body, 'signedBy') === 'representative';
      return {
        type: action,
        consent: {
          consentId: field(body, 'consentId'),
          memberId: field(body, 'memberId'),
          discloserProgramId: ctx.sendingProgramId,
          recipients: fields(body, 'recipientProviderIds').map((providerId) => ({ providerId })),
          categories: fields(body, 'categories'),
          purpose: field(body, 'purpose'),
          expiration: expirationDate ? { date: expirationDate } : { event: field(body, 'expirationEvent') },
          signedAt: localToInstant(field(body, 'signedAt'), ctx.timeZone),
          signedBy: representative
            ? {
                kind: 'representative',
                name: field(body, 'representativeName'),
                relationship: field(body, 'representativeRelationship'),
              }
            : { kind: 'member' },
          toldOfRightToRevoke: checked(body, 'toldOfRightToRevoke'),
        },
      };
    }
    case 'provider-chosen':
      return { type: action, providerId: field(body, 'providerId'), reason: field(body, 'reason') };
    case 'handoff-arranged':
      return {
        type: action,
        introductions: checked(body, 'introductions'),
        transportation: field(body, 'transportation'),
        note: field(body, 'note'),
      };
    case 'episode-closed':
      return {
        type: action,
        dischargeSummaryCompleted: checked(body, 'dischargeSummaryCompleted'),
        otherProvidersInformed: checked(body, 'otherProvidersInformed'),
      };
    case 'withdrawn':
      return { type: action, reason: field(body, 'reason') ?? '' };
    default:
      return { type: action };
  }
}
