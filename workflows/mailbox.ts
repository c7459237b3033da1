// One IMAP mailbox read for complaints (issue 16), as durable work: look for new messages, file
// each one in order, then wait for the next (IDLE where the server offers it, a timer otherwise).
// The last message dealt with travels in the workflow, so that after any restart the reading goes
// on where it was: nothing is skipped, and filing itself is idempotent per Message-ID.
import { ActivityFailure, ApplicationFailure, continueAsNew, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { MailboxActivities, SeenMail } from '../activities/mailboxes';

const imap = proxyActivities<MailboxActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes: ['UnknownMailbox'] },
});
const idle = proxyActivities<MailboxActivities>({
  // The longest IDLE is the mailbox's poll interval (at most an hour); a worker that dies is noticed by its heartbeats.
  startToCloseTimeout: '65 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', nonRetryableErrorTypes: ['UnknownMailbox'] },
});

export interface MailboxStart {
  mailbox: string;
  seen?: SeenMail;
}

/** A run looks this often before it continues as new, so that its history stays short. */
const roundsPerRun = 500;

export async function mailboxWorkflow(start: MailboxStart): Promise<void> {
  const { mailbox } = start;
  let seen = start.seen;
  try {
    for (let round = 0; round < roundsPerRun && !workflowInfo().continueAsNewSuggested; round++) {
      const news = await imap.newMail({ mailbox, ...(seen ? { seen } : {}) });
      for (const uid of news.uids) {
        await imap.fileMessage({ mailbox, uidValidity: news.uidValidity, uid });
        seen = { uidValidity: news.uidValidity, lastUid: uid };
      }
      if (news.uids.length) continue;
      if (news.idle) await idle.waitForMail({ mailbox, ...(seen ? { seen } : {}) });
      else await sleep(news.pollSeconds * 1000);
    }
  } catch (err) {
    // The mailbox left the configuration: its reading ends.
    if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure && err.cause.type === 'UnknownMailbox') return;
    throw err;
  }
  await continueAsNew<typeof mailboxWorkflow>({ mailbox, ...(seen ? { seen } : {}) });
}
