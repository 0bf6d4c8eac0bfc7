/**
 * `referrals report <name>`: the reports managers are audited on (docs/reports.md), as a table,
 * CSV, XLSX or JSON, through the web API. `referrals report refresh [--rebuild]` is an operator's
 * command: it brings the reporting store up to date from Temporal directly.
 */
import { writeFileSync } from 'node:fs';
import { Argument, Option, type Command } from 'commander';
import { REPORT_FORMATS, reportFile, reportText, type ReportFormat } from '../reports/report-formats';
import { GROUPINGS, REPORT_NAMES, type ReportName } from '../reports/report-request';
import type { ReportReader } from '../reports/open-reports';
import type { ApiClient } from '../api-client';
import { InvalidInputError } from '../service-errors';

/** Field paths → the flags that set them, so errors name what the user typed. */
export const REPORT_FIELD_HINTS: ReadonlyMap<string, string> = new Map([
  ['from', '--from'],
  ['to', '--to'],
  ['by', '--by'],
  ['program', '--program'],
  ['provider', '--provider'],
  ['caseManager', '--case-manager'],
]);

interface ReportOptions {
  from: string;
  to: string;
  by?: string;
  program?: string;
  provider?: string;
  caseManager?: string;
  format: ReportFormat;
  out?: string;
  rebuild?: boolean;
}

export function addReportCommand(
  program: Command,
  api: () => ApiClient,
  operator: (() => ReportReader) | undefined,
  print: (v: unknown) => void,
): void {
  program
    .command('report')
    .description(
      'timeliness, linkage or the tracking export for a period; refresh (operator, talks to Temporal directly) brings the reports up to date',
    )
    .addArgument(new Argument('<name>', 'which report').choices([...REPORT_NAMES, 'refresh']))
    .option('--from <date>', 'first day of the period (referrals started from), like 2026-01-01')
    .option('--to <date>', 'last day of the period, included')
    .addOption(new Option('--by <grouping>', 'one group per value').choices(Object.keys(GROUPINGS)))
    .option('--program <id>', 'only this sending program')
    .option('--provider <id>', 'only this receiving provider')
    .option('--case-manager <id>', 'only this case manager')
    .addOption(new Option('--format <format>', 'how to print it').choices(REPORT_FORMATS).default('table'))
    .option('--out <file>', 'write the file here (needed for xlsx)')
    .option('--rebuild', 'with refresh: clear the store and read every transfer again from Temporal')
    .action(async (name: ReportName | 'refresh', opts: ReportOptions) => {
      if (name === 'refresh') {
        if (!operator) throw new InvalidInputError([{ field: 'name', message: 'refresh is not available here' }]);
        print(await operator().refresh({ rebuild: opts.rebuild === true }));
        return;
      }
      const { from, to, by, program: sendingProgram, provider, caseManager } = opts;
      const table = await api().report(name, { from, to, by, program: sendingProgram, provider, caseManager });
      if (opts.format === 'table') return print(reportText(table));
      if (opts.format === 'json') return print(table);
      if (opts.format === 'xlsx' && !opts.out)
        throw new InvalidInputError([{ field: 'out', message: 'xlsx is a binary file: name one with --out' }]);
      const bytes = await reportFile(table, opts.format);
      if (opts.out) writeFileSync(opts.out, bytes);
      // A terminal's prompt starts on a line of its own after the CSV.
      else process.stdout.write(bytes.at(-1) === 0x0a ? bytes : Buffer.concat([bytes, Buffer.from('\n')]));
    });
}
