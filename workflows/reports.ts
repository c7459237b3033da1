// A procedure's report to its managers (issue 15): started by the procedure's Schedule on each of
// a new period's first seven days at 09:00; the activity sends on the first working day only.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { EmailActivities } from '../activities/email';

export interface PeriodReportStart {
  procedure: string;
  /** The period to send (2026-Q4, 2026) whatever the day; absent: the one just ended, on its first working day. */
  period?: string;
  /** The moment the report is for; absent: the schedule's time (a run that catches up keeps its day), else the start. */
  at?: string;
}

const scheduledStart = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

const report = proxyActivities<Pick<EmailActivities, 'sendPeriodReport'>>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '20 seconds',
  // A relay or a worker away: tried again, each hour at most, for the week the schedule catches up.
  scheduleToCloseTimeout: '7 days',
  retry: { initialInterval: '1 minute', backoffCoefficient: 2, maximumInterval: '1 hour' },
});

export async function periodReportWorkflow({ procedure, period, at }: PeriodReportStart) {
  const moment = at ?? (workflowInfo().typedSearchAttributes.get(scheduledStart) ?? workflowInfo().startTime).toISOString();
  return report.sendPeriodReport({ procedure, at: moment, ...(period ? { period } : {}) });
}
