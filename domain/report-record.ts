/**
 * What the reports keep of one transfer (issue 23, seed 003 II): its milestones and each stage it
 * passed through, with business days and whether the stage's deadline was met. Derived from the
 * transfer's state alone, so the reporting store can always be rebuilt from Temporal. Durations
 * are counted once, here, with the county's business calendar; reports only add them up.
 */
import { businessDaysBetween } from './calendar';
import type { CalendarSettings } from './policy';
import type { TransferState } from './state';
import type { ReferralStage, WaitingOn } from './stages';

/** Who and where, from the transfer's search attributes (ids only). */
export interface ReportFacts {
  workflowId: string;
  sendingProgram: string;
  caseManager: string;
  levelOfCare: string;
  urgency: 'routine' | 'urgent';
  startedAt: string;
  /** Null while the transfer runs. */
  endedAt: string | null;
}

interface StageSpan {
  stage: ReferralStage;
  /** Who the stage waited on: the partner scorecard counts the stages partners owed. */
  waitingOn: WaitingOn;
  /** The highest ladder step the stage reached (1 reminder, 2 clinic director, 3 contract monitor or program manager). */
  escalation: number;
  enteredAt: string;
  /** Null for the stage the transfer is in now. */
  leftAt: string | null;
  deadline: string | null;
  /** Business days from entering to leaving (to the half day); null while in the stage. */
  businessDays: number | null;
  /** Left by its deadline; null while in the stage or when the stage has none. */
  metDeadline: boolean | null;
}

export interface ReportRecord extends ReportFacts {
  referralId: string;
  receivingProvider: string;
  stage: string;
  outcome: string | null;
  outcomeReason: string | null;
  memberInformedAt: string | null;
  consentRecordedAt: string | null;
  /** Whether the transfer needed written consent to disclose (null: not yet known). */
  consentNeeded: boolean | null;
  /** How the packet went to the receiving provider: under a consent, with none needed, or not yet (null). */
  packetRelease: 'consent' | 'not-needed' | null;
  requestSentAt: string | null;
  acknowledgedAt: string | null;
  /** Business days from the request (packet) sent to the provider's acknowledgement. */
  acknowledgementDays: number | null;
  /** The first appointment the current provider offered after the request went. */
  firstAppointmentAt: string | null;
  firstAppointmentOfferedAt: string | null;
  /** Business days from the request sent to that appointment. */
  daysToFirstAppointment: number | null;
  /** Whether it fell within the timeliness standard (10 business days; urgent 48 hours). */
  appointmentWithinStandard: boolean | null;
  handoffArrangedAt: string | null;
  attendedAt: string | null;
  episodeClosedAt: string | null;
  noShows: number;
  /** Appointments the current provider scheduled again after its first. */
  reschedules: number;
  providerChanges: number;
  /** The highest step of the escalation ladder any stage reached (0: none). */
  highestEscalation: number;
  stages: StageSpan[];
}

export function reportRecordOf(state: TransferState, facts: ReportFacts, cal: CalendarSettings): ReportRecord {
  const days = (from: string | undefined, to: string | undefined) =>
    from && to ? businessDaysBetween(new Date(from), new Date(to), cal) : null;
  const events = state.timeline.flatMap((e) => (e.kind === 'event' ? [{ at: e.at, event: e.event }] : []));
  const scheduled = events.flatMap(({ at, event }) =>
    event.type === 'appointment-scheduled' ? [{ at, appointmentAt: new Date(event.appointmentAt).toISOString() }] : [],
  );
  const sinceRequest = state.requestSentAt ? scheduled.filter((s) => s.at >= state.requestSentAt!) : [];
  const first = sinceRequest[0];
  const consent = events.find(({ event }) => event.type === 'consent-recorded');
  return {
    ...facts,
    referralId: state.referralId,
    receivingProvider: state.receivingProviderId,
    stage: state.stage,
    outcome: state.outcome ?? null,
    outcomeReason: state.outcomeReason ?? null,
    memberInformedAt: state.memberInformedAt ?? null,
    consentRecordedAt: consent?.at ?? null,
    consentNeeded: state.consentNeeded,
    packetRelease: packetReleaseOf(state),
    requestSentAt: state.requestSentAt ?? null,
    acknowledgedAt: state.acknowledgedAt ?? null,
    acknowledgementDays: days(state.requestSentAt, state.acknowledgedAt),
    firstAppointmentAt: first?.appointmentAt ?? null,
    firstAppointmentOfferedAt: first?.at ?? null,
    daysToFirstAppointment: days(state.requestSentAt, first?.appointmentAt),
    appointmentWithinStandard:
      first && state.appointmentStandardDeadline ? first.appointmentAt <= state.appointmentStandardDeadline : null,
    handoffArrangedAt: state.handoffArrangedAt ?? null,
    attendedAt: state.attendedAt ?? null,
    episodeClosedAt: state.episodeClosedAt ?? null,
    noShows: state.noShows,
    reschedules: Math.max(0, sinceRequest.length - 1),
    providerChanges: state.providerChanges,
    highestEscalation: Math.max(
      0,
      ...state.timeline.flatMap((e) => (e.kind === 'escalation' ? [e.level] : [])),
      state.escalationLevel,
    ),
    stages: stageSpans(state, cal),
  };
}

function packetReleaseOf(state: TransferState): ReportRecord['packetRelease'] {
  const packet = state.timeline.find(
    (e) => e.kind === 'disclosure' && e.purpose === 'referral-packet' && e.providerId === state.receivingProviderId,
  );
  if (!packet || packet.kind !== 'disclosure') return null;
  return packet.consentId ? 'consent' : 'not-needed';
}

/** One span per visit to a stage (a provider change sends a transfer back to send-packet). */
function stageSpans(state: TransferState, cal: CalendarSettings): StageSpan[] {
  const spans: StageSpan[] = [];
  for (const entry of state.timeline) {
    const current = spans.at(-1);
    if (entry.kind === 'escalation' && current) current.escalation = Math.max(current.escalation, entry.level);
    if (entry.kind !== 'stage') continue;
    if (current) {
      current.leftAt = entry.at;
      current.businessDays = businessDaysBetween(new Date(current.enteredAt), new Date(entry.at), cal);
      current.metDeadline = current.deadline ? entry.at <= current.deadline : null;
    }
    if (entry.stage !== 'done')
      spans.push({
        stage: entry.stage,
        waitingOn: entry.waitingOn,
        escalation: 0,
        enteredAt: entry.at,
        leftAt: null,
        deadline: entry.deadline,
        businessDays: null,
        metDeadline: null,
      });
  }
  return spans;
}
