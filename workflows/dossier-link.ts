// A complainant's dossier link, asked for again on /dossier/nieuwe-link (issue 17) and e-mailed
// by the worker like every other e-mail. The complaint's own workflow is not touched: the link is
// the one it would send now (its generation; view-only once closed), and the earlier links stay.
import { proxyActivities } from '@temporalio/workflow';
import type { ComplainantEmail, EmailActivities, LetterText, SentEmail } from '../activities/email';

const mail = proxyActivities<Pick<EmailActivities, 'sendRequestedLink'>>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: '20 seconds',
  // Asked for by someone waiting for it: tried for an hour, then they ask again.
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes' },
});

export async function dossierLinkWorkflow(input: ComplainantEmail): Promise<SentEmail | LetterText> {
  return mail.sendRequestedLink(input);
}
