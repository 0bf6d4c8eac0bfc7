/**
 * The coordination clocks' forms (seed 003): what staff fill in to start each kind of clock, and
 * to record each event on one. Which events a clock's page offers is asked of the workflow's own
 * rule (`whyClockEventRejected`) with a probe event, as the transfer page does; consent, the one
 * event with a long form of its own, is recorded from the CLI or the API.
 */
import type { ActorRole } from '../domain/events';
import type { Directory } from '../domain/directory';
import { whyClockEventRejected } from '../domain/clocks/event-rules';
import { ContactMethod, type ClockEvent, type ClockEventType } from '../domain/clocks/events';
import type { ClockKind } from '../domain/clocks/kinds';
import type { ClockState } from '../domain/clocks/state';
import { isResidential, LevelOfCare } from '../domain/stages';
import type { FormField } from './form-fields';

const pairs = (values: readonly string[]): [string, string][] => values.map((v) => [v, v]);
const plans = (d: Directory): [string, string][] => d.managedCarePlans.map((p) => [p.id, p.name]);
const providers = (d: Directory): [string, string][] => d.providers.map((p) => [p.id, p.name]);
const methods = pairs(ContactMethod.options);

/** Whom the clock is for and who answers for it: the same for every kind. */
function memberAndProgram(d: Directory): FormField[] {
  return [
    { kind: 'text', name: 'member.name', label: 'Member name' },
    { kind: 'date', name: 'member.dateOfBirth', label: 'Date of birth' },
    { kind: 'text', name: 'member.memberId', label: 'EHR member id' },
    { kind: 'text', name: 'member.planMemberId', label: 'Plan member id (Medi-Cal CIN), if enrolled' },
    { kind: 'tel', name: 'member.phone', label: 'Mobile phone (E.164, like +15105550123)' },
    { kind: 'select', name: 'programId', label: 'Program', options: d.programs.map((p) => [p.id, p.name]) },
    {
      kind: 'select',
      name: 'caseManagerId',
      label: 'Case manager',
      options: d.programs.flatMap((p) => p.caseManagers.map((c): [string, string] => [c.id, `${c.name} (${p.name})`])),
    },
    { kind: 'checkbox', name: 'partTwo', label: 'Records include SUD treatment information (42 CFR Part 2)' },
    { kind: 'checkbox', name: 'sequestered', label: "The member's chart is sequestered" },
  ];
}

/** Each kind's own facts, as `ClockRequest` (domain/clocks/requests.ts) names them. */
function kindFields(kind: ClockKind, d: Directory): FormField[] {
  const plan = (label = 'Managed care plan'): FormField => ({
    kind: 'select',
    name: 'managedCarePlanId',
    label,
    options: plans(d),
  });
  switch (kind) {
    case 'residential-notice':
      return [
        { kind: 'select', name: 'event', label: 'Admission or discharge', options: pairs(['admission', 'discharge']) },
        { kind: 'datetime', name: 'occurredAt', label: 'When it happened' },
        {
          kind: 'select',
          name: 'levelOfCare',
          label: 'Residential level of care',
          options: pairs(LevelOfCare.options.filter(isResidential)),
        },
        plan(),
      ];
    case 'crisis-follow-up':
      return [
        { kind: 'datetime', name: 'crisisAt', label: 'When the crisis service was given' },
        { kind: 'checkboxes', name: 'providerIds', label: "The member's other care providers", options: providers(d) },
        plan(),
      ];
    case 'mat-referral':
      return [
        { kind: 'datetime', name: 'requestedAt', label: 'When the member asked for MAT' },
        { kind: 'select', name: 'providerId', label: 'MAT or narcotic treatment program', options: providers(d) },
        plan('Managed care plan, if any'),
      ];
    case 'problem-list-update':
      return [
        { kind: 'datetime', name: 'changedAt', label: "When the member's condition changed" },
        { kind: 'checkbox', name: 'crisis', label: 'The change was a crisis' },
        plan('Managed care plan, if any'),
      ];
    case 'initial-screening':
      return [{ kind: 'date', name: 'enrolledOn', label: 'Enrolled on' }, plan('Managed care plan, if any')];
    case 'monthly-plan-coordination':
      return [plan(), { kind: 'month', name: 'firstMonth', label: 'First month to coordinate (default: this month)' }];
  }
}

