import { ApplicationFailure } from '@temporalio/activity';
import { addWorkingDays, calendarCache, noticeBy as noticeDate, retentionDate, rollForward, type WorkingCalendar, workingDaysBetween } from '../domain/calendar';
import type { ProcedureRules } from '../domain/complaint';
import { type ClockAlarm, deadlineOf, type PlannedTerm, termAlarms, windowReminderAt } from '../domain/deadlines';
import type { DossierTerm, TermExtension, TermName } from '../domain/dossier';
import { describeDate, isLocalDate, localDateOf } from '../domain/local-date';
import { type AppealLevel, defaultSatisfactionTerm, type Procedure, satisfactionReminderGrace, type Term } from '../domain/procedure';
import { atLocalTime, endOfDay } from '../domain/zoned-time';

/**
 * Term dates for the workflow, run as local activities: the holiday data stays out of workflow
 * code, and the dates enter history once, so a newer holiday list or procedure edit never
 * changes a running complaint on replay. What the procedure said at intake (terms, rules,
 * appeal route) travels with the complaint; only the calendar is read anew.
 */
export interface DeadlineDependencies {
  procedures: ReadonlyMap<string, Procedure>;
  /** The namespace's retention of closed histories: a workflow completes this long before its destroy date. */
  namespaceRetentionMs: number;
}

/** What the complaint keeps of its procedure from intake on. */
export interface IntakeFacts {
  timezone: string;
  rules: ProcedureRules;
  route: AppealLevel[];
  satisfactionTerm: Term;
  terms: Partial<Record<TermName, PlannedTerm>>;
}

export interface AfterPosition {
  satisfaction: PlannedTerm;
  appeal1File?: PlannedTerm;
}

export interface ExtendTermRequest {
  procedure: string;
  term: TermName;
  from: { date: string; dueAt: string; noticeBy?: string };
  newDate: string;
  /** The instant of the extension: decides whether the notice was in time. */
  at: string;
  noticeWorkingDaysBefore?: number;
}

