// The Temporal Schedules klachtflow keeps: the monthly destruction statement, and each
// procedure's report (quarterly or yearly, its rules.analysis). Made (or brought in line with this
// code) by every worker, `npm start` and `npm run setup:temporal`; an operator sees, pauses or
// triggers them in the Temporal UI or with `temporal schedule`.
import { type Client, ScheduleAlreadyRunning, type ScheduleOptionsAction, type ScheduleSpec } from '@temporalio/client';
import { destructionStatementId } from '../domain/destruction';
import { taskQueue } from '../domain/messages';
import type { Procedure } from '../domain/procedure';
import type { PeriodReportStart } from '../workflows/reports';
import { organisationTimezone, type ProcedureRegistry } from './procedures';

/** On the first of each month at 07:00 on the organisation's clock: the past month's statement. */
export function destructionSchedule(timezone: string): { spec: ScheduleSpec; action: ScheduleOptionsAction } {
  return {
    spec: { calendars: [{ dayOfMonth: 1, hour: 7, comment: 'the past month’s destruction statement' }], timezone },
    action: { type: 'startWorkflow', workflowType: 'destructionStatementWorkflow', workflowId: destructionStatementId, taskQueue, args: [{ timezone }] },
  };
}

/** `kept`: it exists, and bringing it in line failed (another worker starting at the same moment, say): the caller logs why. */
export type ScheduleState = 'created' | 'updated' | { kept: string };

export const reportScheduleId = (procedure: string) => `klachtflow-report-${procedure}`;

/**
 * A procedure's report at 09:00 on its own clock on the first working day of a new quarter (or
 * year): the schedule wakes on each of the period's first seven days, and the report's activity
 * sends only on the first working day (its calendar knows the holidays; a schedule does not).
 */
export function reportSchedule(procedure: Pick<Procedure, 'id' | 'timezone' | 'rules'>): { spec: ScheduleSpec; action: ScheduleOptionsAction } {
  const annual = procedure.rules.analysis === 'annual';
  const start: PeriodReportStart = { procedure: procedure.id };
  return {
    spec: {
      calendars: [
        {
          month: annual ? 'JANUARY' : ['JANUARY', 'APRIL', 'JULY', 'OCTOBER'],
          dayOfMonth: { start: 1, end: 7 },
          hour: 9,
          comment: `the ${annual ? 'past year' : 'past quarter'}’s report of ${procedure.id}, on the first working day`,
        },
      ],
      timezone: procedure.timezone,
    },
    action: { type: 'startWorkflow', workflowType: 'periodReportWorkflow', workflowId: reportScheduleId(procedure.id), taskQueue, args: [start] },
  };
}

async function ensureSchedule(client: Client, scheduleId: string, { spec, action }: { spec: ScheduleSpec; action: ScheduleOptionsAction }): Promise<ScheduleState> {
  try {
    // Once per run; a cluster away on the day catches up within the week.
    await client.schedule.create({ scheduleId, spec, action, policies: { overlap: 'SKIP', catchupWindow: '7 days' } });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    // Kept as the operator left it (paused, say); only when and what follow this code.
    try {
      await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action }));
      return 'updated';
    } catch (update) {
      return { kept: update instanceof Error ? update.message : String(update) };
    }
  }
}

export const ensureDestructionSchedule = (client: Client, timezone: string): Promise<ScheduleState> => ensureSchedule(client, destructionStatementId, destructionSchedule(timezone));

/** Every schedule klachtflow keeps, by id, with what became of it. */
export async function ensureSchedules(client: Client, procedures: ProcedureRegistry): Promise<Record<string, ScheduleState>> {
  const states: Record<string, ScheduleState> = { [destructionStatementId]: await ensureDestructionSchedule(client, organisationTimezone(procedures)) };
  for (const procedure of procedures.values()) states[reportScheduleId(procedure.id)] = await ensureSchedule(client, reportScheduleId(procedure.id), reportSchedule(procedure));
  return states;
}

/** The schedules an operator should hear about: those kept as they were, and why. */
export const keptSchedules = (states: Record<string, ScheduleState>) =>
  Object.entries(states).flatMap(([id, state]) => (typeof state === 'object' ? [{ schedule: id, reason: state.kept }] : []));
