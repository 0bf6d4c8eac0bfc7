/**
 * The reports managers are audited on (docs/reports.md), read from the reporting store: one
 * computation per report, shown by the web page, the API and `referrals report`.
 */
import type { ClockReportRecord } from '../../domain/clocks/report-record';
import type { ReportRecord } from '../../domain/report-record';
import type { Directory } from '../../domain/directory';
import type { ReportStore } from '../../infra/app-db/report-store';
import { clocksRows, CLOCKS_COLUMNS } from './clocks-report';
import { linkageRows, LINKAGE_COLUMNS } from './linkage';
import { checklistRows, CHECKLIST_COLUMNS } from './monitoring-checklist';
import { scorecardRows, SCORECARD_COLUMNS } from './partner-scorecard';
import { GROUPINGS, parseReportRequest, type ReportName } from './report-request';
import type { ReportTable } from './report-table';
import { timelinessRows, TIMELINESS_COLUMNS } from './timeliness';
import { trackingRows, TRACKING_COLUMNS } from './tracking-export';

interface ReportInputs {
  records: ReportRecord[];
  clocks: ClockReportRecord[];
  key: ((r: ReportRecord) => string) | undefined;
  timeZone: string;
  asOf: Date;
}

/** Each report: its title, its columns, what it reads, and its rows. */
const REPORTS: Record<
  ReportName,
  {
    title: string;
    columns: ReportTable['columns'];
    reads: 'transfers' | 'clocks';
    rows(i: ReportInputs): ReportTable['rows'];
  }
> = {
  timeliness: {
    title: 'Timeliness of level-of-care transitions',
    columns: TIMELINESS_COLUMNS,
    reads: 'transfers',
    rows: (i) => timelinessRows(i.records, i.key),
  },
  linkage: {
    title: 'Linkage: how transfers ended',
    columns: LINKAGE_COLUMNS,
    reads: 'transfers',
    rows: (i) => linkageRows(i.records, i.key),
  },
  scorecard: {
    title: 'Partner scorecard',
    columns: SCORECARD_COLUMNS,
    reads: 'transfers',
    rows: (i) => scorecardRows(i.records),
  },
  checklist: {
    title: 'Monitoring checklist (seed 003 II)',
    columns: CHECKLIST_COLUMNS,
    reads: 'transfers',
    rows: (i) => checklistRows(i.records),
  },
  clocks: {
    title: 'Coordination clocks met on time',
    columns: CLOCKS_COLUMNS,
    reads: 'clocks',
    rows: (i) => clocksRows(i.clocks, i.asOf),
  },
  tracking: {
    title: 'Referral tracking export',
    columns: TRACKING_COLUMNS,
    reads: 'transfers',
    rows: (i) => trackingRows(i.records, i.timeZone),
  },
};

export async function runReport(
  name: ReportName,
  input: unknown,
  deps: { store: ReportStore; directory: Directory; timeZone: string; now?: () => Date },
): Promise<ReportTable> {
  const { request, scope } = parseReportRequest(input, deps.directory, deps.timeZone);
  const report = REPORTS[name];
  const field = request.by && GROUPINGS[request.by];
  const rows = report.rows({
    records: report.reads === 'transfers' ? await deps.store.records(scope) : [],
    clocks: report.reads === 'clocks' ? await deps.store.clockRecords(scope) : [],
    key: field ? (r) => r[field] : undefined,
    timeZone: deps.timeZone,
    asOf: deps.now?.() ?? new Date(),
  });
  return {
    name,
    title: report.title,
    from: request.from,
    to: request.to,
    timeZone: deps.timeZone,
    columns: report.columns,
    rows,
  };
}
