/**
 * Coordination clocks with known results, for the clocks report test: each as the report record
 * its state gives, and the results it was made with (one per obligation; one per month for
 * monthly plan coordination).
 */
import { DateTime } from 'luxon';
import { clockReportRecordOf, type ClockReportRecord } from '../../domain/clocks/report-record';
import { CLOCK_KINDS, type ClockKind } from '../../domain/clocks/kinds';
import type { ClockState } from '../../domain/clocks/state';
import { random } from './synthetic-transfers';

type ClockResult = 'onTime' | 'late' | 'missed' | 'notYetDue';

export interface SyntheticClock {
  record: ClockReportRecord;
  truth: { kind: ClockKind; startDay: string; sendingProgram: string; results: ClockResult[] };
}

/** Due dates fall in 2026 for every clock but those not yet due, which fall in 2099. */
export function syntheticClocks(count: number, seed = 7): SyntheticClock[] {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const zone = 'America/Los_Angeles';
  return Array.from({ length: count }, (_, i) => {
    const kind = pick(CLOCK_KINDS);
    const start = DateTime.fromISO('2026-01-05T10:00', { zone }).plus({ days: Math.floor(rnd() * 150) });
    const due = start.plus({ days: 3 });
    const sendingProgram = pick(['north-county-residential', 'santa-rosa-mh-clinic']);
    const state: Partial<ClockState> = { clockId: `C-SYN${i}`, kind, dueAt: due.toUTC().toISO()!, months: [] };
    let results: ClockResult[];
    if (kind === 'monthly-plan-coordination') {
      state.months = Array.from({ length: Math.floor(rnd() * 4) }, (_, m) => ({
        month: start.plus({ months: m }).toFormat('yyyy-MM'),
        contacts: [],
        met: rnd() < 0.7,
      }));
      results = state.months.map((m) => (m.met ? 'onTime' : 'missed'));
    } else {
      const result = pick(['onTime', 'late', 'missed', 'missed', 'notYetDue'] as const);
      if (result === 'onTime' || result === 'late') {
        state.metAt = (result === 'onTime' ? start.plus({ days: 1 }) : due.plus({ days: 1 })).toUTC().toISO()!;
        state.metOnTime = result === 'onTime';
        state.outcome = result === 'onTime' ? 'completed' : 'completed-late';
      } else if (result === 'missed' && rnd() < 0.5) state.outcome = 'closed';
      if (result === 'notYetDue') state.dueAt = '2099-01-01T00:00:00.000Z';
      results = [result];
    }
    const record = clockReportRecordOf(state as ClockState, {
      sendingProgram,
      caseManager: sendingProgram === 'santa-rosa-mh-clinic' ? 'cm-nguyen' : 'cm-alvarez',
      startedAt: start.toUTC().toISO()!,
      endedAt: null,
    });
    return { record, truth: { kind, startDay: start.toISODate()!, sendingProgram, results } };
  });
}
