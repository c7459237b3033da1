// Where an e-mail that reached one of our mailboxes belongs (issue 16): an answer in a complaint's
// thread, a new complaint for the procedure whose mailbox it reached, or neither. Pure: the SMTP
// listener and the IMAP poller both ask this, with what they read of the message.
import type { Procedure } from './procedure';

/** What routing needs of a message: its recipients, subject and thread, and whether a machine sent it. */
export interface InboundFacts {
  /** The addresses it was delivered to (SMTP: the envelope's RCPT TO; IMAP: the mailbox's own). */
  recipients: readonly string[];
  subject: string;
  /** In-Reply-To and References: the Message-IDs it answers. */
  thread: readonly string[];
  /** Sent by a machine (RFC 3834 Auto-Submitted, an out-of-office): recorded, never answered. */
  automatic: boolean;
}

export type InboundRoute =
  /** An answer to one of our e-mails (by its thread) or naming a complaint (by its subject). */
  | { kind: 'reply'; reference: string; matchedBy: 'thread' | 'subject' }
  /** A new complaint for the procedure whose mailbox it reached. */
  | { kind: 'complaint'; procedure: string }
  /** It reached a procedure's mailbox, but the rule says it is no complaint (no "klacht" in the subject). */
  | { kind: 'not-a-complaint'; procedure: string; rule: string }
  /** A machine's message (an out-of-office) in no complaint's thread: nothing to file. */
  | { kind: 'automatic' }
  /** None of our mailboxes. */
  | { kind: 'unknown-recipient' };

const reference = /KL-\d{4}-[0-9A-HJKMNP-TV-Z]{6}/;
/** Our Message-IDs are `<KL-2026-7QK2MD.<step>@<domain>>` (activities/email.ts): the complaint is in the id. */
const ourMessageId = /^<?(KL-\d{4}-[0-9A-HJKMNP-TV-Z]{6})\.[\w-]+@[^>\s]+>?$/;

/** The complaint a Message-ID of ours belongs to. */
export function referenceOfMessageId(messageId: string): string | undefined {
  return ourMessageId.exec(messageId.trim())?.[1];
}

/** A reference the subject names (`[KL-2026-7QK2MD]`, or as our subjects carry it). */
export function referenceInSubject(subject: string): string | undefined {
  return reference.exec(subject)?.[0];
}

/**
 * Sent by a machine: `Auto-Submitted` other than `no` (RFC 3834), the older `X-Autoreply` and
 * `X-Autorespond`, `Precedence: auto_reply, bulk or junk`, or an out-of-office's own subject.
 */
export function isAutomatic(headerOf: (name: string) => string | undefined, subject: string): boolean {
  const header = (name: string) => headerOf(name)?.trim().toLowerCase();
  const submitted = header('auto-submitted');
  if (submitted !== undefined && submitted !== 'no') return true;
  if (header('x-autoreply') !== undefined || header('x-autorespond') !== undefined) return true;
  if (['auto_reply', 'bulk', 'junk'].includes(header('precedence') ?? '')) return true;
  return /^(automatisch antwoord|automatic reply|auto(matic)?[- ]?reply|out of office|afwezig)\b/i.test(subject.trim());
}

/** The procedure whose mailbox has one of these addresses. */
export function procedureOfRecipients(procedures: Iterable<Procedure>, recipients: readonly string[]): Procedure | undefined {
  const wanted = new Set(recipients.map((r) => r.trim().toLowerCase()));
  for (const procedure of procedures) if (procedure.mailbox?.addresses.some((a) => wanted.has(a))) return procedure;
  return undefined;
}

/** Where the message belongs: its thread first, then its subject, then the mailbox's rule. */
export function routeInbound(facts: InboundFacts, procedures: Iterable<Procedure>): InboundRoute {
  const threaded = facts.thread.map(referenceOfMessageId).find((r) => r !== undefined);
  if (threaded) return { kind: 'reply', reference: threaded, matchedBy: 'thread' };
  const named = referenceInSubject(facts.subject);
  if (named) return { kind: 'reply', reference: named, matchedBy: 'subject' };
  const procedure = procedureOfRecipients(procedures, facts.recipients);
  if (!procedure) return { kind: 'unknown-recipient' };
  if (facts.automatic) return { kind: 'automatic' };
  const word = procedure.mailbox!.subjectContains;
  if (word && !facts.subject.toLocaleLowerCase('nl').includes(word.toLocaleLowerCase('nl'))) return { kind: 'not-a-complaint', procedure: procedure.id, rule: `the subject holds "${word}"` };
  return { kind: 'complaint', procedure: procedure.id };
}
