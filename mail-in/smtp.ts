// The second way in (issue 16): an SMTP listener for a forwarding rule or an MX record. It takes
// mail for the procedures' mailbox addresses only, refuses a message over the size limit with a
// clear bounce, records the sender's SPF, DKIM and DMARC verdict (mailauth), and answers 250 only
// once the message is filed in Temporal: anything else is 4xx (try again) or 5xx (a bounce that
// says why), so no message is ever taken and then lost.
import { Resolver } from 'node:dns/promises';
import { hostname } from 'node:os';
import { authenticate } from 'mailauth';
import type { Logger } from 'pino';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { type InboundMail, type MailAuthVerdict, mailAuthVerdicts } from '../domain/complaint';
import type { Procedure } from '../domain/procedure';
import { HttpProblem } from '../api/problem';
import type { MailFiler } from './file';

export interface MailListenerOptions {
  port: number;
  host?: string;
  /** The largest message taken, in bytes (SIZE, RFC 1870). */
  maxBytes: number;
  /** STARTTLS where a key and certificate are given. */
  tls?: { key: Buffer; cert: Buffer };
  procedures: ReadonlyMap<string, Procedure>;
  /** Addresses our e-mail is sent from (MAIL_FROM's): delivery status notifications come back to them. */
  bounceAddresses?: readonly string[];
  file: MailFiler;
  /** The DNS lookups of SPF, DKIM and DMARC; the system's resolver, each lookup bounded, where absent. */
  resolver?: (domain: string, rrtype: string) => Promise<string[][] | string[]>;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

export interface MailListener {
  port: number;
  stop(): Promise<void>;
}

type SmtpError = Error & { responseCode: number };
const smtpError = (responseCode: number, message: string): SmtpError => Object.assign(new Error(message), { responseCode });

/** mailauth's result word as the dossier keeps it: one of the RFC 8601 words. */
const verdictOf = (result: string | undefined): MailAuthVerdict => {
  if (result === 'temperr') return 'temperror';
  return mailAuthVerdicts.find((v) => v === result) ?? 'none';
};

/** The system's resolver, one try of two seconds per lookup: a missing DNS makes the verdict `temperror`, not a hang. */
function boundedResolver(): (domain: string, rrtype: string) => Promise<string[][] | string[]> {
  const resolver = new Resolver({ timeout: 2_000, tries: 1 });
  return (domain, rrtype) => resolver.resolve(domain, rrtype) as Promise<string[][] | string[]>;
}

export async function startMailListener(options: MailListenerOptions): Promise<MailListener> {
  const { procedures, file, logger, maxBytes } = options;
  const mailboxes = new Set([
    ...[...procedures.values()].flatMap((p) => [...(p.mailbox?.addresses ?? []), ...(p.mailbox?.from ? [p.mailbox.from] : [])]),
    ...(options.bounceAddresses ?? []).map((a) => a.toLowerCase()),
  ]);
  const resolver = options.resolver ?? boundedResolver();
  const megabytes = Math.floor(maxBytes / (1024 * 1024));

  const verify = async (raw: Buffer, session: SMTPServerSession): Promise<InboundMail['auth']> => {
    try {
      const sender = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
      const result = await authenticate(raw, { ip: session.remoteAddress, helo: session.hostNameAppearsAs, sender, mta: hostname(), resolver, disableArc: true, disableBimi: true });
      const dkim = result.dkim.results.some((r) => r.status.result === 'pass') ? 'pass' : verdictOf(result.dkim.results[0]?.status.result);
      return { spf: result.spf ? verdictOf(result.spf.status.result) : 'none', dkim, dmarc: result.dmarc ? verdictOf(result.dmarc.status.result) : 'none' };
    } catch (err) {
      // The error's code only: its message may name the sender's domain.
      logger.warn({ code: (err as { code?: unknown }).code ?? 'unknown' }, 'mail-in: sender checks failed; the message is filed without a verdict');
      return undefined;
    }
  };

  const server = new SMTPServer({
    name: hostname(),
    banner: 'klachtflow mail intake',
    size: maxBytes,
    authOptional: true,
    // Without a key and certificate of our own, no STARTTLS at all (not the library's built-in test certificate).
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert, disabledCommands: ['AUTH'] } : { disabledCommands: ['AUTH', 'STARTTLS'] }),
    logger: false,
    onRcptTo(address, _session, callback) {
      if (mailboxes.has(address.address.toLowerCase())) return callback();
      callback(smtpError(550, '5.1.1 No complaint mailbox here: this server takes complaints for the organisations it serves only'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let bytes = 0;
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        // Past the limit nothing more is kept; the rest is read and dropped, then refused.
        if (bytes <= maxBytes) chunks.push(chunk);
      });
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          logger.info({ bytes }, 'mail-in: refused a message over the size limit');
          return callback(smtpError(552, `5.3.4 Message too large: at most ${megabytes} MB (attachments included). Bericht te groot: ten hoogste ${megabytes} MB.`));
        }
        const arrivedAt = new Date();
        const raw = Buffer.concat(chunks);
        void (async () => {
          const auth = await verify(raw, session);
          const recipients = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
          const filed = await file(raw, { recipients, arrivedAt, ...(auth ? { auth } : {}) });
          logger.info({ filed: filed.kind, ...('reference' in filed ? { reference: filed.reference } : {}), ...('procedure' in filed ? { procedure: filed.procedure } : {}) }, 'mail-in: message filed');
          if (filed.kind === 'not-a-complaint') {
            return callback(smtpError(550, `5.7.1 This address takes complaints only (${filed.rule}). Dit adres neemt alleen klachten aan: vermeld het woord in het onderwerp.`));
          }
          if (filed.kind === 'no-sender') return callback(smtpError(550, '5.1.7 No sender address to answer the complaint at. Geen afzender om de klacht te beantwoorden.'));
          callback(null, filed.kind === 'complaint' ? `Filed as complaint ${filed.reference}` : 'Filed');
        })().catch((err: unknown) => {
          // Temporal away, or anything else: the sender's server tries again later; nothing is lost.
          const cause = err instanceof HttpProblem ? { status: err.problem.status, title: err.problem.title } : { code: (err as { code?: unknown }).code ?? (err instanceof Error ? err.name : 'unknown') };
          // The complaint refuses it for good (full, closed to it): a bounce that says so, not endless retries.
          if (err instanceof HttpProblem && (err.problem.status === 409 || err.problem.status === 422)) {
            logger.warn(cause, 'mail-in: the complaint refuses the message');
            return callback(smtpError(550, `5.7.0 The complaint cannot take this message (${typeof err.problem.code === 'string' ? err.problem.code : err.problem.title}). De klacht kan dit bericht niet aannemen.`));
          }
          logger.error(cause, 'mail-in: could not file a message now; the sender will retry');
          callback(smtpError(451, '4.3.0 Cannot file the message now; try again later'));
        });
      });
    },
  });
  server.on('error', (err) => logger.warn({ err: err.message }, 'mail-in: SMTP session error'));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { port, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
