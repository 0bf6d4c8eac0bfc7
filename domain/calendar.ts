/**
 * The county's business calendar: Monday to Friday minus the holiday list, in the county's
 * time zone. Pure and computed from the instants it is given (workflow time inside workflows),
 * so it replays identically.
 */
import { DateTime } from 'luxon';
import type { Duration } from './durations';
import type { CalendarSettings } from './policy';

export function isBusinessDay(day: DateTime, holidays: readonly string[]): boolean {
  return day.weekday <= 5 && !holidays.includes(day.toISODate() ?? '');
}

/**
 * `n` business days after `from`: the same wall-clock time on the n-th business day after
 * `from`'s day. A start on a weekend or holiday counts from the start of the next business day,
 * so "1 business day" from Saturday lapses at the end of Monday.
 */
export function addBusinessDays(from: Date, n: number, cal: CalendarSettings): Date {
  let t = DateTime.fromJSDate(from, { zone: cal.timeZone });
  if (!isBusinessDay(t, cal.holidays)) {
    while (!isBusinessDay(t, cal.holidays)) t = t.plus({ days: 1 }).startOf('day');
  }
  let counted = 0;
  while (counted < n) {
    t = t.plus({ days: 1 });
    if (isBusinessDay(t, cal.holidays)) counted++;
  }
  return t.toJSDate();
}

export function addDuration(from: Date, d: Duration, cal: CalendarSettings): Date {
  if ('businessDays' in d) return addBusinessDays(from, d.businessDays, cal);
  return new Date(from.getTime() + d.hours * 3_600_000);
}

/** The end of the county day `days` calendar days after `date` (YYYY-MM-DD): "within 90 calendar days". */
export function endOfCalendarDayAfter(date: string, days: number, cal: CalendarSettings): Date {
  return DateTime.fromISO(date, { zone: cal.timeZone }).plus({ days }).endOf('day').toJSDate();
}

/** The county month (YYYY-MM) an instant falls in. */
export function monthOf(at: Date, cal: CalendarSettings): string {
  return DateTime.fromJSDate(at, { zone: cal.timeZone }).toFormat('yyyy-MM');
}

/** The first instant of the month after `month` (YYYY-MM), in the county's zone: when that month's coordination is due. */
export function endOfMonth(month: string, cal: CalendarSettings): Date {
  return DateTime.fromFormat(month, 'yyyy-MM', { zone: cal.timeZone }).plus({ months: 1 }).startOf('month').toJSDate();
}

export function nextMonth(month: string): string {
  return DateTime.fromFormat(month, 'yyyy-MM', { zone: 'UTC' }).plus({ months: 1 }).toFormat('yyyy-MM');
}

/** Subtracts a clock-hour duration (member reminders before an appointment). */
export function subtractHours(from: Date, d: Duration, cal: CalendarSettings): Date {
  if ('hours' in d) return new Date(from.getTime() - d.hours * 3_600_000);
  // Business days before: walk back day by day on the calendar.
  let t = DateTime.fromJSDate(from, { zone: cal.timeZone });
  let counted = 0;
  while (counted < d.businessDays) {
    t = t.minus({ days: 1 });
    if (isBusinessDay(t, cal.holidays)) counted++;
  }
  return t.toJSDate();
}

/**
 * The earliest instant at or after `at` that is outside the member's quiet hours
 * (quietStart..quietEnd, wall-clock, in the member's time zone; may span midnight).
 */
export function outsideQuietHours(at: Date, timeZone: string, quietStart: string, quietEnd: string): Date {
  const t = DateTime.fromJSDate(at, { zone: timeZone });
  const minutes = t.hour * 60 + t.minute;
  const start = toMinutes(quietStart);
  const end = toMinutes(quietEnd);
  const spansMidnight = start > end;
  const quiet = spansMidnight ? minutes >= start || minutes < end : minutes >= start && minutes < end;
  if (!quiet) return at;
  const [h, m] = [Math.floor(end / 60), end % 60];
  let morning = t.set({ hour: h, minute: m, second: 0, millisecond: 0 });
  if (morning <= t) morning = morning.plus({ days: 1 }).set({ hour: h, minute: m });
  return morning.toJSDate();
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** "Tue Dec 2 at 10:00" in the member's zone and language: the only appointment detail members get. */
export function formatAppointment(at: Date, timeZone: string, language: string): string {
  const t = DateTime.fromJSDate(at, { zone: timeZone }).setLocale(language === 'es' ? 'es' : 'en-US');
  return language === 'es' ? t.toFormat("ccc d 'de' LLL 'a las' HH:mm") : t.toFormat("ccc LLL d 'at' HH:mm");
}
