import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkingCalendar } from '../../domain/calendar';
import { addDays, dateInWords, localDateOf, type LocalDate } from '../../domain/local-date';
import { atLocalTime } from '../../domain/zoned-time';

const nl = new WorkingCalendar({ country: 'NL', holidayTypes: ['public'], closedDays: [] });

/**
 * The time-skipping server starts at today's wall-clock time and cannot be set back, so
 * complaints in these tests arrive on the first Monday ahead whose next `quietDays` (four
 * weeks unless a path runs longer) hold no holiday: every date then follows from that
 * Monday, whatever day the suite runs.
 */
export async function quietMonday(env: TestWorkflowEnvironment, quietDays = 28): Promise<LocalDate> {
  let day = localDateOf(new Date(await env.currentTimeMs()), 'Europe/Amsterdam');
  for (;;) {
    day = addDays(day, 1);
    if (new Date(`${day}T12:00:00Z`).getUTCDay() !== 1) continue;
    const weekdays = Array.from({ length: quietDays }, (_, i) => addDays(day, i)).filter((d) => ![0, 6].includes(new Date(`${d}T12:00:00Z`).getUTCDay()));
    if (weekdays.every((d) => nl.isWorkingDay(d))) return day;
  }
}

/** An instant at a local wall-clock time in Amsterdam. */
export const amsterdam = (date: LocalDate, time: string): string => atLocalTime(date, time, 'Europe/Amsterdam');

/** Skips the server's clock forward to an instant. */
export async function skipTo(env: TestWorkflowEnvironment, instant: string): Promise<void> {
  const ms = Date.parse(instant) - (await env.currentTimeMs());
  if (ms > 0) await env.sleep(ms);
}

export { addDays };

/** The same day `months` later (the last day of a shorter month): month terms in tests stay readable. */
export { addMonths } from '../../domain/local-date';

/** Timers fire on the instant; the workflow task that records them takes a few milliseconds more. */
export const toSecond = (iso: string | undefined): string => (iso ? new Date(Math.round(Date.parse(iso) / 1000) * 1000).toISOString() : 'none');

/** The first Monday-to-Friday on or after a date: a term's due date inside a quiet stretch, where no holiday falls. */
export function weekdayOnOrAfter(date: LocalDate): LocalDate {
  let day = date;
  while ([0, 6].includes(new Date(`${day}T12:00:00Z`).getUTCDay())) day = addDays(day, 1);
  return day;
}

/** A date as the Dutch e-mails and pages write it ("maandag 4 januari 2027"). */
export const inDutch = (date: LocalDate): string => dateInWords('nl', date);
