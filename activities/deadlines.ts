import { ApplicationFailure } from '@temporalio/activity';
import { calendarFor, type WorkingCalendar } from '../domain/calendar';
import { computeDeadlines, type Deadlines } from '../domain/deadlines';
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
  return {
    // Synchronous work behind the activity's promise interface.
    // eslint-disable-next-line @typescript-eslint/require-await
    async computeDeadlines(request: DeadlinesRequest): Promise<Deadlines> {
      const procedure = deps.procedures.get(request.procedure);
      if (!procedure) throw ApplicationFailure.nonRetryable(`unknown procedure "${request.procedure}"`, 'UnknownProcedure');
      let calendar = calendars.get(procedure.id);
      if (!calendar) calendars.set(procedure.id, (calendar = calendarFor(procedure)));
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
