/**
 * The seed 003 II monitoring checklist, per transfer: what a reviewer looks for, answered from
 * what the transfer recorded, with what is missing. Item by item:
 *   a. coordinated care consent: written consent recorded (or none needed for this disclosure);
 *   b. release of information: the packet went to the receiving provider under a consent (or none was needed);
 *   c. the member told whom to contact: the case manager recorded informing the member;
 *   e. coordination between settings: the packet sent and acknowledged, and the warm handoff arranged;
 *   3. timely transition: the first offered appointment within the standard;
 *   3. follow-up after discharge: attendance at the new setting confirmed.
 * Item d (the primary care provider section) lives in the EHR, not here. An open transfer that has
 * not reached an item yet shows "not yet"; an ended one without it shows "no", listed as missing.
 */
import type { ReportRecord } from '../../domain/report-record';
import type { Cell } from './report-table';

type Answer = 'yes' | 'no' | 'not yet' | 'not needed' | 'declined';

const ITEMS = [
  { key: 'consent', label: 'a. Coordinated care consent' },
  { key: 'release', label: 'b. Release of information' },
  { key: 'contactGiven', label: 'c. Member told whom to contact' },
  { key: 'coordination', label: 'e. Coordination between settings' },
  { key: 'timely', label: 'Timely transition' },
  { key: 'followUp', label: 'Follow-up after discharge' },
] as const;

export const CHECKLIST_COLUMNS = [
  { key: 'referralId', label: 'Referral' },
  { key: 'outcome', label: 'Outcome' },
  ...ITEMS,
  { key: 'missing', label: 'Missing' },
];

function answers(r: ReportRecord): Record<(typeof ITEMS)[number]['key'], Answer> {
  const open = r.outcome === null;
  const answer = (done: boolean): Answer => (done ? 'yes' : open ? 'not yet' : 'no');
  return {
    consent:
      r.consentNeeded === false
        ? 'not needed'
        : r.outcome === 'consent-declined'
          ? 'declined'
          : answer(r.consentRecordedAt !== null),
    release:
      r.packetRelease === 'not-needed'
        ? 'not needed'
        : r.outcome === 'consent-declined'
          ? 'declined'
          : answer(r.packetRelease === 'consent'),
    contactGiven: answer(r.memberInformedAt !== null),
    coordination: answer(r.requestSentAt !== null && r.acknowledgedAt !== null && r.handoffArrangedAt !== null),
    timely:
      r.appointmentWithinStandard === null ? (open ? 'not yet' : 'no') : r.appointmentWithinStandard ? 'yes' : 'no',
    followUp: answer(r.attendedAt !== null),
  };
}

export function checklistRows(records: ReportRecord[]): Cell[][] {
  return records.map((r) => {
    const a = answers(r);
    const missing = ITEMS.filter((item) => a[item.key] === 'no').map((item) => item.label.replace(/^[a-e3]\. /, ''));
    return [r.referralId, r.outcome ?? 'open', ...ITEMS.map((item) => a[item.key]), missing.join('; ')];
  });
}
