import { DateTime } from 'luxon';
import {
  addBusinessDays,
  addBusinessMinutes,
  addDuration,
  businessMinutesBetween,
  outsideQuietHours,
  showDeadline,
  withinBusinessHours,
} from '../../domain/calendar';
import { CalendarSettings } from '../../domain/policy';

const LA = 'America/Los_Angeles';
const cal = CalendarSettings.parse({ timeZone: LA, holidays: ['2026-11-26', '2026-11-27', '2026-12-25'] }); // Thanksgiving, the day after, Christmas
const la = (iso: string) => DateTime.fromISO(iso, { zone: LA }).toJSDate();
const show = (d: Date) => DateTime.fromJSDate(d, { zone: LA }).toFormat('ccc yyyy-LL-dd HH:mm');

test('business days skip weekends and the county holidays, keeping the wall-clock time', () => {
  expect(show(addBusinessDays(la('2026-11-24T15:00'), 1, cal))).toBe('Wed 2026-11-25 15:00');
  expect(show(addBusinessDays(la('2026-11-25T15:00'), 1, cal))).toBe('Mon 2026-11-30 15:00');
  expect(show(addBusinessDays(la('2026-11-25T15:00'), 3, cal))).toBe('Wed 2026-12-02 15:00');
  expect(show(addBusinessDays(la('2026-11-20T09:30'), 10, cal))).toBe('Tue 2026-12-08 09:30');
});

test('a start on a weekend or holiday counts from the next business morning', () => {
  expect(show(addBusinessDays(la('2026-11-28T11:00'), 1, cal))).toBe('Tue 2026-12-01 00:00');
  expect(show(addBusinessDays(la('2026-11-26T08:00'), 0, cal))).toBe('Mon 2026-11-30 00:00');
});

test('clock-hour deadlines ignore the calendar, and business days hold local time across a DST change', () => {
  expect(show(addDuration(la('2026-11-25T15:00'), { hours: 48 }, cal))).toBe('Fri 2026-11-27 15:00');
  // DST ended on Sunday 2026-11-01: 10:00 on Friday is still 10:00 on Monday.
  expect(show(addBusinessDays(la('2026-10-30T10:00'), 1, cal))).toBe('Mon 2026-11-02 10:00');
  expect(addDuration(la('2026-10-31T10:00'), { hours: 24 }, cal).getTime() - la('2026-10-31T10:00').getTime()).toBe(
    24 * 3600_000,
  );
});

test('quiet hours move a night-time send to 08:00 the next morning, in the member zone', () => {
  expect(show(outsideQuietHours(la('2026-12-01T22:30'), LA, '21:00', '08:00'))).toBe('Wed 2026-12-02 08:00');
  expect(show(outsideQuietHours(la('2026-12-02T06:15'), LA, '21:00', '08:00'))).toBe('Wed 2026-12-02 08:00');
  expect(show(outsideQuietHours(la('2026-12-02T12:00'), LA, '21:00', '08:00'))).toBe('Wed 2026-12-02 12:00');
  const ny = DateTime.fromJSDate(outsideQuietHours(la('2026-12-01T19:00'), 'America/New_York', '21:00', '08:00'), {
    zone: 'America/New_York',
  });
  expect(ny.toFormat('ccc HH:mm')).toBe('Wed 08:00'); // 22:00 in New York
});

describe('business hours (08:00 to 18:00 by default): when partners and staff are written to', () => {
  test('a time at night, on a weekend or on a holiday moves to the next opening; a time within hours stays', () => {
    expect(show(withinBusinessHours(la('2026-11-24T15:00'), cal))).toBe('Tue 2026-11-24 15:00');
    expect(show(withinBusinessHours(la('2026-11-24T06:00'), cal))).toBe('Tue 2026-11-24 08:00');
    expect(show(withinBusinessHours(la('2026-11-25T18:00'), cal))).toBe('Mon 2026-11-30 08:00'); // past closing, then Thanksgiving and a weekend
    expect(show(withinBusinessHours(la('2026-11-28T04:00'), cal))).toBe('Mon 2026-11-30 08:00');
    expect(show(withinBusinessHours(la('2026-12-24T19:30'), cal))).toBe('Mon 2026-12-28 08:00');
  });

  test('business minutes count only open hours, and adding them lands within open hours', () => {
    // Wednesday 10:00 to Thursday 10:00: 8 hours on Wednesday, 2 on Thursday.
    expect(businessMinutesBetween(la('2026-12-02T10:00'), la('2026-12-03T10:00'), cal)).toBe(600);
    expect(show(addBusinessMinutes(la('2026-12-02T10:00'), 300, cal))).toBe('Wed 2026-12-02 15:00');
    // Across Thanksgiving: Wednesday 12:00 to Monday 12:00 is 6 + 4 hours.
    expect(businessMinutesBetween(la('2026-11-25T12:00'), la('2026-11-30T12:00'), cal)).toBe(600);
    expect(show(addBusinessMinutes(la('2026-11-25T12:00'), 420, cal))).toBe('Mon 2026-11-30 09:00');
    // A start at night counts from the next opening; an end before the start counts nothing.
    expect(show(addBusinessMinutes(la('2026-11-27T23:00'), 0, cal))).toBe('Mon 2026-11-30 08:00');
    expect(businessMinutesBetween(la('2026-12-03T10:00'), la('2026-12-02T10:00'), cal)).toBe(0);
  });

  test('a county sets its own hours; an opening after the closing is refused naming the field', () => {
    const late = CalendarSettings.parse({ timeZone: LA, businessHours: { start: '09:30', end: '17:00' } });
    expect(show(withinBusinessHours(la('2026-12-02T09:00'), late))).toBe('Wed 2026-12-02 09:30');
    expect(() => CalendarSettings.parse({ businessHours: { start: '18:00', end: '08:00' } })).toThrow(
      /start must be before end/,
    );
  });
});

test('a deadline at midnight reads as the end of the day before; any other as its time', () => {
  // 2026-12-08T00:00 in Los Angeles is 08:00 UTC.
  expect(showDeadline('2026-12-08T08:00:00.000Z', LA)).toBe('end of Mon Dec 7');
  expect(showDeadline('2026-12-08T08:00:00.000Z', LA, 'long')).toBe('end of Mon 7 Dec 2026');
  expect(showDeadline('2026-12-08T18:30:00.000Z', LA)).toBe('Tue Dec 8 at 10:30');
  expect(showDeadline('2026-12-08T18:30:00.000Z', LA, 'long')).toBe('Tue 8 Dec 2026, 10:30 PST');
  // Midnight in UTC is not midnight in the county.
  expect(showDeadline('2026-12-08T00:00:00.000Z', LA)).toBe('Mon Dec 7 at 16:00');
});
