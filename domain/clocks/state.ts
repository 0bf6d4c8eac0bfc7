/** The state of one coordination clock, as its workflow holds it and its query returns it. */
import type { ConsentOnRecord } from '../consent';
import type { EscalationLevel, LadderPosition, LadderStep } from '../ladder';
import type { WaitingOn } from '../stages';
import type { ClockEvent, ContactMethod } from './events';
import type { ClockKind, ClockStage } from './kinds';

export type ClockTimelineEntry = { at: string } & (
  | { kind: 'event'; event: ClockEvent; via: 'call' | 'webhook' }
  | { kind: 'ignored-event'; type: string; reason: string }
  | { kind: 'stage'; stage: ClockStage | 'done'; waitingOn: WaitingOn; deadline: string | null }
  | { kind: 'escalation'; level: EscalationLevel; step: LadderStep['kind']; reminderNumber?: number }
  | { kind: 'note'; text: string }
  | { kind: 'note-drafted'; noteKey: string; action: string }
);

interface ContactRecord {
  at: string;
  /** A directory id, or `member`. */
  with: string;
  method: ContactMethod;
}

/** One month of plan coordination: the evidence the monitoring plan asks for (seed 003 I.2.b, II). */
interface MonthRecord {
  month: string;
  contacts: ContactRecord[];
  /** True when a contact was recorded before the month's deadline. */
  met: boolean;
}

export type ClockOutcome = 'completed' | 'completed-late' | 'closed';

export interface ClockState extends LadderPosition<ClockStage> {
  clockId: string;
  kind: ClockKind;
  /** The seed's deadline for the clock's main obligation (24 hours, 72 hours, 90 days, the month's end). */
  dueAt: string;
  /** When the obligation was met, and whether that was by `dueAt`: what the county is audited on. */
  metAt?: string;
  metOnTime?: boolean;
  consents: ConsentOnRecord[];
  contacts: ContactRecord[];
  /** Initial screening: contact attempts made (the first counts), and the ones that failed. */
  attempts: number;
  failedAttempts: number;
  lastFailedAt?: string;
  referralSent?: { at: string; method: 'secure-email' | 'fax' };
  appointment?: { at: string; location?: string; confirmedAt: string };
  transportation?: string;
  screeningResult?: string;
  problemListUpdatedAt?: string;
  planConfirmedAt?: string;
  /** Monthly coordination: the month this run covers, and the months before it (kept across continue-as-new). */
  month?: string;
  months: MonthRecord[];
  notesDrafted: number;
  outcome?: ClockOutcome;
  outcomeReason?: string;
  timeline: ClockTimelineEntry[];
}
