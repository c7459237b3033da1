// What an e-mail that came in does to the complaint: it joins the correspondence as it was
// written, and the handler hears of it, unless a machine sent it (an out-of-office answers nothing).
import { patched } from '@temporalio/workflow';
import type { mailboxActions } from '../../domain/actions/mailbox';
import { openSuspension } from '../../domain/lifecycle';
import { activityOfStep, undelivered } from '../outbox';
import { resume } from '../suspension';
import type { Effects } from './effect';

export const mailboxEffects: Effects<keyof typeof mailboxActions> = {
  async receiveMail(state, { messageId, from, fromName, subject, text, receivedAt, matchedBy, automatic, auth, attachments }, { mail, deadlines }) {
    // Since 1.5 (issue 16): no earlier history has an e-mail come in.
    patched('mail-in');
    const { dossier } = state;
    const at = new Date(receivedAt).toISOString();
    // A sender other than the complainant's address, found by the reference in the subject alone: on file, for staff to judge.
    const complainant = from.toLowerCase() === dossier.complaint.complainant.email?.toLowerCase();
    const id = dossier.correspondence.push({
      at,
      to: 'staff',
      step: `mail-in-${dossier.correspondence.length}`,
      status: 'received',
      subject,
      ...(text ? { text } : {}),
      messageId,
      from: { complainant, ...(complainant ? {} : { address: from }), ...(fromName ? { name: fromName } : {}) },
      ...(automatic ? { automatic } : {}),
      ...(auth ? { auth } : {}),
      ...(attachments?.length ? { attachments } : {}),
    }) - 1;
    state.record(complainant ? 'complainant' : 'mailbox', automatic ? 'auto-reply-received' : 'mail-received', { at, detail: `${matchedBy}${complainant ? '' : ', other sender'}`, internal: !complainant });
    if (!automatic) mail.mailReceived(id, complainant);
    // The complainant's own answer to an open question (issue 17): the suspended terms run on.
    if (complainant && !automatic && openSuspension(dossier)) await resume(state, 'answered', 'complainant', { mail, deadlines });
  },
  mailBounced(state, { messageId, status }, { mail }) {
    // Since 1.5 (issue 16): a bounce that came back later, as a 5xx at sending does at once.
    patched('mail-bounced');
    const id = state.dossier.correspondence.findIndex((c) => c.messageId === messageId && c.to === 'complainant');
    const entry = state.dossier.correspondence[id]!;
    undelivered(state, id, `${entry.step} bounced (${status})`);
    mail.undeliverable(activityOfStep(entry.step), status);
  },
};
