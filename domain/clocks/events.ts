/**
 * Events staff (and partners) record on a coordination clock. Each carries who and when, like a
 * transfer's events; coordination actions may carry the documentation for their progress note
 * (seed 004): start and end time, narrative, the member's response, referrals, follow-up.
 */
import { z } from 'zod';
import { Consent } from '../consent';
import { Actor, type ActorRole } from '../events';

const IsoInstant = z.iso.datetime({ offset: true });
const DirectoryId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'expected a directory id');

export const ContactMethod = z.enum(['phone', 'secure-email', 'fax', 'in-person', 'video', 'text']);
export type ContactMethod = z.infer<typeof ContactMethod>;

/** What the staff member writes for the note; anything left out is drafted from the action. */
export const Documentation = z
  .object({
    startedAt: IsoInstant.optional(),
    endedAt: IsoInstant.optional(),
    narrative: z.string().trim().min(1).max(4000).optional(),
    response: z.string().trim().max(2000).optional(),
    referrals: z.string().trim().max(2000).optional(),
    followUp: z.string().trim().max(2000).optional(),
  })
  .strict()
  // Compared as instants: the strings may carry different offsets (…-08:00 and …Z).
  .refine((d) => !d.startedAt || !d.endedAt || Date.parse(d.startedAt) <= Date.parse(d.endedAt), {
    message: 'endedAt is before startedAt',
    path: ['endedAt'],
  });
export type Documentation = z.infer<typeof Documentation>;

const envelope = { actor: Actor, sentAt: IsoInstant };
const event = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.object({ type: z.literal(type), ...envelope, ...shape }).strict();
const documented = { documentation: Documentation.optional() };

export const ClockEvent = z.discriminatedUnion('type', [
  event('plan-confirmed', { method: ContactMethod, ...documented }),
  /** A coordination contact made: `with` is a directory id (provider or plan) or `member`. */
  event('contact-made', { with: z.union([DirectoryId, z.literal('member')]), method: ContactMethod, ...documented }),
  event('contact-failed', { method: ContactMethod, ...documented }),
  event('referral-sent', { method: z.enum(['secure-email', 'fax']), ...documented }),
  event('appointment-confirmed', {
    appointmentAt: IsoInstant,
    location: z.string().max(300).optional(),
    ...documented,
  }),
  event('transportation-settled', {
    how: z.enum(['arranged', 'provided', 'member-declined', 'not-needed']),
    ...documented,
  }),
  event('problem-list-updated', documented),
  event('screening-completed', { result: z.enum(['screened', 'declined', 'unable-to-reach']), ...documented }),
  event('consent-recorded', { consent: Consent }),
  event('clock-closed', { reason: z.string().trim().min(1, 'a reason is required').max(1000) }),
]);
export type ClockEvent = z.infer<typeof ClockEvent>;
export type ClockEventType = ClockEvent['type'];
export const CLOCK_EVENT_TYPES = ClockEvent.options.map((o) => o.shape.type.value) as ClockEventType[];

const STAFF: ActorRole[] = ['case-manager', 'intake', 'manager'];
export const CLOCK_EVENT_SENDERS: Record<ClockEventType, ActorRole[]> = {
  'plan-confirmed': ['partner', ...STAFF],
  'contact-made': STAFF,
  'contact-failed': STAFF,
  'referral-sent': STAFF,
  'appointment-confirmed': ['partner', ...STAFF],
  'transportation-settled': STAFF,
  'problem-list-updated': STAFF,
  'screening-completed': STAFF,
  'consent-recorded': STAFF,
  'clock-closed': ['manager', 'case-manager'],
};
