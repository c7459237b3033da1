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
  /** A delivery status notification (RFC 3464) that a message of ours failed: that message's id and the status. */
  bounce?: { messageId: string; status: string };
}

/** The failed message's Message-ID and status from a DSN's parts, where it says the delivery failed. */
async function bounceOf(parts: { contentType: string; content: Buffer }[], text: string): Promise<ReadMessage['bounce']> {
  // mailparser gives the machine-readable part as text (it is text/plain-like), or as a part where it does not.
  const status = parts.find((p) => p.contentType === 'message/delivery-status')?.content.toString('utf8') ?? text;
  // The per-recipient fields: only a failure counts (a "delayed" notice is not one).
  if (!/^Action:\s*failed\b/im.test(status)) return undefined;
  const code = /^Status:\s*(\d\.\d{1,3}\.\d{1,3})/im.exec(status)?.[1] ?? '5.0.0';
  const original = parts.find((p) => p.contentType === 'message/rfc822' || p.contentType === 'text/rfc822-headers');
  if (!original) return undefined;
  const messageId = (await simpleParser(original.content)).messageId;
  return messageId ? { messageId, status: code } : undefined;
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
  const isReport = parsed.headers.get('content-type') && /multipart\/report/i.test(String((parsed.headers.get('content-type') as { value?: string }).value ?? ''));
  const bounce = isReport ? await bounceOf(parsed.attachments, parsed.text ?? '') : undefined;
  return {
    ...(bounce ? { bounce } : {}),
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
