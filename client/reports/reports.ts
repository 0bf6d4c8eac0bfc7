/**
 * The reports managers are audited on (docs/reports.md), read from the reporting store: one
 * computation per report, shown by the web page, the API and `referrals report`.
 */
import type { ReportRecord } from '../../domain/report-record';
import type { Directory } from '../../domain/directory';
import type { ReportStore } from '../../infra/app-db/report-store';
import { linkageRows, LINKAGE_COLUMNS } from './linkage';
import { scorecardRows, SCORECARD_COLUMNS } from './partner-scorecard';
import { GROUPINGS, parseReportRequest, type ReportName } from './report-request';
import type { ReportTable } from './report-table';
import { timelinessRows, TIMELINESS_COLUMNS } from './timeliness';
import { trackingRows, TRACKING_COLUMNS } from './tracking-export';

const TITLES: Record<ReportName, string> = {
  timeliness: 'Timeliness of level-of-care transitions',
  linkage: 'Linkage: how transfers ended',
  tracking: 'Referral tracking export',
  scorecard: 'Partner scorecard',
};

export async function runReport(
  name: ReportName,
  input: unknown,
  deps: { store: ReportStore; directory: Directory; timeZone: string },
): Promise<ReportTable> {
  const { request, scope } = parseReportRequest(input, deps.directory, deps.timeZone);
  const records = await deps.store.records(scope);
  const field = request.by && GROUPINGS[request.by];
  const key = field ? (r: ReportRecord) => r[field] : undefined;
  const [columns, rows] =
    name === 'timeliness'
      ? [TIMELINESS_COLUMNS, timelinessRows(records, key)]
      : name === 'linkage'
        ? [LINKAGE_COLUMNS, linkageRows(records, key)]
        : name === 'scorecard'
          ? [SCORECARD_COLUMNS, scorecardRows(records)]
          : [TRACKING_COLUMNS, trackingRows(records, deps.timeZone)];
  return { name, title: TITLES[name], from: request.from, to: request.to, timeZone: deps.timeZone, columns, rows };
}
