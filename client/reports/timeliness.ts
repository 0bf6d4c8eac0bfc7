/**
 * Timeliness (seed 003 II): how long each stage took in business days, and how often it ended by
 * its deadline; then referral to first offered appointment against the timeliness standard
 * (10 business days; urgent 48 hours), as the transfer judged it when the appointment came.
 */
import type { ReportRecord } from '../../domain/report-record';
import { REFERRAL_STAGES } from '../../domain/stages';
import { groupBy, percent, percentile, type Cell } from './report-table';

export const TIMELINESS_COLUMNS = [
  { key: 'group', label: 'Group' },
  { key: 'measure', label: 'Measure' },
  { key: 'count', label: 'Completed' },
  { key: 'medianDays', label: 'Median business days' },
  { key: 'p90Days', label: '90th percentile business days' },
  { key: 'withDeadline', label: 'With a deadline' },
  { key: 'met', label: 'Within it' },
  { key: 'metPercent', label: 'Within it (%)' },
];

export function timelinessRows(records: ReportRecord[], key?: (r: ReportRecord) => string): Cell[][] {
  return groupBy(records, key).flatMap(([group, members]) => {
    const spans = members.flatMap((r) => r.stages).filter((s) => s.businessDays !== null);
    const stageRows = REFERRAL_STAGES.map((stage) => {
      const done = spans.filter((s) => s.stage === stage);
      const withDeadline = done.filter((s) => s.metDeadline !== null);
      const met = withDeadline.filter((s) => s.metDeadline).length;
      const days = done.map((s) => s.businessDays!);
      return [
        group,
        stage,
        done.length,
        percentile(days, 0.5),
        percentile(days, 0.9),
        withDeadline.length,
        met,
        percent(met, withDeadline.length),
      ];
    });
    const appointmentRows = (['routine', 'urgent'] as const).map((urgency) => {
      const offered = members.filter((r) => r.urgency === urgency && r.daysToFirstAppointment !== null);
      const days = offered.map((r) => r.daysToFirstAppointment!);
      const judged = offered.filter((r) => r.appointmentWithinStandard !== null);
      const met = judged.filter((r) => r.appointmentWithinStandard).length;
      return [
        group,
        `first offered appointment (${urgency})`,
        offered.length,
        percentile(days, 0.5),
        percentile(days, 0.9),
        judged.length,
        met,
        percent(met, judged.length),
      ];
    });
    return [...stageRows, ...appointmentRows];
  });
}
