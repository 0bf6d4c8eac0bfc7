/**
 * Transfers with known timings, for the report figures test and the report bench: each comes as
 * the state the workflow would hold and as the truth it was made from (whole business days per
 * stage, deadlines met or not, the outcome), so expected figures never go through the report
 * code. Times step whole weekdays at the same local time, on a calendar without holidays, so a
 * stage of N weekdays is exactly N business days.
 */
import { DateTime } from 'luxon';
import type { CalendarSettings } from '../../domain/policy';
import type { TimelineEntry, TransferState } from '../../domain/state';
import { newTransferState } from '../../domain/state';
import { REFERRAL_STAGES, type Outcome, type ReferralStage, type WaitingOn } from '../../domain/stages';
import type { ReportFacts } from '../../domain/report-record';

export const SYNTHETIC_CALENDAR: CalendarSettings = {
  timeZone: 'America/Los_Angeles',
  holidays: [],
  businessDays: [1, 2, 3, 4, 5],
  businessHours: { start: '08:00', end: '18:00' },
};

const PROGRAMS = [
  { id: 'north-county-residential', caseManagers: ['cm-alvarez', 'cm-okafor'] },
  { id: 'santa-rosa-mh-clinic', caseManagers: ['cm-nguyen'] },
];
const PROVIDERS = ['bayside-outpatient', 'redwood-iop', 'harbor-mat-clinic', 'partnership-nsmhs-provider'];

export interface SyntheticTruth {
  referralId: string;
  /** The county calendar day it started. */
  startDay: string;
  sendingProgram: string;
  caseManager: string;
  receivingProvider: string;
  urgency: 'routine' | 'urgent';
  outcome: Outcome | null;
  /** Stages left, with their business days and whether that was by the deadline. */
  completed: { stage: ReferralStage; days: number; met: boolean }[];
  /** Every stage entered, whom it waited on and the highest ladder step it reached. */
  visited: { stage: ReferralStage; waitingOn: WaitingOn; escalation: number }[];
  /** Business days from the packet sent to the provider's acknowledgement. */
  acknowledgementDays: number | null;
  /** Business days from the packet sent to the first offered appointment, and the standard's days. */
  appointment: { days: number; standardDays: number } | null;
  noShows: number;
  reschedules: number;
  highestEscalation: number;
  consentNeeded: boolean;
  consentRecorded: boolean;
  /** The stages completed, by name, for the monitoring checklist. */
  done: Set<ReferralStage>;
}

export interface SyntheticTransfer {
  state: TransferState;
  facts: ReportFacts;
  truth: SyntheticTruth;
}

/** A small deterministic generator (mulberry32), so a seed gives the same transfers every run. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` weekdays after `t`, at the same local time. */
function weekdaysAfter(t: DateTime, n: number): DateTime {
  let d = t;
  for (let left = n; left > 0;) {
    d = d.plus({ days: 1 });
    if (d.weekday <= 5) left--;
  }
  return d;
}

/** Whole weekdays from `a` to `b` (same local time). */
function weekdaysBetween(a: DateTime, b: DateTime): number {
  let n = 0;
  for (let d = a; d < b; d = weekdaysAfter(d, 1)) n++;
  return n;
}

const WAITING_ON: Record<ReferralStage, WaitingOn> = {
  'inform-member': 'case-manager',
  'assemble-packet': 'case-manager',
  'obtain-consent': 'member',
  'send-packet': 'case-manager',
  'confirm-scheduled': 'partner',
  'warm-handoff': 'case-manager',
  'confirm-attendance': 'partner',
  'close-episode': 'case-manager',
};

const FATES: [Outcome | 'open', number][] = [
  ['linked', 50],
  ['open', 15],
  ['lost-to-follow-up', 10],
  ['consent-declined', 5],
  ['partner-declined', 5],
  ['member-declined', 8],
  ['withdrawn', 7],
];

