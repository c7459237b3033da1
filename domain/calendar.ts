// The working-day calendar of a procedure and the term arithmetic of SPEC §3: one function
// per rule, each with a trace a person can follow. Loads holiday data, so workflow code
// never imports this module: it asks the deadlines activity instead.
import Holidays from 'date-holidays';
import { addDays, addMonths, dayOfWeek, describeDate, type LocalDate } from './local-date';
import type { Procedure, Term } from './procedure';

export interface CalendarSettings {
  country: string;
  holidayTypes: readonly string[];
  closedDays: readonly string[];
}

/** Which days are working days: Monday to Friday, not a holiday of the chosen types, not closed. */
export class WorkingCalendar {
  private readonly holidays: Holidays;
  private readonly byYear = new Map<number, Map<LocalDate, string>>();
  private readonly closed: ReadonlySet<string>;

  constructor(readonly settings: CalendarSettings) {
    this.holidays = new Holidays(settings.country);
    this.closed = new Set(settings.closedDays);
  }

  /** Why a date is not a working day ("weekend", "Koningsdag", "closed"), or undefined for a working day. */
  nonWorkingReason(date: LocalDate): string | undefined {
    const weekday = dayOfWeek(date);
    if (weekday === 0 || weekday === 6) return 'weekend';
    const holiday = this.holidaysOf(Number(date.slice(0, 4))).get(date);
    if (holiday) return holiday;
    if (this.closed.has(date)) return 'closed';
    return undefined;
  }

  isWorkingDay(date: LocalDate): boolean {
    return this.nonWorkingReason(date) === undefined;
  }

  private holidaysOf(year: number): Map<LocalDate, string> {
    let map = this.byYear.get(year);
    if (!map) {
      map = new Map();
      for (const h of this.holidays.getHolidays(year)) {
        if (this.settings.holidayTypes.includes(h.type)) map.set(h.date.slice(0, 10), h.name);
      }
      this.byYear.set(year, map);
    }
    return map;
  }
}

export interface DatedTerm {
  date: LocalDate;
  trace: string[];
}

const skipped = (calendar: WorkingCalendar, date: LocalDate): string => `${describeDate(date)} ${calendar.nonWorkingReason(date)} skipped`;

/** N working days: the N-th working day strictly after the anchor date (the anchor day never counts). */
export function addWorkingDays(calendar: WorkingCalendar, anchor: LocalDate, n: number): DatedTerm {
  const trace: string[] = [];
  let date = anchor;
  for (let counted = 0; counted < n; ) {
    date = addDays(date, 1);
    if (calendar.isWorkingDay(date)) {
      counted++;
      trace.push(`day ${counted} = ${describeDate(date)}`);
    } else {
      trace.push(skipped(calendar, date));
    }
  }
  return { date, trace };
}

/** How many working days lie after `from` up to and including `to`: a lead time as the terms count it. */
export function workingDaysBetween(calendar: WorkingCalendar, from: LocalDate, to: LocalDate): number {
  let days = 0;
  for (let date = addDays(from, 1); date <= to; date = addDays(date, 1)) if (calendar.isWorkingDay(date)) days++;
  return days;
}

/** The first working day on or after a date (Algemene termijnenwet); a working day stays put. */
export function rollForward(calendar: WorkingCalendar, date: LocalDate): DatedTerm {
  const trace: string[] = [];
  let day = date;
  while (!calendar.isWorkingDay(day)) {
    trace.push(skipped(calendar, day));
    day = addDays(day, 1);
  }
  if (trace.length) trace.push(`runs on to ${describeDate(day)}`);
  return { date: day, trace };
}

/** The date N days / weeks / months / years after the anchor, without roll-forward. */
export function addCalendarPeriod(anchor: LocalDate, term: Pick<Term, 'within' | 'unit'>): DatedTerm {
  switch (term.unit) {
    case 'days':
    case 'weeks': {
      const days = term.unit === 'weeks' ? 7 * term.within : term.within;
      const date = addDays(anchor, days);
      return { date, trace: [`+${term.within} ${term.unit} (${days} days) = ${describeDate(date)}`] };
    }
    case 'months':
    case 'years': {
      const months = term.unit === 'years' ? 12 * term.within : term.within;
      const date = addMonths(anchor, months);
      const clamped = date.slice(8) !== anchor.slice(8) ? ' (last day of that month)' : '';
      return { date, trace: [`+${term.within} ${term.unit} = ${describeDate(date)}${clamped}`] };
    }
    case 'workingDays':
      throw new RangeError('addCalendarPeriod counts calendar units; use addWorkingDays for workingDays');
  }
}

/** A term's due date from its anchor date: working days counted, calendar periods rolled forward. */
export function termDate(calendar: WorkingCalendar, anchor: LocalDate, term: Pick<Term, 'within' | 'unit'>): DatedTerm {
  if (term.unit === 'workingDays') return addWorkingDays(calendar, anchor, term.within);
  const raw = addCalendarPeriod(anchor, term);
  const rolled = rollForward(calendar, raw.date);
  return { date: rolled.date, trace: [...raw.trace, ...rolled.trace] };
}

/** The K-th working day strictly before the due date: the last day a delay notice is on time. */
export function noticeBy(calendar: WorkingCalendar, due: LocalDate, k: number): DatedTerm {
  const trace: string[] = [];
  let date = due;
  for (let counted = 0; counted < k; ) {
    date = addDays(date, -1);
    if (calendar.isWorkingDay(date)) {
      counted++;
      trace.push(`notice day ${counted} before = ${describeDate(date)}`);
    } else {
      trace.push(skipped(calendar, date));
    }
  }
  return { date, trace };
}

/** The destroy date: closure + keepAfterClosure, capped by receipt + maxAfterReceipt; never rolled forward. */
export function retentionDate(
  closed: LocalDate,
  keepAfterClosure: Pick<Term, 'within' | 'unit'>,
  received?: LocalDate,
  maxAfterReceipt?: Pick<Term, 'within' | 'unit'>,
): DatedTerm {
  const period = (anchor: LocalDate, term: Pick<Term, 'within' | 'unit'>): LocalDate => addCalendarPeriod(anchor, term).date;
  const keep = period(closed, keepAfterClosure);
  const trace = [`closed ${describeDate(closed)}; keep ${keepAfterClosure.within} ${keepAfterClosure.unit} = ${describeDate(keep)}`];
  if (received && maxAfterReceipt) {
    const cap = period(received, maxAfterReceipt);
    trace.push(`at most ${maxAfterReceipt.within} ${maxAfterReceipt.unit} after receipt = ${describeDate(cap)}`);
    if (cap < keep) {
      trace.push(`destroy on ${describeDate(cap)}, the earlier`);
      return { date: cap, trace };
    }
  }
  trace.push(`destroy on ${describeDate(keep)}`);
  return { date: keep, trace };
}

export const calendarFor = (procedure: Pick<Procedure, 'calendar'>): WorkingCalendar => new WorkingCalendar(procedure.calendar);

/** One calendar per procedure, made on first use: its holiday lists are cached per year inside. */
export function calendarCache(): (procedure: Pick<Procedure, 'id' | 'calendar'>) => WorkingCalendar {
  const calendars = new Map<string, WorkingCalendar>();
  return (procedure) => {
    let calendar = calendars.get(procedure.id);
    if (!calendar) calendars.set(procedure.id, (calendar = calendarFor(procedure)));
    return calendar;
  };
}
