import { DateTime } from 'luxon';
import { addBusinessDays } from '../../domain/calendar';
import { escalationLadder } from '../../domain/ladder';
import { Policy } from '../../domain/policy';

const LA = 'America/Los_Angeles';
const show = (d: Date) => DateTime.fromJSDate(d, { zone: LA }).toFormat('ccc LLL d HH:mm');

test('the ladder reminds at half the deadline and at it, then tells the clinic director (+1 business day) and contract monitor (+3)', () => {
  const policy = Policy.parse({ calendar: { timeZone: LA, holidays: ['2026-11-26', '2026-11-27'] } });
  const start = DateTime.fromISO('2026-11-24T10:00', { zone: LA }).toJSDate();
  const deadline = addBusinessDays(start, 2, policy.calendar); // Wed, then Mon: Thu and Fri are holidays
  expect(show(deadline)).toBe('Mon Nov 30 10:00');
  expect(escalationLadder(start, deadline, policy).map((s) => [s.level, s.kind, show(s.at)])).toEqual([
    [1, 'reminder', 'Fri Nov 27 10:00'],
    [1, 'reminder', 'Mon Nov 30 10:00'],
    [2, 'clinic-director', 'Tue Dec 1 10:00'],
    [3, 'contract-monitor', 'Thu Dec 3 10:00'],
  ]);
});

test('a county can change the reminder cadence in its policy', () => {
  const policy = Policy.parse({ ladder: { reminderFractions: [1, 0.25, 0.25] } });
  const start = new Date('2026-12-01T18:00:00Z');
  const steps = escalationLadder(start, new Date('2026-12-05T18:00:00Z'), policy);
  expect(steps.filter((s) => s.kind === 'reminder').map((s) => s.at.toISOString())).toEqual(['2026-12-02T18:00:00.000Z', '2026-12-05T18:00:00.000Z']);
});
