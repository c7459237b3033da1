// A back-office sign-in link, e-mailed by the worker like every other e-mail. The input holds the
// staff id and the link's random half, never the link: that needs LINK_SECRET (activities/email.ts).
import { proxyActivities } from '@temporalio/workflow';
import type { EmailActivities, SentEmail, SignInEmail } from '../activities/email';

const mail = proxyActivities<Pick<EmailActivities, 'sendSignInLink'>>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: '20 seconds',
  // A link that arrives after it expired is of no use: tried for as long as it works.
  scheduleToCloseTimeout: '15 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes' },
});

export async function staffSignInWorkflow(input: SignInEmail): Promise<SentEmail> {
  return mail.sendSignInLink(input);
}
