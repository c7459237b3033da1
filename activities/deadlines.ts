import { ApplicationFailure } from '@temporalio/activity';
import { calendarCache, retentionDate, type WorkingCalendar } from '../domain/calendar';
import { computeDeadlines, type Deadlines, deadlineOf, termAlarms } from '../domain/deadlines';
import { atLocalTime, localDateOf } from '../domain/local-date';
import { defaultSatisfactionTerm } from '../domain/procedure';
import type { ProcedureRules } from '../domain/complaint';
import type { TimedTerm } from '../domain/dossier';
import type { Procedure } from '../domain/procedure';

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
    return { ...dated, target: term.target ?? false, ...termAlarms(calendar, procedure.timezone, dated.date, dated.noticeBy) };
  };
  return {
    /**
     * The terms that start with the position: the satisfaction question (the procedure's, else
     * 10 working days) and the level-1 appeal window (its own term, else as long as satisfaction).
     */
    // eslint-disable-next-line @typescript-eslint/require-await
    async termsAfterPosition(request: { procedure: string; positionSentAt: string }): Promise<{ satisfaction: TimedTerm; appealWindow?: TimedTerm; satisfactionRequiredToClose: boolean }> {
      const procedure = procedureOf(request.procedure);
      const calendar = calendarOf(procedure);
      const at = new Date(request.positionSentAt);
      const satisfaction = timedTerm(procedure, calendar, procedure.terms.satisfaction ?? defaultSatisfactionTerm, 'position sent', at);
      const { satisfactionRequiredToClose } = procedure.rules;
      const level1 = procedure.appeals[0];
      if (!level1) return { satisfaction, satisfactionRequiredToClose };
      const appealWindow = level1.fileWithin ? timedTerm(procedure, calendar, level1.fileWithin, 'position sent', at) : satisfaction;
      return { satisfaction, appealWindow, satisfactionRequiredToClose };
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
        terms[name] = {
          date: term.date,
          dueAt: term.dueAt,
          ...(term.noticeBy ? { noticeBy: term.noticeBy } : {}),
          trace: term.trace ?? [],
          target: procedure.terms[name as keyof Procedure['terms']]?.target ?? false,
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

export type DeadlineActivities = ReturnType<typeof createDeadlineActivities>;
