import { ApplicationFailure } from '@temporalio/activity';
import { addWorkingDays, calendarCache, noticeBy as noticeDate, retentionDate, rollForward, type WorkingCalendar } from '../domain/calendar';
import { computeDeadlines, type Deadlines, deadlineOf, termAlarms } from '../domain/deadlines';
import { atLocalTime, describeDate, endOfDay, isLocalDate, localDateOf } from '../domain/local-date';
import { defaultSatisfactionTerm, satisfactionReminderGrace } from '../domain/procedure';
import type { ProcedureRules } from '../domain/complaint';
import type { TermExtension, TimedTerm } from '../domain/dossier';
import type { AppealLevel, Procedure, Term, TermName } from '../domain/procedure';

export interface DeadlinesRequest {
  procedure: string;
  receivedAt: string;
  positionSentAt?: string;
  appealFiledAt?: string;
  closedAt?: string;
}

/**
 * Term dates for the workflow, run as a local activity: the holiday data stays out of
 * workflow code, and the dates enter history once, so a newer holiday list or procedure
 * edit never changes a running complaint on replay.
 */
export interface DeadlineDependencies {
  procedures: ReadonlyMap<string, Procedure>;
  /** The namespace's retention of closed histories: a workflow completes this long before its destroy date. */
  namespaceRetentionMs: number;
}

