/**
 * Events from staff, partners and members. Each carries who sent it and when; the workflow
 * adds when it received it. The workflow accepts them as an Update (the caller gets a validated
 * answer) or, for webhooks that cannot wait, as a signal.
 */
import { z } from 'zod';
import { Consent } from './consent';

const IsoInstant = z.iso.datetime({ offset: true });
const Reason = z.string().trim().min(1, 'a reason is required').max(1000);

export const ActorRole = z.enum(['case-manager', 'intake', 'manager', 'partner', 'member', 'system']);
export type ActorRole = z.infer<typeof ActorRole>;
/** How a refusal names the sender: "intake staff may not send …". */
export const SENDER_NAMES: Record<ActorRole, string> = {
  'case-manager': 'a case manager',
  intake: 'intake staff',
  manager: 'a manager',
  partner: 'the partner',
  member: 'the member',
  system: 'the system',
};
export const Actor = z.object({ role: ActorRole, id: z.string().min(1).max(100) }).strict();
export type Actor = z.infer<typeof Actor>;

const envelope = { actor: Actor, sentAt: IsoInstant };
const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), ...envelope, ...shape }).strict();

export const TransitionEvent = z.discriminatedUnion('type', [
  event('member-informed', {
    concernsAddressed: z.literal(true, { error: "the member's concerns must be addressed first" }),
    note: z.string().max(2000).optional(),
  }),
  event('documents-ready', {}),
  event('consent-recorded', { consent: Consent }),
  event('consent-declined', { reason: Reason }),
  event('consent-revoked', { consentId: z.string().min(1) }),
  event('packet-acknowledged', {}),
  event('appointment-scheduled', { appointmentAt: IsoInstant, location: z.string().max(300).optional() }),
  event('referral-declined', { reason: Reason }),
  event('provider-chosen', { providerId: z.string().min(1), reason: Reason }),
  event('handoff-arranged', {
    introductions: z.boolean(),
    transportation: z.enum(['not-needed', 'arranged', 'member-declined']),
    note: z.string().max(2000).optional(),
  }),
  event('appointment-confirmed-by-member', {}),
  event('attendance-confirmed', {}),
  event('no-show', {}),
  event('episode-closed', {
    dischargeSummaryCompleted: z.literal(true, { error: 'the discharge summary must be completed' }),
    otherProvidersInformed: z.boolean(),
  }),
  event('member-declined', { reason: Reason }),
  event('no-other-provider', { reason: Reason }),
  event('withdrawn', { reason: Reason }),
]);
export type TransitionEvent = z.infer<typeof TransitionEvent>;
export type EventType = TransitionEvent['type'];
export const EVENT_TYPES = TransitionEvent.options.map((o) => o.shape.type.value) as EventType[];

const STAFF: ActorRole[] = ['case-manager', 'intake', 'manager'];
/** Who may send each event. */
export const ALLOWED_SENDERS: Record<EventType, ActorRole[]> = {
  'member-informed': STAFF,
  'documents-ready': STAFF,
  'consent-recorded': STAFF,
  'consent-declined': STAFF,
  'consent-revoked': [...STAFF, 'member'],
  'packet-acknowledged': ['partner'],
  'appointment-scheduled': ['partner', ...STAFF],
  'referral-declined': ['partner'],
  'provider-chosen': STAFF,
  'handoff-arranged': STAFF,
  'appointment-confirmed-by-member': ['member'],
  'attendance-confirmed': ['partner', 'member', ...STAFF],
  'no-show': ['partner', ...STAFF],
  'episode-closed': STAFF,
  'member-declined': STAFF,
  'no-other-provider': STAFF,
  withdrawn: STAFF,
};
