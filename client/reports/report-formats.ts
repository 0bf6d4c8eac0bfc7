/**
 * A report table as a file or as text. CSV and XLSX are both written by exceljs from the same
 * cells, so a spreadsheet and its CSV agree; numbers stay numbers in the XLSX.
 */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { ReportTable } from './report-table';

export const REPORT_FORMATS = ['table', 'csv', 'xlsx', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<Exclude<ReportFormat, 'table'>, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json; charset=utf-8',
};

const columnsOf = (table: ReportTable) =>
  table.columns.map((c) => ({ header: c.label, key: c.key, width: Math.max(12, c.label.length + 2) }));
const cellsOf = (row: ReportTable['rows'][number]) => row.map((cell) => cell ?? undefined);

/**
 * XLSX through exceljs's streaming writer: three times faster than building the workbook in
 * memory (the tracking export of 10,000 referrals, docs/reports.md).
 */
async function xlsxOf(table: ReportTable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet(table.name);
  sheet.columns = columnsOf(table);
  for (const row of table.rows) sheet.addRow(cellsOf(row)).commit();
  sheet.commit();
  await workbook.commit();
  return Buffer.concat(chunks);
}

async function csvOf(table: ReportTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(table.name);
  sheet.columns = columnsOf(table);
  for (const row of table.rows) sheet.addRow(cellsOf(row));
  return Buffer.from(await workbook.csv.writeBuffer());
}

export function reportFile(table: ReportTable, format: 'csv' | 'xlsx'): Promise<Buffer> {
  return format === 'csv' ? csvOf(table) : xlsxOf(table);
}

/** A file name people can keep: the report and its period. */
export function reportFileName(table: ReportTable, format: 'csv' | 'xlsx'): string {
  return `${table.name}-${table.from}-to-${table.to}.${format}`;
}

/** Columns padded to their widest cell, for a terminal. */
export function reportText(table: ReportTable): string {
  const cells = [
    table.columns.map((c) => c.label),
    ...table.rows.map((r) => r.map((c) => (c === null ? '' : String(c)))),
  ];
  const widths = table.columns.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join(' | ')
      .trimEnd();
  return [
    `${table.title}, ${table.from} to ${table.to} (${table.timeZone})`,
    line(cells[0]!),
    widths.map((w) => '-'.repeat(w)).join('-|-'),
    ...cells.slice(1).map(line),
  ].join('\n');
}
