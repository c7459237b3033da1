import { ApplicationFailure } from '@temporalio/activity';
import { calendarFor, type WorkingCalendar } from '../domain/calendar';
import { computeDeadlines, type Deadlines, termAlarms } from '../domain/deadlines';
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
export function createDeadlineActivities(deps: { procedures: ReadonlyMap<string, Procedure> }) {
  const calendars = new Map<string, WorkingCalendar>();
  const calendarOf = (procedure: Procedure): WorkingCalendar => {
    let calendar = calendars.get(procedure.id);
    if (!calendar) calendars.set(procedure.id, (calendar = calendarFor(procedure)));
    return calendar;
  };
  const procedureOf = (id: string): Procedure => {
    const procedure = deps.procedures.get(id);
    if (!procedure) throw ApplicationFailure.nonRetryable(`unknown procedure "${id}"`, 'UnknownProcedure');
    return procedure;
  };
  return {
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
