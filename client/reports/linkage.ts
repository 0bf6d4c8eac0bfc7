/**
 * Linkage (seed 003 II): how transfers ended (linked, lost to follow-up, declined by whom,
 * withdrawn), how many are still open, and the no-shows and reschedules on the way.
 */
import type { ReportRecord } from '../../domain/report-record';
import { Outcome } from '../../domain/stages';
import { groupBy, percent, type Cell } from './report-table';

export const LINKAGE_COLUMNS = [
  { key: 'group', label: 'Group' },
  { key: 'transfers', label: 'Transfers' },
  { key: 'open', label: 'Open' },
  ...Outcome.options.map((o) => ({ key: o, label: o })),
  { key: 'linkedPercent', label: 'Linked of ended (%)' },
  { key: 'noShows', label: 'No-shows' },
  { key: 'reschedules', label: 'Reschedules' },
  { key: 'providerChanges', label: 'Provider changes' },
];

export function linkageRows(records: ReportRecord[], key?: (r: ReportRecord) => string): Cell[][] {
  return groupBy(records, key).map(([group, members]) => {
    const ended = members.filter((r) => r.outcome !== null);
    const count = (outcome: string) => ended.filter((r) => r.outcome === outcome).length;
    const sum = (f: (r: ReportRecord) => number) => members.reduce((n, r) => n + f(r), 0);
    return [
      group,
      members.length,
      members.length - ended.length,
      ...Outcome.options.map(count),
      percent(count('linked'), ended.length),
      sum((r) => r.noShows),
      sum((r) => r.reschedules),
      sum((r) => r.providerChanges),
    ];
  });
}
