/** The `list`, `stuck` and `clock list` table: one row per transfer or clock, from search attributes only. */
import type { TransferRow } from '../transfer-list';

const COLUMNS: [string, (r: TransferRow) => string][] = [
  ['ID', (r) => r.id],
  ['STATUS', (r) => r.status.toLowerCase()],
  ['STAGE', (r) => r.stage ?? '-'],
  ['WAITING ON', (r) => r.waitingOn ?? '-'],
  ['DEADLINE', (r) => r.deadline ?? '-'],
  ['ESC', (r) => (r.escalationLevel === null ? '-' : String(r.escalationLevel))],
  ['PROVIDER', (r) => r.provider ?? '-'],
  ['OUTCOME', (r) => r.outcome ?? '-'],
  ['KIND', (r) => r.kind ?? '-'],
];

export function renderTable(rows: TransferRow[], none = 'No transfers match.'): string {
  if (rows.length === 0) return none;
  const cells = [COLUMNS.map(([title]) => title), ...rows.map((r) => COLUMNS.map(([, get]) => get(r)))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  return cells
    .map((row) =>
      row
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
