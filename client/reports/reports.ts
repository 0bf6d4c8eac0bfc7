/**
 * The reports managers are audited on (docs/reports.md), read from the reporting store: one
 * computation per report, shown by the web page, the API and `referrals report`.
 */
import type { ReportRecord } from '../../domain/report-record';
import type { Directory } from '../../domain/directory';
import type { ReportStore } from '../../infra/app-db/report-store';
import { linkageRows, LINKAGE_COLUMNS } from './linkage';
import { checklistRows, CHECKLIST_COLUMNS } from './monitoring-checklist';
import { scorecardRows, SCORECARD_COLUMNS } from './partner-scorecard';
import { GROUPINGS, parseReportRequest, type ReportName } from './report-request';
import type { ReportTable } from './report-table';
import { timelinessRows, TIMELINESS_COLUMNS } from './timeliness';
import { trackingRows, TRACKING_COLUMNS } from './tracking-export';

type GroupKey = ((r: ReportRecord) => string) | undefined;
type Cells = ReportTable['rows'];

/** Each report: its title, its columns, and its rows from the period's records. */
const REPORTS: Record<
  ReportName,
  {
    title: string;
    columns: ReportTable['columns'];
    rows(records: ReportRecord[], key: GroupKey, timeZone: string): Cells;
  }
> = {
  timeliness: { title: 'Timeliness of level-of-care transitions', columns: TIMELINESS_COLUMNS, rows: timelinessRows },
  linkage: { title: 'Linkage: how transfers ended', columns: LINKAGE_COLUMNS, rows: linkageRows },
  scorecard: { title: 'Partner scorecard', columns: SCORECARD_COLUMNS, rows: (records) => scorecardRows(records) },
  checklist: {
    title: 'Monitoring checklist (seed 003 II)',
    columns: CHECKLIST_COLUMNS,
    rows: (records) => checklistRows(records),
  },
  tracking: {
    title: 'Referral tracking export',
    columns: TRACKING_COLUMNS,
    rows: (records, _key, timeZone) => trackingRows(records, timeZone),
  },
};

export async function runReport(
  name: ReportName,
  input: unknown,
  deps: { store: ReportStore; directory: Directory; timeZone: string },
): Promise<ReportTable> {
  const { request, scope } = parseReportRequest(input, deps.directory, deps.timeZone);
  const records = await deps.store.records(scope);
  const field = request.by && GROUPINGS[request.by];
  const report = REPORTS[name];
  return {
    name,
    title: report.title,
    from: request.from,
    to: request.to,
    timeZone: deps.timeZone,
    columns: report.columns,
    rows: report.rows(records, field ? (r) => r[field] : undefined, deps.timeZone),
  };
}
