/**
 * The partner scorecard for contract monitors (seed 002): per receiving provider, how fast it
 * acknowledged referrals, whether it offered appointments within the timeliness standard, how
 * often the stages it owed climbed the ladder, and the referrals behind the misses, so a monitor
 * can open each one.
 */
import type { ReportRecord } from '../../domain/report-record';
import { groupBy, percent, percentile, type Cell } from './report-table';

export const SCORECARD_COLUMNS = [
  { key: 'provider', label: 'Receiving provider' },
  { key: 'sent', label: 'Packets sent' },
  { key: 'acknowledged', label: 'Acknowledged' },
  { key: 'medianAcknowledgementDays', label: 'Median business days to acknowledge' },
  { key: 'p90AcknowledgementDays', label: '90th percentile business days to acknowledge' },
  { key: 'offered', label: 'First appointments offered' },
  { key: 'withinStandard', label: 'Within the standard' },
  { key: 'withinStandardPercent', label: 'Within the standard (%)' },
  { key: 'declined', label: 'Declined by the provider' },
  { key: 'reminded', label: 'Reminded' },
  { key: 'clinicDirector', label: 'Reached the clinic director' },
  { key: 'contractMonitor', label: 'Reached the contract monitor' },
  { key: 'outsideStandardReferrals', label: 'Referrals: appointment outside the standard' },
  { key: 'contractMonitorReferrals', label: 'Referrals: contract monitor' },
];

export function scorecardRows(records: ReportRecord[]): Cell[][] {
  return groupBy(records, (r) => r.receivingProvider).map(([provider, members]) => {
    const sent = members.filter((r) => r.requestSentAt !== null);
    const ackDays = sent.flatMap((r) => (r.acknowledgementDays === null ? [] : [r.acknowledgementDays]));
    const offered = members.filter((r) => r.appointmentWithinStandard !== null);
    const within = offered.filter((r) => r.appointmentWithinStandard).length;
    // The ladder step the stages this provider owed reached, per referral.
    const owed = (r: ReportRecord) =>
      Math.max(0, ...r.stages.filter((s) => s.waitingOn === 'partner').map((s) => s.escalation));
    const reached = (level: number) => members.filter((r) => owed(r) >= level);
    const ids = (rs: ReportRecord[]) => rs.map((r) => r.referralId).join(' ');
    return [
      provider,
      sent.length,
      ackDays.length,
      percentile(ackDays, 0.5),
      percentile(ackDays, 0.9),
      offered.length,
      within,
      percent(within, offered.length),
      members.filter((r) => r.outcome === 'partner-declined').length,
      reached(1).length,
      reached(2).length,
      reached(3).length,
      ids(offered.filter((r) => !r.appointmentWithinStandard)),
      ids(reached(3)),
    ];
  });
}
