/**
 * The tracking export (seed 003 I.2.b.xi, "county spreadsheet"): one row per referral, with the
 * dates a county's tracking sheet keeps, as county calendar days. Ids only: no member information.
 */
import type { ReportRecord } from '../../domain/report-record';
import type { Cell } from './report-table';

export const TRACKING_COLUMNS = [
  { key: 'referralId', label: 'Referral' },
  { key: 'started', label: 'Referred' },
  { key: 'sendingProgram', label: 'Sending program' },
  { key: 'caseManager', label: 'Case manager' },
  { key: 'receivingProvider', label: 'Receiving provider' },
  { key: 'levelOfCare', label: 'Level of care' },
  { key: 'urgency', label: 'Urgency' },
  { key: 'stage', label: 'Stage' },
  { key: 'memberInformed', label: 'Member informed' },
  { key: 'consentRecorded', label: 'Consent recorded' },
  { key: 'packetSent', label: 'Packet sent' },
  { key: 'acknowledged', label: 'Acknowledged' },
  { key: 'firstAppointment', label: 'First appointment' },
  { key: 'withinStandard', label: 'Within standard' },
  { key: 'attended', label: 'Attended' },
  { key: 'episodeClosed', label: 'Episode closed' },
  { key: 'outcome', label: 'Outcome' },
  { key: 'noShows', label: 'No-shows' },
  { key: 'highestEscalation', label: 'Highest escalation' },
];

export function trackingRows(records: ReportRecord[], timeZone: string): Cell[][] {
  // en-CA writes dates as YYYY-MM-DD; one formatter for every cell (luxon per cell is ten times slower).
  const county = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const day = (iso: string | null) => (iso ? county.format(new Date(iso)) : null);
  const yesNo = (b: boolean | null) => (b === null ? null : b ? 'yes' : 'no');
  return records.map((r) => [
    r.referralId,
    day(r.startedAt),
    r.sendingProgram,
    r.caseManager,
    r.receivingProvider,
    r.levelOfCare,
    r.urgency,
    r.stage,
    day(r.memberInformedAt),
    day(r.consentRecordedAt),
    day(r.requestSentAt),
    day(r.acknowledgedAt),
    day(r.firstAppointmentAt),
    yesNo(r.appointmentWithinStandard),
    day(r.attendedAt),
    day(r.episodeClosedAt),
    r.outcome,
    r.noShows,
    r.highestEscalation,
  ]);
}
