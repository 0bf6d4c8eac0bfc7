/**
 * The manager dashboard's figures: what is open now and where it waits (Temporal's visibility
 * list), what is stuck by provider, and from the reporting store the linkage rate by month and how
 * many business days members waited for a first appointment, over the last twelve months.
 */
import { DateTime } from 'luxon';
import type { ReportRecord } from '../../domain/report-record';
import { REFERRAL_STAGES, WaitingOn } from '../../domain/stages';
import type { TransferRow } from '../transfer-list';
import { percent } from './report-table';

export interface Dashboard {
  /** The twelve months shown, as county calendar days. */
  from: string;
  to: string;
  openByStage: { stage: string; byWaitingOn: Record<string, number> }[];
  stuckByProvider: { provider: string; count: number }[];
  linkageByMonth: { month: string; linked: number; ended: number; linkedPercent: number | null }[];
  daysToFirstAppointment: { days: string; count: number }[];
}

const DAY_BUCKETS: [string, number][] = [
  ['0 to 2', 2],
  ['3 to 5', 5],
  ['6 to 10', 10],
  ['11 to 15', 15],
  ['16 or more', Infinity],
];

/** The period the dashboard's store figures cover: this month and the eleven before, in the county's zone. */
export function dashboardPeriod(now: Date, timeZone: string): { from: string; to: string } {
  const today = DateTime.fromJSDate(now, { zone: timeZone });
  return { from: today.startOf('month').minus({ months: 11 }).toISODate()!, to: today.toISODate()! };
}

export function dashboardOf(
  open: TransferRow[],
  stuck: TransferRow[],
  records: ReportRecord[],
  period: { from: string; to: string },
  timeZone: string,
): Dashboard {
  const transfers = (rows: TransferRow[]) => rows.filter((r) => r.kind === 'transfer');
  const openByStage = REFERRAL_STAGES.map((stage) => {
    const here = transfers(open).filter((r) => r.stage === stage);
    return {
      stage,
      byWaitingOn: Object.fromEntries(WaitingOn.options.map((w) => [w, here.filter((r) => r.waitingOn === w).length])),
    };
  });
  const stuckCounts = new Map<string, number>();
  for (const r of transfers(stuck))
    stuckCounts.set(r.provider ?? '(none)', (stuckCounts.get(r.provider ?? '(none)') ?? 0) + 1);
  const month = (iso: string) => DateTime.fromISO(iso, { zone: timeZone }).toFormat('yyyy-MM');
  const months = Array.from({ length: 12 }, (_, i) =>
    DateTime.fromISO(period.from, { zone: timeZone }).plus({ months: i }).toFormat('yyyy-MM'),
  );
  const linkageByMonth = months.map((m) => {
    const ended = records.filter((r) => r.outcome !== null && month(r.startedAt) === m);
    const linked = ended.filter((r) => r.outcome === 'linked').length;
    return { month: m, linked, ended: ended.length, linkedPercent: percent(linked, ended.length) };
  });
  const waits = records.flatMap((r) => (r.daysToFirstAppointment === null ? [] : [r.daysToFirstAppointment]));
  const daysToFirstAppointment = DAY_BUCKETS.map(([days, upTo], i) => {
    const above = i === 0 ? -Infinity : DAY_BUCKETS[i - 1]![1];
    return { days, count: waits.filter((d) => d > above && d <= upTo).length };
  });
  return {
    ...period,
    openByStage,
    stuckByProvider: [...stuckCounts]
      .map(([provider, count]) => ({ provider, count }))
      .sort((a, b) => b.count - a.count),
    linkageByMonth,
    daysToFirstAppointment,
  };
}
