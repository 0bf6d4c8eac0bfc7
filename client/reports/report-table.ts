/**
 * Every report is one table: named columns and rows of plain values, so the web page, the CLI's
 * table, CSV, XLSX and JSON all show the same numbers from one computation.
 */
export type Cell = string | number | null;

export interface ReportTable {
  name: string;
  title: string;
  /** The period, as county calendar days (both included), and the zone they are read in. */
  from: string;
  to: string;
  timeZone: string;
  columns: { key: string; label: string }[];
  rows: Cell[][];
}

/** Nearest-rank percentile (q in 0..1) of numbers; null for none. */
export function percentile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

/** A share as a percentage with one decimal; null when there is nothing to share. */
export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}

/** Records split by a key, groups in key order; one group "all" without a key. */
export function groupBy<T>(items: T[], key: ((item: T) => string) | undefined): [string, T[]][] {
  if (!key) return [['all', items]];
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}
