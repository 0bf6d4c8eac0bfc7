/**
 * The referral as FHIR R4 resources, read from the transfer's state: the ServiceRequest (the
 * referral), its Task (the status machine receiving providers follow) and the Consent the packet
 * went under. One of each per transfer, each with the referral id as its id. And the other way:
 * which transfer event a partner's Task status stands for.
 *
 * Who the member is goes only to signed-in staff: a partner's copy names the member by the packet
 * they already hold, never by id or name.
 */
import type { ConsentOnRecord } from './consent';
import type { EventType } from './events';
import type { TransferState } from './state';

const REFERRAL_ID_SYSTEM = 'urn:referrals:referral-id';
/** The county's member id as an identifier: on the referral's resources, and by default in the EHR. */
export const MEMBER_ID_SYSTEM = 'urn:referrals:member-id';

export const TASK_STATUSES = [
  'draft',
  'requested',
  'received',
  'accepted',
  'rejected',
  'in-progress',
  'completed',
  'cancelled',
  'on-hold',
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface Reader {
  kind: 'staff' | 'partner';
}

type Resource = Record<string, unknown> & { resourceType: string; id: string };

/** The Task's status from where the transfer stands. */
export function taskStatus(state: TransferState): TaskStatus {
  switch (state.outcome) {
    case 'linked':
      return 'completed';
    case 'partner-declined':
      return 'rejected';
    case undefined:
      break;
    default:
      return 'cancelled';
  }
  if (state.pendingProviderChange) return 'on-hold';
  if (state.attendedAt) return 'completed';
  if (state.appointment) return 'in-progress';
  if (state.acknowledgedAt) return 'accepted';
  return state.requestSentAt ? 'requested' : 'draft';
}

/**
 * What a partner's Task update means: received and accepted both acknowledge the packet, as the
 * "acknowledge" link does; rejected declines; completed confirms attendance. An appointment needs
 * its time and place, so it is given through the partner's link page.
 */
export const EVENT_FOR_TASK_STATUS: Partial<Record<TaskStatus, EventType>> = {
  received: 'packet-acknowledged',
  accepted: 'packet-acknowledged',
  rejected: 'referral-declined',
  completed: 'attendance-confirmed',
};

function subject(state: TransferState, reader: Reader) {
  if (reader.kind === 'partner') return { display: 'The member named in the referral packet' };
  const name = state.member.name;
  return {
    identifier: { system: MEMBER_ID_SYSTEM, value: state.member.memberId },
    ...(name ? { display: name } : {}),
  };
}

/** The human-readable summary FHIR asks of every resource (dom-6): ids and statuses only. */
function narrative(summary: string) {
  const escaped = summary.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${escaped}</div>` };
}

const referralIdentifier = (state: TransferState) => [{ system: REFERRAL_ID_SYSTEM, value: state.referralId }];
const startedAt = (state: TransferState) => state.timeline[0]?.at ?? state.stageStartedAt;

/** The consent the latest packet went under, else the latest on record. */
function consentOf(state: TransferState): ConsentOnRecord | undefined {
  const ids = state.timeline.flatMap((t) => (t.kind === 'disclosure' && t.consentId !== null ? [t.consentId] : []));
  const id = ids.at(-1);
  return state.consents.find((c) => c.consentId === id) ?? state.consents.at(-1);
}

export function serviceRequest(state: TransferState, providerName: string, reader: Reader): Resource {
  const status = taskStatus(state);
  return {
    resourceType: 'ServiceRequest',
    id: state.referralId,
    text: narrative(`Referral ${state.referralId} to ${providerName}`),
    identifier: referralIdentifier(state),
    status:
      status === 'draft'
        ? 'draft'
        : state.outcome === undefined
          ? 'active'
          : status === 'completed'
            ? 'completed'
            : 'revoked',
    intent: 'order',
    code: { text: 'Transfer to a new level of care' },
    subject: subject(state, reader),
    authoredOn: startedAt(state),
    performer: [{ display: providerName }],
    ...(consentOf(state) ? { supportingInfo: [{ reference: `Consent/${state.referralId}` }] } : {}),
  };
}

export function task(state: TransferState, providerName: string, reader: Reader): Resource {
  const status = taskStatus(state);
  // Staff's reasons (a withdrawal, the member's own decline) may say why about the member: staff only.
  const reason = state.partnerDecline?.reason || (reader.kind === 'staff' ? state.outcomeReason : undefined);
  return {
    resourceType: 'Task',
    id: state.referralId,
    text: narrative(`Referral ${state.referralId}: ${status} (${state.outcome ?? state.stage})`),
    identifier: referralIdentifier(state),
    basedOn: [{ reference: `ServiceRequest/${state.referralId}` }],
    status,
    ...(reason && (status === 'rejected' || status === 'cancelled') ? { statusReason: { text: reason } } : {}),
    businessStatus: { text: state.outcome ?? state.stage },
    intent: 'order',
    focus: { reference: `ServiceRequest/${state.referralId}` },
    for: subject(state, reader),
    authoredOn: startedAt(state),
    lastModified: state.timeline.at(-1)?.at ?? startedAt(state),
    owner: { display: providerName },
    ...(state.appointment ? { restriction: { period: { start: state.appointment.at } } } : {}),
  };
}

export function consent(state: TransferState, reader: Reader, now: Date): Resource | null {
  const c = consentOf(state);
  if (!c) return null;
  const expiresAt = 'date' in c.expiration ? c.expiration.date : undefined;
  const active = c.revokedAt === undefined && (expiresAt === undefined || Date.parse(expiresAt) > now.getTime());
  return {
    resourceType: 'Consent',
    id: state.referralId,
    text: narrative(`Consent ${c.consentId} for referral ${state.referralId}: ${c.categories.join(', ')}`),
    identifier: [{ system: 'urn:referrals:consent-id', value: c.consentId }],
    status: active ? 'active' : 'inactive',
    scope: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }],
    },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }], text: 'Consent to disclose' }],
    patient: subject(state, reader),
    dateTime: c.signedAt,
    // Why written consent was needed (42 CFR Part 2, outside the plan, a sequestered chart).
    policyRule: { text: state.consentReasons.join('; ') || 'Written consent to disclose' },
    provision: {
      type: 'permit',
      period: { start: c.signedAt, ...(expiresAt ? { end: expiresAt } : {}) },
      purpose: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT' }],
      // What the consent covers, in the packet's own words (seed 003 I.2.a.ii).
      code: c.categories.map((category) => ({ text: category })),
    },
  };
}

/** What this server offers a partner's FHIR client, at /fhir/metadata (clients read it first). */
export function capabilityStatement(publishedAt: string): Record<string, unknown> {
  const read = [{ code: 'read' }];
  return {
    resourceType: 'CapabilityStatement',
    text: narrative('Referrals: the referral as ServiceRequest, its Task and its Consent'),
    status: 'active',
    date: publishedAt,
    kind: 'instance',
    implementation: { description: 'County referrals: level-of-care transfers' },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json'],
    rest: [
      {
        mode: 'server',
        security: {
          description:
            'Bearer tokens: a staff API token, or the partner token in the packet email, which opens one referral.',
        },
        resource: [
          { type: 'ServiceRequest', interaction: read },
          { type: 'Task', interaction: [...read, { code: 'update' }], updateCreate: false },
          { type: 'Consent', interaction: read },
        ],
      },
    ],
  };
}