export function createDeadlineActivities(deps: DeadlineDependencies) {
  const calendarOf = calendarCache();
  const procedureOf = (id: string): Procedure => {
    const procedure = deps.procedures.get(id);
    if (!procedure) throw ApplicationFailure.nonRetryable(`unknown procedure "${id}"`, 'UnknownProcedure');
    return procedure;
  };

  /** A term from its anchor: what the dossier shows, and (a staff term) its alarms. */
  const dated = (procedure: Procedure, calendar: WorkingCalendar, kind: DossierTerm['kind'], term: Term, label: string, at: Date): DossierTerm => {
    const { date, dueAt, noticeBy, trace } = deadlineOf(calendar, procedure.timezone, term, label, at);
    const aim = typeof term.target === 'object' ? deadlineOf(calendar, procedure.timezone, term.target, `${label} (aim)`, at) : undefined;
    return {
      kind,
      date,
      dueAt,
      ...(noticeBy ? { noticeBy } : {}),
      trace: aim ? [...trace, ...aim.trace.slice(-1).map((line) => `aim: ${line}`)] : trace,
      ...(term.target === true ? { target: true } : {}),
      ...(aim ? { aim: { date: aim.date, dueAt: aim.dueAt } } : {}),
      ...(term.noticeWorkingDaysBefore ? { noticeWorkingDaysBefore: term.noticeWorkingDaysBefore } : {}),
    };
  };
  const staffTerm = (procedure: Procedure, calendar: WorkingCalendar, term: DossierTerm): PlannedTerm => ({
    term,
    alarms: termAlarms(calendar, procedure.timezone, term),
  });
  /** A complainant's window closes at its due instant, unless it says otherwise. */
  const window = (term: DossierTerm, alarms: ClockAlarm[] = []): PlannedTerm => {
    const closesAt = term.closesAt ?? term.dueAt;
    return { term: { ...term, closesAt }, alarms: [...alarms, { kind: 'window-closed', at: closesAt }] };
  };

  return {
    /** The terms that run from receipt, the rules and the appeal route: fixed at intake. */
    // eslint-disable-next-line @typescript-eslint/require-await
    async intake(request: { procedure: string; receivedAt: string }): Promise<IntakeFacts> {
      const procedure = procedureOf(request.procedure);
      const calendar = calendarOf(procedure);
      const terms: Partial<Record<TermName, PlannedTerm>> = {};
      for (const name of ['acknowledge', 'firstContact', 'resolve', 'maxLeadTime'] as const) {
        const term = procedure.terms[name];
        if (term) terms[name] = staffTerm(procedure, calendar, dated(procedure, calendar, 'term', term, 'received', new Date(request.receivedAt)));
      }
      const { requireRootCause, satisfactionRequiredToClose, notifyManagerOnReceipt, showInvolvedPeople, causeCommunication, agreementsInWriting } = procedure.rules;
      const { suspension, reopening } = procedure;
      return {
        timezone: procedure.timezone,
        rules: { requireRootCause, satisfactionRequiredToClose, notifyManagerOnReceipt, ...(showInvolvedPeople ? { showInvolvedPeople } : {}), ...(causeCommunication ? { causeCommunication } : {}), ...(agreementsInWriting !== 'never' ? { agreementsInWriting } : {}), ...(suspension ? { suspension } : {}), ...(reopening ? { reopening } : {}) },
        route: procedure.appeals,
        satisfactionTerm: procedure.terms.satisfaction ?? defaultSatisfactionTerm,
        terms,
      };
    },

    /**
     * The windows that open with the position: "satisfied?" (one reminder at 09:00 the working
     * day after its term, then a few working days more) and the level-1 appeal (its own term,
     * else as long as "satisfied?" may be answered).
     */
    // eslint-disable-next-line @typescript-eslint/require-await
    async afterPosition(request: { procedure: string; at: string; satisfactionTerm: Term; level1?: AppealLevel }): Promise<AfterPosition> {
      const procedure = procedureOf(request.procedure);
      const calendar = calendarOf(procedure);
      const tz = procedure.timezone;
      const at = new Date(request.at);
      const asked = dated(procedure, calendar, 'window', request.satisfactionTerm, 'position sent', at);
      const answerBy = addWorkingDays(calendar, asked.date, satisfactionReminderGrace.within).date;
      const answerDue = endOfDay(answerBy, tz);
      const satisfaction = window(
        { ...asked, closesAt: answerDue, trace: [...asked.trace, `one reminder, then answers until ${describeDate(answerBy)}`] },
        [{ kind: 'window-reminder', at: windowReminderAt(calendar, tz, asked.date) }],
      );
      const level1 = request.level1;
      if (!level1) return { satisfaction };
      if (level1.fileWithin) return { satisfaction, appeal1File: window(dated(procedure, calendar, 'window', level1.fileWithin, 'position sent', at)) };
      const asLong = { ...asked, date: answerBy, dueAt: answerDue, trace: [...asked.trace, `open as long as "satisfied?" may be answered: until ${describeDate(answerBy)}`] };
      return { satisfaction, appeal1File: window(asLong) };
    },

    /**
     * A term of an appeal level from its anchor: the window to appeal to it after the decision
     * before (the satisfaction term where the level sets none), or an internal level's decision term.
     */
    // eslint-disable-next-line @typescript-eslint/require-await
    async levelTerm(request: { procedure: string; kind: DossierTerm['kind']; term: Term; anchorLabel: string; at: string }): Promise<PlannedTerm> {
      const procedure = procedureOf(request.procedure);
      const calendar = calendarOf(procedure);
      const term = dated(procedure, calendar, request.kind, request.term, request.anchorLabel, new Date(request.at));
      return request.kind === 'term' ? staffTerm(procedure, calendar, term) : window(term);
    },

    /**
     * A term moved by staff to a new date (on to a working day, as every term), with its new
     * alarms; and whether the delay notice came in time: by the notice date, or by the due date
     * where the term has none.
     */
    // eslint-disable-next-line @typescript-eslint/require-await
    async extendTerm(request: ExtendTermRequest): Promise<{ extension: Omit<TermExtension, 'by' | 'reason'>; trace: string[]; alarms: ClockAlarm[] }> {
      const procedure = procedureOf(request.procedure);
      const calendar = calendarOf(procedure);
      const tz = procedure.timezone;
      if (!isLocalDate(request.newDate)) throw ApplicationFailure.nonRetryable(`"${request.newDate}" is not a date`, 'InvalidDate');
      const { date, trace: rolled } = rollForward(calendar, request.newDate);
      const dueAt = endOfDay(date, tz);
      const k = request.noticeWorkingDaysBefore;
      const noticeBy = k ? noticeDate(calendar, date, k).date : undefined;
      const trace = [
        `extended ${describeDate(request.from.date)} → ${describeDate(request.newDate)} on ${describeDate(localDateOf(new Date(request.at), tz))}`,
        ...rolled,
        `due ${describeDate(date)} 23:59:59.999 local = ${dueAt}`,
        ...(noticeBy ? [`delay notice by ${describeDate(noticeBy)}`] : []),
      ];
      const at = Date.parse(request.at);
      const notice: TermExtension['notice'] =
        at > Date.parse(request.from.dueAt) ? 'after-breach' : request.from.noticeBy && at > Date.parse(endOfDay(request.from.noticeBy, tz)) ? 'late' : 'in-time';
      // An aim moved is still an aim (Babbage's five working days): it ends as a missed target, never escalated.
      const aimOnly = (procedure.terms as Partial<Record<string, Term>>)[request.term]?.target === true;
      const due = { date, dueAt, ...(noticeBy ? { noticeBy } : {}), ...(aimOnly ? { target: true } : {}) };
      return { extension: { at: request.at, from: request.from.date, to: date, dueAt, ...(noticeBy ? { noticeBy } : {}), notice }, trace, alarms: termAlarms(calendar, tz, due) };
    },

    /** A reopened complaint's handling terms (resolve, maxLeadTime), anew from the acceptance. */
    // eslint-disable-next-line @typescript-eslint/require-await
    async reopenTerms(request: { procedure: string; at: string }): Promise<Partial<Record<TermName, PlannedTerm>>> {
      const procedure = procedureOf(request.procedure);
      const calendar = calendarOf(procedure);
      const terms: Partial<Record<TermName, PlannedTerm>> = {};
      for (const name of ['resolve', 'maxLeadTime'] as const) {
        const term = procedure.terms[name];
        if (term) terms[name] = staffTerm(procedure, calendar, dated(procedure, calendar, 'term', term, 'reopened', new Date(request.at)));
      }
      return terms;
    },

    /** The last day a closed complaint may be asked to reopen: the time its rules (fixed at intake) give, from its closure. */
    // eslint-disable-next-line @typescript-eslint/require-await
    async reopenBy(request: { procedure: string; closedAt: string; afterClosure: { within: number; unit: Term['unit'] } }): Promise<{ date: string }> {
      const procedure = procedureOf(request.procedure);
      return { date: deadlineOf(calendarOf(procedure), procedure.timezone, request.afterClosure, 'closed', new Date(request.closedAt)).date };
    },

    /**
     * The date a question to the complainant is to be answered by (suspension): the date staff
     * gave, rolled on to a working day, else the procedure's answer time from now.
     */
    // eslint-disable-next-line @typescript-eslint/require-await
    async answerDate(request: { procedure: string; at: string; answerBy?: string; answerWithin: { within: number; unit: Term['unit'] } }): Promise<{ date: string; dueAt: string; trace: string[] }> {
      const procedure = procedureOf(request.procedure);
      const calendar = calendarOf(procedure);
      if (request.answerBy === undefined) return deadlineOf(calendar, procedure.timezone, request.answerWithin, 'asked', new Date(request.at));
      const { date, trace } = rollForward(calendar, request.answerBy);
      return { date, dueAt: endOfDay(date, procedure.timezone), trace };
    },

    /**
     * A suspension ended: each term it held runs on with the working days it had left, i.e. its
     * date moves by the working days from the day it was suspended to the day it ended.
     */
    // eslint-disable-next-line @typescript-eslint/require-await
    async resumeTerms(request: {
      procedure: string;
      suspendedAt: string;
      resumedAt: string;
      terms: Partial<Record<TermName, { date: string; noticeWorkingDaysBefore?: number; target?: boolean }>>;
    }): Promise<{ from: string; to: string; workingDays: number; terms: Partial<Record<TermName, { to: string; dueAt: string; noticeBy?: string; trace: string[]; alarms: ClockAlarm[] }>> }> {
      const procedure = procedureOf(request.procedure);
      const calendar = calendarOf(procedure);
      const tz = procedure.timezone;
      const from = localDateOf(new Date(request.suspendedAt), tz);
      const to = localDateOf(new Date(request.resumedAt), tz);
      const workingDays = workingDaysBetween(calendar, from, to);
      const terms: Partial<Record<TermName, { to: string; dueAt: string; noticeBy?: string; trace: string[]; alarms: ClockAlarm[] }>> = {};
      for (const [name, term] of Object.entries(request.terms) as [TermName, { date: string; noticeWorkingDaysBefore?: number; target?: boolean }][]) {
        const moved = addWorkingDays(calendar, term.date, workingDays);
        const dueAt = endOfDay(moved.date, tz);
        const noticeBy = term.noticeWorkingDaysBefore ? noticeDate(calendar, moved.date, term.noticeWorkingDaysBefore).date : undefined;
        const trace = [
          `suspended ${describeDate(from)} → ${describeDate(to)}: ${workingDays} working days stood still`,
          ...moved.trace,
          `due ${describeDate(moved.date)} 23:59:59.999 local = ${dueAt}`,
          ...(noticeBy ? [`delay notice by ${describeDate(noticeBy)}`] : []),
        ];
        const due = { date: moved.date, dueAt, ...(noticeBy ? { noticeBy } : {}), ...(term.target ? { target: true } : {}) };
        terms[name] = { to: moved.date, dueAt, ...(noticeBy ? { noticeBy } : {}), trace, alarms: termAlarms(calendar, tz, due) };
      }
      return { from, to, workingDays, terms };
    },

    /** The destroy date of a closed complaint (SPEC §3: never rolled on to a working day). */
    // eslint-disable-next-line @typescript-eslint/require-await
    async destroyDate(request: { procedure: string; receivedAt: string; closedAt: string }): Promise<{ date: string; trace: string[]; completeAt: string }> {
      const procedure = procedureOf(request.procedure);
      const tz = procedure.timezone;
      const { date, trace } = retentionDate(
        localDateOf(new Date(request.closedAt), tz),
        procedure.retention.keepAfterClosure,
        localDateOf(new Date(request.receivedAt), tz),
        procedure.retention.maxAfterReceipt,
      );
      // Complete so early that the server has deleted the history by the start of the destroy date.
      const completeAt = new Date(Date.parse(atLocalTime(date, '00:00', tz)) - deps.namespaceRetentionMs).toISOString();
      return { date, trace, completeAt };
    },
  };
}

export type DeadlineActivities = ReturnType<typeof createDeadlineActivities>;
