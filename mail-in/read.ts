// An e-mail as klachtflow reads it: who sent it, its subject and text, the thread it answers and
// whether a machine sent it (mailparser); nothing else of the message is kept.
import { simpleParser } from 'mailparser';
import { isAutomatic } from '../domain/inbound';
import { asLine, asText } from '../domain/text-rules';

export interface ReadMessage {
  /** Its Message-ID; a message without one gets one from its content, so that it is still filed once. */
  messageId: string;
  from?: { address: string; name?: string };
  subject: string;
  /** The text as written (mailparser's text part, or the HTML's text where there is none). */
  text: string;
  /** In-Reply-To and References, in that order. */
  thread: string[];
  automatic: boolean;
  /** Its attachments (files, not the images of an HTML body), as sent. */
  attachments: { name: string; type: string; content: Buffer }[];
}

const asList = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

export async function readMessage(raw: Buffer, fallbackId: () => string): Promise<ReadMessage> {
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  const sender = parsed.from?.value.find((a) => a.address);
  const subject = asLine(parsed.subject ?? '');
  const headerOf = (name: string): string | undefined => {
    const value = parsed.headers.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  return {
    messageId: parsed.messageId?.trim() || fallbackId(),
    ...(sender?.address ? { from: { address: sender.address.toLowerCase(), ...(sender.name && asLine(sender.name) ? { name: asLine(sender.name) } : {}) } } : {}),
    subject,
    text: asText(parsed.text ?? '').trim(),
    thread: [...asList(parsed.inReplyTo), ...asList(parsed.references)],
    automatic: isAutomatic(headerOf, subject),
    attachments: parsed.attachments
      .filter((a) => !a.related)
      .map((a, i) => ({ name: asLine(a.filename ?? '') || `bijlage-${i + 1}`, type: a.contentType || 'application/octet-stream', content: a.content })),
  };
}
