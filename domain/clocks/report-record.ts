/**
 * What the clocks report keeps of one coordination clock (seed 003 I.2.b, II): its deadline and
 * whether it was met by it; the monthly plan coordination clock, each month's result. Derived
 * from the clock's state alone, like a transfer's record (domain/report-record.ts).
 */
import type { ClockKind } from './kinds';
import type { ClockState } from './state';

export interface ClockReportFacts {
  sendingProgram: string;
  caseManager: string;
  /** When the clock began (its first run, for a clock that continues month after month). */
  startedAt: string;
  endedAt: string | null;
}

export interface ClockReportRecord extends ClockReportFacts {
  clockId: string;
  kind: ClockKind;
  dueAt: string;
  metAt: string | null;
  metOnTime: boolean | null;
  outcome: string | null;
  /** Monthly plan coordination: each month finished, and whether a contact came in time. */
  months: { month: string; met: boolean }[];
}

export function clockReportRecordOf(state: ClockState, facts: ClockReportFacts): ClockReportRecord {
  return {
    ...facts,
    clockId: state.clockId,
    kind: state.kind,
    dueAt: state.dueAt,
    metAt: state.metAt ?? null,
    metOnTime: state.metOnTime ?? null,
    outcome: state.outcome ?? null,
    months: state.months.map((m) => ({ month: m.month, met: m.met })),
  };
}