export const startClockFields = (kind: ClockKind, d: Directory): FormField[] => [
  ...memberAndProgram(d),
  ...kindFields(kind, d),
];

/** The events staff record from a clock's page, in the order a clock usually meets them. */
const PAGE_EVENTS = [
  'plan-confirmed',
  'contact-made',
  'contact-failed',
  'referral-sent',
  'appointment-confirmed',
  'transportation-settled',
  'problem-list-updated',
  'screening-completed',
  'clock-closed',
] as const satisfies readonly ClockEventType[];
type PageEvent = (typeof PAGE_EVENTS)[number];
export const isPageEvent = (s: string): s is PageEvent => (PAGE_EVENTS as readonly string[]).includes(s);

export const EVENT_LABELS: Record<PageEvent, string> = {
  'plan-confirmed': 'The plan confirmed the notice',
  'contact-made': 'Contact made',
  'contact-failed': 'Contact attempt failed',
  'referral-sent': 'Referral sent',
  'appointment-confirmed': 'Appointment confirmed',
  'transportation-settled': 'Transportation settled',
  'problem-list-updated': 'Problem list updated',
  'screening-completed': 'Screening completed',
  'clock-closed': 'Close the clock',
};

/** For the progress note (seed 004): left blank, it is drafted from the action. */
const narrative: FormField = {
  kind: 'textarea',
  name: 'documentation.narrative',
  label: 'Note narrative (optional: drafted from the action if blank)',
};

export function eventFields(type: PageEvent, d: Directory): FormField[] {
  switch (type) {
    case 'plan-confirmed':
    case 'contact-failed':
      return [{ kind: 'select', name: 'method', label: 'How', options: methods }, narrative];
    case 'contact-made':
      return [
        {
          kind: 'select',
          name: 'with',
          label: 'With',
          options: [['member', 'the member'], ...plans(d), ...providers(d)],
        },
        { kind: 'select', name: 'method', label: 'How', options: methods },
        narrative,
      ];
    case 'referral-sent':
      return [{ kind: 'select', name: 'method', label: 'How', options: pairs(['secure-email', 'fax']) }, narrative];
    case 'appointment-confirmed':
      return [
        { kind: 'datetime', name: 'appointmentAt', label: 'Appointment' },
        { kind: 'text', name: 'location', label: 'Where (optional)' },
        narrative,
      ];
    case 'transportation-settled':
      return [
        {
          kind: 'select',
          name: 'how',
          label: 'How',
          options: pairs(['arranged', 'provided', 'member-declined', 'not-needed']),
        },
        narrative,
      ];
    case 'problem-list-updated':
      return [narrative];
    case 'screening-completed':
      return [
        {
          kind: 'select',
          name: 'result',
          label: 'Result',
          options: pairs(['screened', 'declined', 'unable-to-reach']),
        },
        narrative,
      ];
    case 'clock-closed':
      return [{ kind: 'textarea', name: 'reason', label: 'Why the clock is closed' }];
  }
}

/** An event of this type valid in every respect but fit, to ask the clock's rule whether it fits now. */
function probe(type: PageEvent, role: ActorRole, now: Date): ClockEvent {
  const envelope = { actor: { role, id: 'probe' }, sentAt: now.toISOString() };
  const later = new Date(now.getTime() + 86_400_000).toISOString();
  switch (type) {
    case 'plan-confirmed':
    case 'contact-failed':
      return { type, ...envelope, method: 'phone' };
    case 'contact-made':
      return { type, ...envelope, with: 'member', method: 'phone' };
    case 'referral-sent':
      return { type, ...envelope, method: 'fax' };
    case 'appointment-confirmed':
      return { type, ...envelope, appointmentAt: later };
    case 'transportation-settled':
      return { type, ...envelope, how: 'not-needed' };
    case 'problem-list-updated':
      return { type, ...envelope };
    case 'screening-completed':
      return { type, ...envelope, result: 'screened' };
    case 'clock-closed':
      return { type, ...envelope, reason: 'probe' };
  }
}

/** The events this person may record on the clock now. Consent and recipients are checked when sent. */
export function allowedClockEvents(state: ClockState, role: ActorRole, now: Date): PageEvent[] {
  const ctx = { memberId: 'probe', contactable: ['member'], consentProblem: () => null };
  return PAGE_EVENTS.filter((type) => whyClockEventRejected(state, probe(type, role, now), now, ctx) === null);
}
