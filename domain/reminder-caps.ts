/**
 * Frequency caps on member reminders (DESIGN.md: at most 1 a day and 3 a week, defaults).
 * Pure and computed from the instants given (workflow time), so it replays identically.
 * "A day" is the member's calendar day; "a week" is any 7 consecutive calendar days.
 */
import { DateTime } from 'luxon';

export interface ReminderCaps {
  perDay: number;
  perWeek: number;
}

/** True when one more reminder at `at` stays within the caps, given those already sent. */
export function withinReminderCaps(at: Date, sent: readonly Date[], caps: ReminderCaps, timeZone: string): boolean {
  const day = DateTime.fromJSDate(at, { zone: timeZone }).startOf('day');
  const weekStart = day.minus({ days: 6 });
  const dayOf = (d: Date) => DateTime.fromJSDate(d, { zone: timeZone }).startOf('day');
  const sameDay = sent.filter((d) => dayOf(d).equals(day)).length;
  const sameWeek = sent.filter((d) => dayOf(d) >= weekStart && dayOf(d) <= day).length;
  return sameDay < caps.perDay && sameWeek < caps.perWeek;
}
