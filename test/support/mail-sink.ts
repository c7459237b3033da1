import type { AddressInfo, Socket } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** How the server misbehaves on purpose: refusing every sender as a relay would (554), or never answering after DATA. */
export interface SinkFaults {
  relayRefuses?: number;
  hangAfterData?: boolean;
}

/** An e-mail as the sink took it: parsed, with the moment it answered 250. */
export type ReceivedMail = ParsedMail & { arrivedAt: number };

/** A real SMTP server on a free loopback port that keeps every e-mail it receives, parsed. */
export class MailSink {
  private server!: SMTPServer;
  port = 0;
  readonly messages: ReceivedMail[] = [];
  private readonly waiters: (() => void)[] = [];
  /** Recipients this server refuses, with the SMTP code it answers (550: for good; 450: try later). */
  readonly refuse = new Map<string, number>();
  readonly faults: SinkFaults = {};
  /** Connections open now, and the most there were at once. */
  readonly connections = { open: 0, most: 0 };
  /** Sessions a sender ended by resetting the connection. */
  resets = 0;

  private constructor() {}

  static async start(): Promise<MailSink> {
    const sink = new MailSink();
    await sink.listen(0);
    return sink;
  }

  private async listen(port: number): Promise<void> {
    const { messages, waiters, refuse, faults, connections } = this;
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      // Long enough for any test; a hung DATA stays hung.
      socketTimeout: 10 * 60_000,
      onMailFrom(_address, _session, callback) {
        if (faults.relayRefuses === undefined) return callback();
        callback(Object.assign(new Error('relaying denied: authentication required'), { responseCode: faults.relayRefuses }));
      },
      onRcptTo(address, _session, callback) {
        const code = refuse.get(address.address);
        if (code === undefined) return callback();
        callback(Object.assign(new Error(`mailbox ${code >= 500 ? 'unavailable' : 'busy, try later'}`), { responseCode: code }));
      },
      onData(stream, _session, callback) {
        // A server that takes the message and never answers: the client must give up by itself.
        if (faults.hangAfterData) return void stream.resume();
        simpleParser(stream)
          .then((mail) => {
            messages.push(Object.assign(mail, { arrivedAt: Date.now() }));
            for (const wake of waiters.splice(0)) wake();
            callback();
          })
          .catch(callback);
      },
    });
    // Counted at the socket: every TCP connection, from its opening to its close.
    // A sender that vanishes mid-session (the fault suite SIGKILLs workers) resets its socket: that
    // is the sender's fault, counted, not an error of the test (unhandled, it failed the whole suite).
    this.server.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') throw err;
      this.resets++;
    });
    this.server.server.on('connection', (socket: Socket) => {
      connections.most = Math.max(connections.most, ++connections.open);
      socket.once('close', () => connections.open--);
    });
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Stops listening: every new connection is refused until `resume`, on the same port. */
  pause(): void {
    // The listener closes at once; connections open already end by themselves.
    this.server.server.close();
  }


  resume(): Promise<void> {
    return this.listen(this.port);
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
