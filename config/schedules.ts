// The Temporal Schedules klachtflow keeps: the monthly destruction statement. Made (or brought in
// line with this code) by every worker and `npm start` at start; an operator sees, pauses or
// triggers it in the Temporal UI or with `temporal schedule`.
import { type Client, ScheduleAlreadyRunning, type ScheduleOptionsAction, type ScheduleSpec } from '@temporalio/client';
import { destructionStatementId } from '../domain/destruction';
import { taskQueue } from '../domain/messages';

/** On the first of each month at 07:00 on the organisation's clock: the past month's statement. */
export function destructionSchedule(timezone: string): { spec: ScheduleSpec; action: ScheduleOptionsAction } {
  return {
    spec: { calendars: [{ dayOfMonth: 1, hour: 7, comment: 'the past month’s destruction statement' }], timezone },
    action: { type: 'startWorkflow', workflowType: 'destructionStatementWorkflow', workflowId: destructionStatementId, taskQueue, args: [{ timezone }] },
  };
}

/** `kept`: it exists, and bringing it in line failed (another worker starting at the same moment, say): the caller logs why. */
export type ScheduleState = 'created' | 'updated' | { kept: string };

export async function ensureDestructionSchedule(client: Client, timezone: string): Promise<ScheduleState> {
  const { spec, action } = destructionSchedule(timezone);
  try {
    await client.schedule.create({
      scheduleId: destructionStatementId,
      spec,
      action,
      // A month's statement once; a cluster away on the first catches up within the week.
      policies: { overlap: 'SKIP', catchupWindow: '7 days' },
    });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    // Kept as the operator left it (paused, say); only when and what follow this code.
    try {
      await client.schedule.getHandle(destructionStatementId).update((previous) => ({ ...previous, spec, action }));
      return 'updated';
    } catch (update) {
      return { kept: update instanceof Error ? update.message : String(update) };
    }
  }
}
