// The destruction log and its statement (issue 14). Each month has one log workflow, started by
// the first complaint that ends with its destroy date in that month and kept as long as a
// statement may be asked for again; each month a Schedule starts the statement workflow, which
// e-mails the managers the past month's log.
import { allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { DestructionActivities } from '../activities/destructions';
import type { EmailActivities } from '../activities/email';
import { type DestructionEntry, destroyedSignal, destructionLogKeptMonths, destructionsQuery, monthBefore, monthsAfter } from '../domain/destruction';

export interface DestructionLogStart {
  month: string;
  /** Carried over when the log continues as new. */
  entries?: DestructionEntry[];
}

/** A log with this many events continues as new where the server does not suggest it earlier. */
const logHistoryBound = 5_000;

export async function destructionLogWorkflow({ month, entries = [] }: DestructionLogStart): Promise<{ month: string; count: number }> {
  // One line per complaint: a signal that is retried lands once.
  const lines = new Map(entries.map((entry) => [entry.reference, entry]));
  setHandler(destroyedSignal, (entry) => void lines.set(entry.reference, entry));
  setHandler(destructionsQuery, () => [...lines.values()]);
  const keptUntil = Date.parse(`${monthsAfter(month, destructionLogKeptMonths + 1)}-01T00:00:00Z`);
  const full = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= logHistoryBound;
  await condition(full, Math.max(1, keptUntil - Date.now()), { summary: `destruction log ${month}: kept until ${new Date(keptUntil).toISOString().slice(0, 10)}` });
  await condition(allHandlersFinished);
  if (full()) return continueAsNew<typeof destructionLogWorkflow>({ month, entries: [...lines.values()] });
  return { month, count: lines.size };
}

const statement = proxyActivities<Pick<EmailActivities, 'sendDestructionStatement'>>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '20 seconds',
  // A relay or a worker away: tried again, each hour at most, for the week the schedule catches up.
  scheduleToCloseTimeout: '7 days',
  retry: { initialInterval: '1 minute', backoffCoefficient: 2, maximumInterval: '1 hour' },
});

export interface DestructionStatementStart {
  /** The month to state (YYYY-MM); the month before today where absent (the schedule's run). */
  month?: string;
  timezone?: string;
}

/** The managers' statement of one month: the dossiers destroyed in it, nothing personal. */
export async function destructionStatementWorkflow({ month, timezone = 'Europe/Amsterdam' }: DestructionStatementStart = {}) {
  return statement.sendDestructionStatement({ month: month ?? monthBefore(new Date(), timezone) });
}

/** How a complaint hands its line to its month's log. */
export const destructions = proxyActivities<DestructionActivities>({
  startToCloseTimeout: '30 seconds',
  // Until it lands: the complaint ends only once its line is in the log.
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});
