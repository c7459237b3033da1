import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on a free loopback port that keeps every e-mail it receives, parsed. */
export class MailSink {
  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
    readonly messages: ParsedMail[],
    private readonly waiters: (() => void)[],
    /** Recipients this server refuses, with the SMTP code it answers (550: for good; 450: try later). */
    readonly refuse: Map<string, number>,
  ) {}

  static async start(): Promise<MailSink> {
    const messages: ParsedMail[] = [];
    const waiters: (() => void)[] = [];
    const refuse = new Map<string, number>();
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo(address, _session, callback) {
        const code = refuse.get(address.address);
        if (code === undefined) return callback();
        callback(Object.assign(new Error(`mailbox ${code >= 500 ? 'unavailable' : 'busy, try later'}`), { responseCode: code }));
      },
      onData(stream, _session, callback) {
        simpleParser(stream)
          .then((mail) => {
            messages.push(mail);
            for (const wake of waiters.splice(0)) wake();
            callback();
          })
          .catch(callback);
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new MailSink(server, (server.server.address() as AddressInfo).port, messages, waiters, refuse);
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  to(address: string): ParsedMail[] {
    return this.messages.filter((m) => addressesOf(m).includes(address));
  }

  /** The first e-mail matching `predicate`, waiting for it up to `timeoutMs` of real time. */
  async waitFor(predicate: (mail: ParsedMail) => boolean, timeoutMs = 20_000): Promise<ParsedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`no matching e-mail within ${timeoutMs} ms; received: ${this.messages.map((m) => m.subject).join(' | ') || 'none'}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export function addressesOf(mail: ParsedMail): string[] {
  const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
  return to.flatMap((group) => group.value.map((v) => v.address ?? ''));
}
