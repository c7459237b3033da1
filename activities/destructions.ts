// A complaint's line in its month's destruction log: a signal, starting the log if it is the
// month's first. Through the worker's own client (the codec encrypts the line as everything else).
import { Context } from '@temporalio/activity';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { type DestructionEntry, destroyedSignal, destructionLogId, destructionsQuery, monthOf } from '../domain/destruction';
import { taskQueue } from '../domain/messages';
import type { destructionLogWorkflow } from '../workflows/destructions';

export async function recordInLog(client: Client, entry: DestructionEntry): Promise<{ month: string }> {
  const month = monthOf(entry.destroyOn);
  await client.workflow.signalWithStart<typeof destructionLogWorkflow, [DestructionEntry]>('destructionLogWorkflow', {
    workflowId: destructionLogId(month),
    taskQueue,
    args: [{ month }],
    signal: destroyedSignal,
    signalArgs: [entry],
  });
  return { month };
}

/** The lines of a month's log; none where no dossier was destroyed that month (no log was started). */
export async function destructionsIn(client: Client, month: string): Promise<DestructionEntry[]> {
  try {
    return await client.workflow.getHandle(destructionLogId(month)).query(destructionsQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError || (err as { cause?: unknown }).cause instanceof WorkflowNotFoundError) return [];
    throw err;
  }
}

export function createDestructionActivities() {
  return {
    recordDestruction: (entry: DestructionEntry): Promise<{ month: string }> => recordInLog(Context.current().client, entry),
  };
}

export type DestructionActivities = ReturnType<typeof createDestructionActivities>;
