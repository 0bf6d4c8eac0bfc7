/** Date-and-time inputs carry no zone: they are read in the county's time zone (the policy calendar's). */
import { DateTime } from 'luxon';

/** ISO instant for a `datetime-local` value, or the raw value (so validation names it) when unreadable. */
export function localToInstant(value: string | undefined, timeZone: string): string | undefined {
  if (value === undefined) return undefined;
  const dt = DateTime.fromISO(value, { zone: timeZone });
  return dt.isValid ? (dt.toUTC().toISO() ?? value) : value;
}

export function showInstant(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '—';
  return DateTime.fromISO(iso, { zone: timeZone }).toFormat('ccc d LLL yyyy, HH:mm ZZZZ');
}
