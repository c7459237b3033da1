// The deadlines of one complaint from its anchor instants (SPEC §3, §3.4): what the CLI prints
// and what the workflow keeps. Pure, but loads holiday data through the calendar: never
// imported by workflow code.
import { addWorkingDays, noticeBy, retentionDate, termDate, type WorkingCalendar } from './calendar';
import type { DossierTerm } from './dossier';
import { describeDate, type LocalDate, localDateOf } from './local-date';
import { atLocalTime, endOfDay } from './zoned-time';
import type { Procedure, Term } from './procedure';

export interface Anchors {
  receivedAt: Date;
  positionSentAt?: Date;
  appealFiledAt?: Date;
  closedAt?: Date;
}

export interface TermDeadline {
  date: LocalDate;
  dueAt: string;
  noticeBy?: LocalDate;
  trace?: string[];
}

export interface DestroyDeadline {
  date: LocalDate;
  trace?: string[];
}

/** Keys in the order of SPEC §3.4; a key is present when the procedure defines the term and its anchor was given. */
export interface Deadlines {
  acknowledge?: TermDeadline;
  firstContact?: TermDeadline;
  resolve?: TermDeadline;
  maxLeadTime?: TermDeadline;
  satisfaction?: TermDeadline;
  appeal1File?: TermDeadline;
  appeal1Decide?: TermDeadline;
  destroy?: DestroyDeadline;
}
export type DeadlineName = keyof Deadlines;

export interface DeadlinesResult {
  procedure: string;
  timezone: string;
  receivedAt: string;
  deadlines: Deadlines;
}

// Making an Intl formatter costs far more than using one: one per time zone.
const timeFormats = new Map<string, Intl.DateTimeFormat>();
function localTime(instant: Date, timezone: string): string {
  let format = timeFormats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: timezone });
    timeFormats.set(timezone, format);
  }
  return format.format(instant);
}

/** One term from one anchor instant: its date, due instant, notice date and the trace of how. */
export function deadlineOf(
  calendar: WorkingCalendar,
  timezone: string,
  term: Pick<Term, 'within' | 'unit' | 'noticeWorkingDaysBefore'>,
  anchorLabel: string,
  anchor: Date,
): Required<Pick<TermDeadline, 'date' | 'dueAt' | 'trace'>> & Pick<TermDeadline, 'noticeBy'> {
  const anchorDate = localDateOf(anchor, timezone);
  const { date, trace } = termDate(calendar, anchorDate, term);
  const dueAt = endOfDay(date, timezone);
  const lines = [
    `${anchorLabel} ${describeDate(anchorDate)} ${localTime(anchor, timezone)} ${timezone}; ${term.within} ${term.unit}`,
    ...trace,
    `due ${describeDate(date)} 23:59:59.999 local = ${dueAt}`,
  ];
  if (term.noticeWorkingDaysBefore === undefined) return { date, dueAt, trace: lines };
  const notice = noticeBy(calendar, date, term.noticeWorkingDaysBefore);
  lines.push(...notice.trace, `delay notice by ${describeDate(notice.date)}`);
  return { date, dueAt, noticeBy: notice.date, trace: lines };
}

export function computeDeadlines(
  procedure: Procedure,
  calendar: WorkingCalendar,
  anchors: Anchors,
  options: { explain?: boolean } = {},
): DeadlinesResult {
  const tz = procedure.timezone;
  const deadlines: Deadlines = {};
  const put = (name: Exclude<DeadlineName, 'destroy'>, term: Term | undefined, label: string, anchor: Date | undefined): void => {
    if (!term || !anchor) return;
    const { trace, ...rest } = deadlineOf(calendar, tz, term, label, anchor);
    deadlines[name] = options.explain ? { ...rest, trace } : rest;
  };
  const { terms } = procedure;
  put('acknowledge', terms.acknowledge, 'received', anchors.receivedAt);
  put('firstContact', terms.firstContact, 'received', anchors.receivedAt);
  put('resolve', terms.resolve, 'received', anchors.receivedAt);
  put('maxLeadTime', terms.maxLeadTime, 'received', anchors.receivedAt);
  put('satisfaction', terms.satisfaction, 'position sent', anchors.positionSentAt);
  const level1 = procedure.appeals[0];
  put('appeal1File', level1?.fileWithin, 'position sent', anchors.positionSentAt);
  put('appeal1Decide', level1?.decideWithin, 'appeal filed', anchors.appealFiledAt);
  if (anchors.closedAt) {
    const { date, trace } = retentionDate(
      localDateOf(anchors.closedAt, tz),
      procedure.retention.keepAfterClosure,
      localDateOf(anchors.receivedAt, tz),
      procedure.retention.maxAfterReceipt,
    );
    deadlines.destroy = options.explain ? { date, trace } : { date };
  }
  return { procedure: procedure.id, timezone: tz, receivedAt: anchors.receivedAt.toISOString(), deadlines };
}

/** What a clock does at an instant: a term's reminders, breach and escalation (or its aim's end); a window's reminder and its close. */
export type AlarmKind = 'reminder' | 'notice-reminder' | 'breach' | 'escalation' | 'target' | 'window-reminder' | 'window-closed' | 'resume';
export interface ClockAlarm {
  kind: AlarmKind;
  at: string;
}

/** A term or window as the workflow starts it: what the dossier shows, and when its alarms go. */
export interface PlannedTerm {
  term: DossierTerm;
  alarms: ClockAlarm[];
}

/** Staff e-mail goes out at 09:00 on working days only (SPEC §4). */
export const staffMailTime = '09:00';

/**
 * A staff term's alarms: a reminder at 09:00 the working day before it ends, another on its
 * notice date, the breach at its due instant, and the escalation at 09:00 the working day after.
 * A term that is an aim ends as a missed target instead, without escalation; an aim beside the
 * term ends at its own instant.
 */
export function termAlarms(
  calendar: WorkingCalendar,
  timezone: string,
  due: { date: LocalDate; dueAt: string; noticeBy?: LocalDate; target?: boolean; aim?: { dueAt: string } },
): ClockAlarm[] {
  const reminders: ClockAlarm[] = [
    { kind: 'reminder', at: atLocalTime(noticeBy(calendar, due.date, 1).date, staffMailTime, timezone) },
    ...(due.noticeBy ? [{ kind: 'notice-reminder' as const, at: atLocalTime(due.noticeBy, staffMailTime, timezone) }] : []),
  ];
  if (due.target) return [...reminders, { kind: 'target', at: due.dueAt }];
  return [
    ...reminders,
    ...(due.aim ? [{ kind: 'target' as const, at: due.aim.dueAt }] : []),
    { kind: 'breach', at: due.dueAt },
    { kind: 'escalation', at: atLocalTime(addWorkingDays(calendar, due.date, 1).date, staffMailTime, timezone) },
  ];
}

/** The 09:00 after a window's last day: when the one "satisfied?" reminder goes. */
export const windowReminderAt = (calendar: WorkingCalendar, timezone: string, date: LocalDate): string =>
  atLocalTime(addWorkingDays(calendar, date, 1).date, staffMailTime, timezone);
