// Files an e-mail that reached one of our mailboxes (issue 16): an answer joins its complaint's
// correspondence, a complaint by the mailbox's rule starts one, received when the message arrived.
// Both are idempotent per Message-ID, so a message handed over twice (an SMTP retry, an IMAP
// poller restarted mid-message) is filed once. What it logs names no person.
import { createHash } from 'node:crypto';
import type { ComplaintService } from '../api/complaints';
import { HttpProblem } from '../api/problem';
import { limits } from '../domain/actions/define';
import type { InboundMail } from '../domain/complaint';
import { complainantSchema } from '../domain/complaint';
import { type InboundRoute, routeInbound } from '../domain/inbound';
import type { Procedure } from '../domain/procedure';
import { readMessage } from './read';

/** Where a message went. */
export type Filed =
  | { kind: 'complaint'; reference: string; procedure: string }
  | { kind: 'reply'; reference: string; automatic: boolean }
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
}

const sha256 = (value: string | Buffer): string => createHash('sha256').update(value).digest('hex');
const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

export type MailFiler = (raw: Buffer, arrival: Arrival) => Promise<Filed>;

export function mailFiler({ complaints, procedures }: MailFilerDependencies): MailFiler {
  return async (raw, arrival) => {
    const message = await readMessage(raw, () => `<${sha256(raw)}@klachtflow.invalid>`);
    // One key per message: a repeat lands once, both as a complaint and as an answer.
    const key = `mail:${sha256(message.messageId)}`;
    const facts = { recipients: arrival.recipients, subject: message.subject, thread: message.thread, automatic: message.automatic };
    let route = routeInbound(facts, procedures.values());

    if (route.kind === 'reply') {
      const { reference, matchedBy } = route;
      if (!message.from) return { kind: 'no-sender' };
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
    const reference = await complaints.start(
      {
        procedure: procedure.id,
        complainant: complainant.data,
        description: clip(message.text || message.subject || '-', limits.long),
        channel: 'email',
        receivedAt: arrival.arrivedAt.toISOString(),
        language: procedure.language,
        mail: { messageId: message.messageId, ...(arrival.auth ? { auth: arrival.auth } : {}) },
      },
      key,
    );
    return { kind: 'complaint', reference, procedure: procedure.id };
  };
}
