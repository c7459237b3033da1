// What the mailbox does to a complaint (issue 16): an e-mail that came in for it, an answer by the
// complainant in its thread or naming its reference, or a machine's (an out-of-office). The mail
// intake takes these; they have no HTTP route.
import { attachmentRefSchema } from '../attachments';
import { mailAuthVerdicts } from '../complaint';
import { z } from '../lazy-zod';
import { mailboxPattern, mailboxRule } from '../text-rules';
import { action, instant, limits, line, text } from './define';

export const mailboxActions = {
  receiveMail: action({
    audience: 'mailbox',
    summary: 'An e-mail that came in for the complaint: into its correspondence; the handler is told unless a machine sent it',
    // A complainant may write after the closing too: it is on file, and staff see it.
    whenClosed: 'also',
    rate: { event: 'mail-received', perDay: 100 },
    body: () =>
      z.strictObject({
        messageId: z.string().trim().min(3).max(998),
        from: z.string().trim().max(254).regex(mailboxPattern, mailboxRule),
        fromName: line(limits.line).optional(),
        subject: z.string().trim().max(998),
        text: text(limits.long).optional(),
        /** When it reached the mailbox (SMTP arrival, IMAP INTERNALDATE), not when it was read. */
        receivedAt: instant('2026-05-12T09:10:00+02:00'),
        /** How it was found to belong here: answering one of our e-mails, or naming the reference in its subject. */
        matchedBy: z.enum(['thread', 'subject']),
        automatic: z.boolean(),
        /** The receiving server's SPF, DKIM and DMARC verdicts (mailauth), where it checked them. */
        auth: z.strictObject({ spf: z.enum(mailAuthVerdicts), dkim: z.enum(mailAuthVerdicts), dmarc: z.enum(mailAuthVerdicts) }).optional(),
        /** Its attachments: the kept ones by their id in the attachment store, the refused ones with the reason. */
        attachments: z.array(attachmentRefSchema()).max(50).optional(),
      }),
    guard: (dossier, { messageId }) => (dossier.correspondence.some((c) => c.messageId === messageId && c.from !== undefined) ? { code: 'MailAlreadyReceived' } : undefined),
  }),
  mailBounced: action({
    audience: 'mailbox',
    summary: 'A delivery status notification: an e-mail of ours to the complainant could not be delivered after all',
    whenClosed: 'also',
    rate: { event: 'mail-failed', perDay: 100 },
    body: () =>
      z.strictObject({
        /** The Message-ID of our e-mail that failed. */
        messageId: z.string().trim().min(3).max(998),
        /** The DSN's status code, such as 5.1.1. */
        status: z.string().regex(/^[245]\.\d{1,3}\.\d{1,3}$/, 'a status such as 5.1.1'),
      }),
    guard: (dossier, { messageId }) =>
      dossier.correspondence.some((c) => c.messageId === messageId && c.to === 'complainant' && c.status === 'sent') ? undefined : { code: 'NoSuchMail' },
  }),
};