export function syntheticTransfers(count: number, seed = 23): SyntheticTransfer[] {
  const rnd = random(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const fateOf = (): Outcome | 'open' => {
    let r = rnd() * 100;
    for (const [fate, weight] of FATES) if ((r -= weight) < 0) return fate;
    return 'linked';
  };
  const first = DateTime.fromISO('2026-01-05T09:00', { zone: SYNTHETIC_CALENDAR.timeZone });
  return Array.from({ length: count }, (_, i) => {
    const referralId = `R-SYN${String(i).padStart(6, '0')}`;
    const program = pick(PROGRAMS);
    const caseManager = pick(program.caseManagers);
    const receivingProvider = pick(PROVIDERS);
    const urgency = rnd() < 0.2 ? 'urgent' : 'routine';
    const fate = fateOf();
    // The stage it ends or waits in (its index).
    const last = {
      linked: 7,
      open: int(0, 7),
      'lost-to-follow-up': 6,
      'consent-declined': 2,
      'partner-declined': 4,
      'member-declined': int(0, 7),
      withdrawn: int(0, 7),
    }[fate];
    const start = weekdaysAfter(first, int(0, 120)).plus({ minutes: int(0, 59) });
    const state = newTransferState(
      referralId,
      { memberId: `M-${i}`, language: 'en', timeZone: SYNTHETIC_CALENDAR.timeZone, contactPreferences: [] },
      receivingProvider,
      start.toJSDate(),
    );
    const timeline: TimelineEntry[] = [];
    const truth: SyntheticTruth = {
      referralId,
      startDay: start.toISODate()!,
      sendingProgram: program.id,
      caseManager,
      receivingProvider,
      urgency,
      outcome: fate === 'open' ? null : fate,
      completed: [],
      visited: [],
      acknowledgementDays: null,
      appointment: null,
      noShows: 0,
      reschedules: 0,
      highestEscalation: 0,
      consentNeeded: fate === 'consent-declined' || rnd() >= 0.1,
      consentRecorded: false,
      done: new Set(),
    };
    state.consentNeeded = truth.consentNeeded;
    const iso = (t: DateTime) => t.toUTC().toISO()!;
    const event = (at: DateTime, e: Record<string, unknown>) =>
      timeline.push({
        at: iso(at),
        kind: 'event',
        via: 'call',
        event: { ...e, actor: { role: 'system', id: 'synthetic' }, sentAt: iso(at) } as never,
      });
    let t = start;
    let requestSent = start;
    for (let j = 0; j <= last; j++) {
      const stage = REFERRAL_STAGES[j]!;
      const deadlineDays = int(1, 5);
      const waitingOn = WAITING_ON[stage];
      timeline.push({ at: iso(t), kind: 'stage', stage, waitingOn, deadline: iso(weekdaysAfter(t, deadlineDays)) });
      const visit = { stage, waitingOn, escalation: 0 };
      truth.visited.push(visit);
      for (let step = 0; step < 2 && rnd() < 0.3; step++) {
        const level = int(1, 3) as 1 | 2 | 3;
        timeline.push({ at: iso(t), kind: 'escalation', level, step: 'reminder' });
        visit.escalation = Math.max(visit.escalation, level);
        truth.highestEscalation = Math.max(truth.highestEscalation, level);
      }
      if (fate === 'open' && j === last) break;
      const days = int(0, 7);
      const left = weekdaysAfter(t, days);
      truth.completed.push({ stage, days, met: days <= deadlineDays });
      truth.done.add(stage);
      if (stage === 'inform-member') state.memberInformedAt = iso(left);
      if (stage === 'obtain-consent' && fate !== 'consent-declined' && truth.consentNeeded) {
        event(left, { type: 'consent-recorded' });
        truth.consentRecorded = true;
      }
      if (stage === 'send-packet') {
        const standardDays = urgency === 'urgent' ? 2 : 10;
        requestSent = left;
        state.requestSentAt = iso(left);
        timeline.push({
          at: iso(left),
          kind: 'disclosure',
          providerId: receivingProvider,
          purpose: 'referral-packet',
          categories: ['member-information'],
          consentId: truth.consentRecorded ? `C-${i}` : null,
        });
        state.appointmentStandardDeadline = iso(weekdaysAfter(left, standardDays));
        const acknowledgementDays = int(0, 4);
        state.acknowledgedAt = iso(weekdaysAfter(left, acknowledgementDays));
        truth.acknowledgementDays = acknowledgementDays;
      }
      if (stage === 'confirm-scheduled' && fate !== 'partner-declined') {
        // Offered when this stage ends, for a day some weekdays on; counted from the packet sent.
        const appointment = weekdaysAfter(left, int(1, 8));
        const standardDays = urgency === 'urgent' ? 2 : 10;
        event(left, { type: 'appointment-scheduled', appointmentAt: iso(appointment) });
        truth.appointment = { days: weekdaysBetween(requestSent, appointment), standardDays };
        if (rnd() < 0.2) {
          // A no-show, and the provider offers another appointment.
          event(left.plus({ minutes: 1 }), {
            type: 'appointment-scheduled',
            appointmentAt: iso(weekdaysAfter(appointment, 3)),
          });
          truth.reschedules = 1;
          truth.noShows = 1;
          state.noShows = 1;
        }
      }
      if (stage === 'warm-handoff') state.handoffArrangedAt = iso(left);
      if (stage === 'confirm-attendance' && fate === 'linked') state.attendedAt = iso(left);
      if (stage === 'close-episode') state.episodeClosedAt = iso(left);
      t = left;
    }
    if (fate !== 'open') {
      timeline.push({ at: iso(t), kind: 'stage', stage: 'done', waitingOn: 'none', deadline: null });
      state.outcome = fate;
      state.stage = 'done';
    } else state.stage = REFERRAL_STAGES[last]!;
    state.timeline = timeline;
    const facts: ReportFacts = {
      workflowId: `transition-${referralId}`,
      sendingProgram: program.id,
      caseManager,
      levelOfCare: 'asam-1.0',
      urgency,
      startedAt: iso(start),
      endedAt: fate === 'open' ? null : iso(t),
    };
    return { state, facts, truth };
  });
}
