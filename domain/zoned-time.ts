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
