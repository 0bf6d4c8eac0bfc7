/**
 * The coordination clocks met on time, by kind (seed 003 I.2.b, II): each clock's obligation, or
 * for monthly plan coordination each finished month, counted as met on time, met late, missed
 * (ended unmet, or past due and still open), or not yet due.
 */
import type { ClockReportRecord } from '../../domain/clocks/report-record';
import { CLOCK_KINDS } from '../../domain/clocks/kinds';
import { percent, type Cell } from './report-table';

export const CLOCKS_COLUMNS = [
  { key: 'kind', label: 'Clock' },
  { key: 'clocks', label: 'Clocks' },
  { key: 'obligations', label: 'Obligations' },
  { key: 'onTime', label: 'Met on time' },
  { key: 'late', label: 'Met late' },
  { key: 'missed', label: 'Missed' },
  { key: 'notYetDue', label: 'Not yet due' },
  { key: 'onTimePercent', label: 'On time of those due (%)' },
];

type Result = 'onTime' | 'late' | 'missed' | 'notYetDue';

function results(c: ClockReportRecord, asOf: Date): Result[] {
  if (c.kind === 'monthly-plan-coordination') return c.months.map((m) => (m.met ? 'onTime' : 'missed'));
  if (c.metOnTime !== null) return [c.metOnTime ? 'onTime' : 'late'];
  if (c.outcome !== null || new Date(c.dueAt) <= asOf) return ['missed'];
  return ['notYetDue'];
}

export function clocksRows(clocks: ClockReportRecord[], asOf: Date): Cell[][] {
  return CLOCK_KINDS.map((kind) => {
    const these = clocks.filter((c) => c.kind === kind);
    const all = these.flatMap((c) => results(c, asOf));
    const count = (r: Result) => all.filter((x) => x === r).length;
    const due = all.length - count('notYetDue');
    return [
      kind,
      these.length,
      all.length,
      count('onTime'),
      count('late'),
      count('missed'),
      count('notYetDue'),
      percent(count('onTime'), due),
    ];
  });
}
