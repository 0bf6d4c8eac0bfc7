/**
 * The county's business calendar: its business days (Monday to Friday by default) minus the holiday list, in the county's
 * time zone. Pure and computed from the instants it is given (workflow time inside workflows),
 * so it replays identically.
 */
import { DateTime } from 'luxon';
import type { Duration } from './durations';
import type { CalendarSettings } from './policy';

function isBusinessDay(day: DateTime, cal: Pick<CalendarSettings, 'businessDays' | 'holidays'>): boolean {
  return cal.businessDays.includes(day.weekday) && !cal.holidays.includes(day.toISODate() ?? '');
}

/**
 * `n` business days after `from`: the same wall-clock time on the n-th business day after
 * `from`'s day. A start on a weekend or holiday counts from the start of the next business day,
 * so "1 business day" from Saturday lapses at the end of Monday.
 */
export function addBusinessDays(from: Date, n: number, cal: CalendarSettings): Date {
  let t = DateTime.fromJSDate(from, { zone: cal.timeZone });
  if (!isBusinessDay(t, cal)) {
    while (!isBusinessDay(t, cal)) t = t.plus({ days: 1 }).startOf('day');
  }
  let counted = 0;
  while (counted < n) {
    t = t.plus({ days: 1 });
    if (isBusinessDay(t, cal)) counted++;
  }
  return t.toJSDate();
}

export function addDuration(from: Date, d: Duration, cal: CalendarSettings): Date {
  if ('businessDays' in d) return addBusinessDays(from, d.businessDays, cal);
  return new Date(from.getTime() + d.hours * 3_600_000);
}

/** A business day's opening hours, or undefined on a weekend or holiday. */
function openingHours(day: DateTime, cal: CalendarSettings): [DateTime, DateTime] | undefined {
  if (!isBusinessDay(day, cal)) return undefined;
  const at = (hhmm: string) => day.startOf('day').plus({ minutes: toMinutes(hhmm) });
  return [at(cal.businessHours.start), at(cal.businessHours.end)];
}

/** Walks the county's days from `from`'s, giving each business day's open interval that lies after `from`. */
function* openIntervalsFrom(from: Date, cal: CalendarSettings): Generator<[DateTime, DateTime]> {
  const start = DateTime.fromJSDate(from, { zone: cal.timeZone });
  // Two years of days: far more than any deadline, and a bound if a calendar listed every day as a holiday.
  for (let day = start.startOf('day'), i = 0; i < 730; day = day.plus({ days: 1 }), i++) {
    const hours = openingHours(day, cal);
    if (!hours) continue;
    const open = hours[0] < start ? start : hours[0];
    if (open < hours[1]) yield [open, hours[1]];
  }
}

/**
 * The first instant at or after `at` within business hours: when a message to a partner or to
 * staff goes out, so that nobody is written to at night, on a weekend or on a holiday.
 */
export function withinBusinessHours(at: Date, cal: CalendarSettings): Date {
  for (const [open] of openIntervalsFrom(at, cal)) return open.toJSDate();
  throw new Error('the calendar has no business day in the next two years');
}

/** Minutes of business time between two instants (0 when `to` is not after `from`). */
export function businessMinutesBetween(from: Date, to: Date, cal: CalendarSettings): number {
  let total = 0;
  const end = DateTime.fromJSDate(to, { zone: cal.timeZone });
  for (const [open, close] of openIntervalsFrom(from, cal)) {
    if (open >= end) break;
    total += (close < end ? close : end).diff(open, 'minutes').minutes;
  }
  return total;
}

/** Business time between two instants in business days (a day is the open hours), to the half day. */
export function businessDaysBetween(from: Date, to: Date, cal: CalendarSettings): number {
  const day = toMinutes(cal.businessHours.end) - toMinutes(cal.businessHours.start);
  return Math.round((businessMinutesBetween(from, to, cal) / day) * 2) / 2;
}

/**
 * The instant `minutes` of business time after `from`, within business hours: the closing time
 * itself is not (hours are 08:00 up to 18:00), so a count that ends there moves to the next opening.
 */
export function addBusinessMinutes(from: Date, minutes: number, cal: CalendarSettings): Date {
  let left = minutes;
  for (const [open, close] of openIntervalsFrom(from, cal)) {
    const available = close.diff(open, 'minutes').minutes;
    if (left < available) return open.plus({ minutes: left }).toJSDate();
    left -= available;
  }
  throw new Error('the calendar has no business day in the next two years');
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
    if (isBusinessDay(t, cal)) counted++;
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

/**
 * A deadline as people read it, in the county's zone. One at midnight is the end of the day
 * before ("end of Mon Dec 7"): "Tue Dec 8 at 00:00" reads a day late. `long` adds the year
 * and zone, for pages; `short` is for messages and summaries.
 */
export function showDeadline(iso: string, timeZone: string, style: 'long' | 'short' = 'short'): string {
  const t = DateTime.fromISO(iso, { zone: timeZone });
  const day = style === 'long' ? 'ccc d LLL yyyy' : 'ccc LLL d';
  if (t.equals(t.startOf('day'))) return `end of ${t.minus({ days: 1 }).toFormat(day)}`;
  return t.toFormat(style === 'long' ? `${day}, HH:mm ZZZZ` : `${day} 'at' HH:mm`);
}

/** "Tue Dec 2 at 10:00" in the member's zone and language: the only appointment detail members get. */
export function formatAppointment(at: Date, timeZone: string, language: string): string {
  const t = DateTime.fromJSDate(at, { zone: timeZone }).setLocale(language === 'es' ? 'es' : 'en-US');
  return language === 'es' ? t.toFormat("ccc d 'de' LLL 'a las' HH:mm") : t.toFormat("ccc LLL d 'at' HH:mm");
}
