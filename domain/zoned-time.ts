// Instants on a time zone's wall clock, through luxon: the end of a local day and a local time
// on a date. Activities, the API and the CLI use these; workflow code does not (luxon stays
// out of the workflow bundle).
import { DateTime } from 'luxon';
import { type LocalDate, remember } from './local-date';

const dayEnds = new Map<string, string>();

/** The last millisecond of a date in a time zone (23:59:59.999 local), as a UTC ISO string. */
export function endOfDay(date: LocalDate, timezone: string): string {
  return remember(dayEnds, `${timezone}|${date}`, () => DateTime.fromISO(date, { zone: timezone }).endOf('day').toUTC().toISO()!);
}

/** A wall-clock time ("09:00") on a date in a time zone, as a UTC ISO string. */
export function atLocalTime(date: LocalDate, time: string, timezone: string): string {
  return DateTime.fromISO(`${date}T${time}`, { zone: timezone }).toUTC().toISO()!;
}

/** An instant as a `datetime-local` field shows it on a time zone's wall clock: "2026-12-04T14:00". */
export function wallClockOf(instant: string | Date, timezone: string): string {
  return DateTime.fromJSDate(new Date(instant), { zone: timezone }).toFormat("yyyy-LL-dd'T'HH:mm");
}

/** A `datetime-local` field's value ("2026-12-04T14:00") on a time zone's wall clock, as an ISO instant with its offset; undefined if it is not one. */
export function instantOfWallClock(value: string, timezone: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return undefined;
  const parsed = DateTime.fromISO(value, { zone: timezone });
  return parsed.isValid ? parsed.toISO({ suppressMilliseconds: true }) : undefined;
}
