// Files an e-mail that reached one of our mailboxes (issue 16): an answer joins its complaint's
// correspondence, a complaint by the mailbox's rule starts one, received when the message arrived.
// Both are idempotent per Message-ID, so a message handed over twice (an SMTP retry, an IMAP
// poller restarted mid-message) is filed once. What it logs names no person.
import { createHash } from 'node:crypto';
import type { ComplaintService } from '../api/complaints';
import { HttpProblem } from '../api/problem';
import { limits } from '../domain/actions/define';
import type { InboundMail } from '../domain/complaint';
import { type CompletableField, complainantSchema, completableFields } from '../domain/complaint';
import { type InboundRoute, referenceOfMessageId, routeInbound } from '../domain/inbound';
import type { Procedure } from '../domain/procedure';
import type { AttachmentStore } from '../codec/attachments';
import { type AttachmentRef, attachmentRefusal } from '../domain/attachments';
import { type ReadMessage, readMessage } from './read';

/** Where a message went. */
export type Filed =
  | { kind: 'complaint'; reference: string; procedure: string }
  | { kind: 'reply'; reference: string; automatic: boolean }
  /** A delivery status notification: our e-mail is on record as undelivered, the handler told. */
  | { kind: 'bounce'; reference: string }
  /** A notification about an e-mail that is not ours, or not (or no longer) on record as sent. */
  | { kind: 'stray-bounce' }
  /** The same message again: it is on file already. */
  | { kind: 'duplicate'; reference: string }
  | Exclude<InboundRoute, { kind: 'reply' } | { kind: 'complaint' }>
  /** A complaint without a sender to answer. */
  | { kind: 'no-sender' };

export interface Arrival {
  /** The addresses it was delivered to. */
  recipients: readonly string[];
  /** When it reached the mailbox: the terms run from here. */
  arrivedAt: Date;
  auth?: InboundMail['auth'];
}

export interface MailFilerDependencies {
  complaints: Pick<ComplaintService, 'start' | 'act'>;
  procedures: ReadonlyMap<string, Procedure>;
  /** Where the attachments go, encrypted. */
  attachments: AttachmentStore;
}

const sha256 = (value: string | Buffer): string => createHash('sha256').update(value).digest('hex');
const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

export type MailFiler = (raw: Buffer, arrival: Arrival) => Promise<Filed>;

export function mailFiler({ complaints, procedures, attachments }: MailFilerDependencies): MailFiler {
  /** Stores what may be kept, under ids made from the message, so that a repeat stores the same files again. */
  const keep = async (message: ReadMessage): Promise<AttachmentRef[]> => {
    const refs: AttachmentRef[] = [];
    for (const [i, file] of message.attachments.entries()) {
      const listed = { name: clip(file.name, 255), type: clip(file.type, 255), size: file.content.length };
      const refused = attachmentRefusal(file.name, file.type, file.content.length);
      if (refused) {
        refs.push({ ...listed, refused });
        continue;
      }
      const id = sha256(`${message.messageId}:${i}`).slice(0, 32);
      await attachments.put(id, file.content);
      refs.push({ id, ...listed });
    }
    return refs;
  };

  return async (raw, arrival) => {
    const message = await readMessage(raw, () => `<${sha256(raw)}@klachtflow.invalid>`);
    // One key per message: a repeat lands once, both as a complaint and as an answer.
    const key = `mail:${sha256(message.messageId)}`;
    if (message.bounce) {
      const reference = referenceOfMessageId(message.bounce.messageId);
      if (!reference) return { kind: 'stray-bounce' };
      try {
        await complaints.act(reference, 'mailBounced', { actor: { kind: 'mailbox' }, input: message.bounce }, { idempotencyKey: key, view: 'staff', language: 'en' });
        return { kind: 'bounce', reference };
      } catch (err) {
        if (err instanceof HttpProblem && (err.problem.status === 404 || err.problem.code === 'NoSuchMail')) return { kind: 'stray-bounce' };
        throw err;
      }
    }
    const facts = { recipients: arrival.recipients, subject: message.subject, thread: message.thread, automatic: message.automatic };
    let route = routeInbound(facts, procedures.values());
    // Stored once, whichever way the message is filed (an answer to a gone complaint is filed again as a new one).
    let kept: Promise<AttachmentRef[]> | undefined;
    const stored = () => (kept ??= keep(message));

    if (route.kind === 'reply') {
      const { reference, matchedBy } = route;
      if (!message.from) return { kind: 'no-sender' };
      const files = await stored();
      const input = {
        messageId: message.messageId,
        from: message.from.address,
        ...(message.from.name ? { fromName: clip(message.from.name, limits.line) } : {}),
        subject: clip(message.subject, 998),
        ...(message.text ? { text: clip(message.text, limits.long) } : {}),
        receivedAt: arrival.arrivedAt.toISOString(),
        matchedBy,
        automatic: message.automatic,
        ...(arrival.auth ? { auth: arrival.auth } : {}),
        ...(files.length ? { attachments: files } : {}),
      };
      try {
        await complaints.act(reference, 'receiveMail', { actor: { kind: 'mailbox' }, input }, { idempotencyKey: key, view: 'staff', language: 'en' });
        return { kind: 'reply', reference, automatic: message.automatic };
      } catch (err) {
        if (!(err instanceof HttpProblem)) throw err;
        if (err.problem.code === 'MailAlreadyReceived') return { kind: 'duplicate', reference };
        if (err.problem.status !== 404) throw err;
        // No such complaint (any more): the message is judged by the mailbox's rule, as any other.
        route = routeInbound({ ...facts, thread: [], subject: message.subject.replace(reference, '') }, procedures.values());
      }
    }
    if (route.kind !== 'complaint') return route as Filed;

    const procedure = procedures.get(route.procedure)!;
    const complainant = complainantSchema.safeParse({ email: message.from?.address, ...(message.from?.name ? { name: clip(message.from.name, 200) } : {}) });
    if (!complainant.success) return { kind: 'no-sender' };
    const files = await stored();
    // What the procedure requires and an e-mail cannot give (Gooiconsult's address): the receipt asks for it.
    const given = new Set<string>(['email', 'description', ...(complainant.data.name ? ['name'] : [])]);
    const incomplete = completableFields.filter((f: CompletableField) => procedure.intake.requiredFields.includes(f) && !given.has(f));
    const reference = await complaints.start(
      {
        procedure: procedure.id,
        complainant: complainant.data,
        description: clip(message.text || message.subject || '-', limits.long),
        channel: 'email',
        receivedAt: arrival.arrivedAt.toISOString(),
        language: procedure.language,
        mail: { messageId: message.messageId, ...(arrival.auth ? { auth: arrival.auth } : {}) },
        ...(files.length ? { attachments: files } : {}),
        ...(incomplete.length ? { incomplete } : {}),
      },
      key,
    );
    return { kind: 'complaint', reference, procedure: procedure.id };
  };
}
