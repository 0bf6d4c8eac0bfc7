import { DateTime } from 'luxon';
import { addBusinessDays } from '../../domain/calendar';
import { escalationLadder } from '../../domain/ladder';
import { Policy } from '../../domain/policy';

const LA = 'America/Los_Angeles';
const show = (d: Date) => DateTime.fromJSDate(d, { zone: LA }).toFormat('ccc LLL d HH:mm');

const la = (iso: string) => DateTime.fromISO(iso, { zone: LA }).toJSDate();
const policy = Policy.parse({ calendar: { timeZone: LA, holidays: ['2026-11-26', '2026-11-27', '2026-12-25'] } });

test('the ladder reminds at half the deadline in business time and at it, then the clinic director (+1 business day) and contract monitor (+3)', () => {
  const start = la('2026-11-24T10:00');
  const deadline = addBusinessDays(start, 2, policy.calendar); // Wed, then Mon: Thu and Fri are holidays
  expect(show(deadline)).toBe('Mon Nov 30 10:00');
  // 20 open hours from Tuesday 10:00 to Monday 10:00 (8 + 10 + 2): the half is Wednesday 10:00, not a holiday.
  expect(escalationLadder(start, deadline, policy, 'partner').map((s) => [s.level, s.kind, show(s.at)])).toEqual([
    [1, 'reminder', 'Wed Nov 25 10:00'],
    [1, 'reminder', 'Mon Nov 30 10:00'],
    [2, 'clinic-director', 'Tue Dec 1 10:00'],
    [3, 'contract-monitor', 'Thu Dec 3 10:00'],
  ]);
});

test('a stage entered at night: every step lands within business hours, in order', () => {
  // A 1-business-day stage entered Thursday 04:00 before Christmas: its 10 open hours are all on Thursday;
  // the second reminder, due at Thursday's closing, waits for Monday (Friday is Christmas).
  const start = la('2026-12-24T04:00');
  const deadline = addBusinessDays(start, 1, policy.calendar);
  const steps = escalationLadder(start, deadline, policy, 'partner');
  expect(steps.map((s) => [s.kind, show(s.at)])).toEqual([
    ['reminder', 'Thu Dec 24 13:00'],
    ['reminder', 'Mon Dec 28 08:00'],
    ['clinic-director', 'Tue Dec 29 08:00'],
    ['contract-monitor', 'Thu Dec 31 08:00'],
  ]);
});

test('level 3 leaves the county only when a partner is late: steps the county or the member owes go to the program manager', () => {
  const start = la('2026-12-01T10:00');
  const deadline = addBusinessDays(start, 2, policy.calendar);
  for (const waitingOn of ['case-manager', 'member'] as const) {
    expect(escalationLadder(start, deadline, policy, waitingOn).map((s) => s.kind)).toEqual([
      'reminder',
      'reminder',
      'clinic-director',
      'program-manager',
    ]);
  }
});

test('a county can change the reminder cadence in its policy', () => {
  const cadence = Policy.parse({ ladder: { reminderFractions: [1, 0.25, 0.25] } });
  const start = new Date('2026-12-01T18:00:00Z');
  const steps = escalationLadder(start, new Date('2026-12-05T18:00:00Z'), cadence, 'partner');
  // Tuesday 10:00 to Saturday 10:00 in Los Angeles: 38 open hours; a quarter ends Wednesday 09:30, all of them at Friday's closing, so Monday.
  expect(steps.filter((s) => s.kind === 'reminder').map((s) => show(s.at))).toEqual([
    'Wed Dec 2 09:30',
    'Mon Dec 7 08:00',
  ]);
});
