/** The `list` and `stuck` table: one row per transfer, from search attributes only. */
import type { TransferRow } from '../transfer-list';

const COLUMNS: [string, (r: TransferRow) => string][] = [
  ['REFERRAL', (r) => r.referralId],
  ['STATUS', (r) => r.status.toLowerCase()],
  ['STAGE', (r) => r.stage ?? '-'],
  ['WAITING ON', (r) => r.waitingOn ?? '-'],
  ['DEADLINE', (r) => r.deadline ?? '-'],
  ['ESC', (r) => (r.escalationLevel === null ? '-' : String(r.escalationLevel))],
  ['PROVIDER', (r) => r.provider ?? '-'],
  ['OUTCOME', (r) => r.outcome ?? '-'],
];

export function renderTable(rows: TransferRow[]): string {
  if (rows.length === 0) return 'No transfers match.';
  const cells = [COLUMNS.map(([title]) => title), ...rows.map((r) => COLUMNS.map(([, get]) => get(r)))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  return cells.map((row) => row.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}