export function createDeadlineActivities(deps: DeadlineDependencies) {
  const calendarOf = calendarCache();
  const procedureOf = (id: string): Procedure => {
    const procedure = deps.procedures.get(id);
    if (!procedure) throw ApplicationFailure.nonRetryable(`unknown procedure "${id}"`, 'UnknownProcedure');
    return procedure;
  };
  const timedTerm = (procedure: Procedure, calendar: WorkingCalendar, term: Parameters<typeof deadlineOf>[2] & { target?: boolean }, label: string, at: Date): TimedTerm => {
    const dated = deadlineOf(calendar, procedure.timezone, term, label, at);
    return {
      ...dated,
      target: term.target ?? false,
      ...(term.noticeWorkingDaysBefore ? { noticeWorkingDaysBefore: term.noticeWorkingDaysBefore } : {}),
      ...termAlarms(calendar, procedure.timezone, dated.date, dated.noticeBy),
    };
  };
  return {
    /**
     * The terms that start with the position: the satisfaction question (the procedure's, else
     * 10 working days) and the level-1 appeal window (its own term, else as long as satisfaction).
     */
    // eslint-disable-next-line @typescript-eslint/require-await
    async termsAfterPosition(request: { procedure: string; positionSentAt: string }): Promise<TermsAfterPosition> {
      const procedure = procedureOf(request.procedure);
      const calendar = calendarOf(procedure);
      const at = new Date(request.positionSentAt);
      const satisfaction = timedTerm(procedure, calendar, procedure.terms.satisfaction ?? defaultSatisfactionTerm, 'position sent', at);
      // v0.6: the one reminder goes out at 09:00 the working day after the term, and gives a few working days more.
      const reminderAnswerBy = addWorkingDays(calendar, satisfaction.date, satisfactionReminderGrace.within).date;
      const answerBy = { date: reminderAnswerBy, dueAt: endOfDay(reminderAnswerBy, procedure.timezone) };
      const { satisfactionRequiredToClose } = procedure.rules;
      const level1 = procedure.appeals[0];
      if (!level1) return { satisfaction, satisfactionRequiredToClose, reminderAnswerBy: answerBy };
      const appealWindow = level1.fileWithin ? timedTerm(procedure, calendar, level1.fileWithin, 'position sent', at) : satisfaction;
      return { satisfaction, appealWindow, satisfactionRequiredToClose, reminderAnswerBy: answerBy };
    },

    /** v0.6: the rules and the appeal route the workflow runs on, fixed at intake. */
    // eslint-disable-next-line @typescript-eslint/require-await
    async procedureAtIntake(request: { procedure: string }): Promise<{ rules: ProcedureRules; appeals: AppealLevel[] }> {
      const procedure = procedureOf(request.procedure);
      const { requireRootCause, satisfactionRequiredToClose, notifyManagerOnReceipt } = procedure.rules;
      return { rules: { requireRootCause, satisfactionRequiredToClose, notifyManagerOnReceipt }, appeals: procedure.appeals };
    },

    /** The appeal route of a complaint that started before it was fixed at intake. */
    // eslint-disable-next-line @typescript-eslint/require-await
    async appealRoute(request: { procedure: string }): Promise<AppealLevel[]> {
      return procedureOf(request.procedure).appeals;
    },

    /** A term of an appeal level from its anchor: the window to file (the satisfaction term where the level sets none), or the decision term. */
    // eslint-disable-next-line @typescript-eslint/require-await
    async termFrom(request: { procedure: string; term?: Term; anchorLabel: string; at: string }): Promise<TimedTerm> {
      const procedure = procedureOf(request.procedure);
      // A level without a term of its own is open as long as the satisfaction term (SPEC §4).
      const term = request.term ?? procedure.terms.satisfaction ?? defaultSatisfactionTerm;
      return timedTerm(procedure, calendarOf(procedure), term, request.anchorLabel, new Date(request.at));
    },

    /**
     * A term moved by staff to a new date (on to a working day, as every term), with its new
     * reminders; and whether the delay notice came in time: by the notice date, or by the
     * due date where the term has none.
     */
    // eslint-disable-next-line @typescript-eslint/require-await
    async extendedTerm(request: ExtendedTermRequest): Promise<{ term: TimedTerm; notice: TermExtension['notice'] }> {
      const procedure = procedureOf(request.procedure);
      const calendar = calendarOf(procedure);
      const tz = procedure.timezone;
      if (!isLocalDate(request.newDate)) throw ApplicationFailure.nonRetryable(`"${request.newDate}" is not a date`, 'InvalidDate');
      const { date, trace } = rollForward(calendar, request.newDate);
      const k = request.noticeWorkingDaysBefore ?? procedure.terms[request.term as TermName]?.noticeWorkingDaysBefore;
      const lines = [`extended ${describeDate(request.from.date)} → ${describeDate(request.newDate)} on ${describeDate(localDateOf(new Date(request.at), tz))}`, ...trace];
      const dueAt = endOfDay(date, tz);
      lines.push(`due ${describeDate(date)} 23:59:59.999 local = ${dueAt}`);
      const noticeBy = k ? noticeDate(calendar, date, k).date : undefined;
      if (noticeBy) lines.push(`delay notice by ${describeDate(noticeBy)}`);
      const at = Date.parse(request.at);
      const notice: TermExtension['notice'] =
        at > Date.parse(request.from.dueAt) ? 'after-breach' : request.from.noticeBy && at > Date.parse(endOfDay(request.from.noticeBy, tz)) ? 'late' : 'in-time';
      return {
        term: {
          date,
          dueAt,
          ...(noticeBy ? { noticeBy } : {}),
          ...(k ? { noticeWorkingDaysBefore: k } : {}),
          trace: lines,
          target: request.target ?? false,
          ...termAlarms(calendar, tz, date, noticeBy),
        },
        notice,
      };
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

    /** v0.5: the rules the workflow enforces, fixed at intake. */
    // eslint-disable-next-line @typescript-eslint/require-await
    async procedureRules(request: { procedure: string }): Promise<ProcedureRules> {
      const { requireRootCause, satisfactionRequiredToClose, notifyManagerOnReceipt } = procedureOf(request.procedure).rules;
      return { requireRootCause, satisfactionRequiredToClose, notifyManagerOnReceipt };
    },

    /** v0.3: every term that runs from receipt, with its trace and the instants its timers fire. */
    // eslint-disable-next-line @typescript-eslint/require-await
    async computeTerms(request: DeadlinesRequest): Promise<Record<string, TimedTerm>> {
      const procedure = procedureOf(request.procedure);
      const calendar = calendarOf(procedure);
      const { deadlines } = computeDeadlines(procedure, calendar, { receivedAt: new Date(request.receivedAt) }, { explain: true });
      const terms: Record<string, TimedTerm> = {};
      for (const [name, term] of Object.entries(deadlines) as [string, { date: string; dueAt: string; noticeBy?: string; trace?: string[] }][]) {
        const defined = procedure.terms[name as TermName];
        terms[name] = {
          date: term.date,
          dueAt: term.dueAt,
          ...(term.noticeBy ? { noticeBy: term.noticeBy } : {}),
          trace: term.trace ?? [],
          target: defined?.target ?? false,
          ...(defined?.noticeWorkingDaysBefore ? { noticeWorkingDaysBefore: defined.noticeWorkingDaysBefore } : {}),
          ...termAlarms(calendar, procedure.timezone, term.date, term.noticeBy),
        };
      }
      return terms;
    },

    // Synchronous work behind the activity's promise interface.
    // eslint-disable-next-line @typescript-eslint/require-await
    async computeDeadlines(request: DeadlinesRequest): Promise<Deadlines> {
      const procedure = procedureOf(request.procedure);
      const calendar = calendarOf(procedure);
      const at = (iso?: string): Date | undefined => (iso ? new Date(iso) : undefined);
      return computeDeadlines(
        procedure,
        calendar,
        {
          receivedAt: new Date(request.receivedAt),
          positionSentAt: at(request.positionSentAt),
          appealFiledAt: at(request.appealFiledAt),
          closedAt: at(request.closedAt),
        },
        { explain: true },
      ).deadlines;
    },
  };
}

export interface TermsAfterPosition {
  satisfaction: TimedTerm;
  appealWindow?: TimedTerm;
  satisfactionRequiredToClose: boolean;
  /** v0.6: the last day to answer after the one reminder (absent from histories recorded before). */
  reminderAnswerBy?: { date: string; dueAt: string };
}

export interface ExtendedTermRequest {
  procedure: string;
  term: string;
  from: { date: string; dueAt: string; noticeBy?: string };
  newDate: string;
  /** The instant of the extension: decides whether the notice was in time. */
  at: string;
  noticeWorkingDaysBefore?: number;
  target?: boolean;
}

export type DeadlineActivities = ReturnType<typeof createDeadlineActivities>;
