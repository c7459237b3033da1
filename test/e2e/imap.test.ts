import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { ImapMailbox } from '../../config/imap';
import { ensureMailboxReaders } from '../../config/imap';
import { calendarFor } from '../../domain/calendar';
import { computeDeadlines } from '../../domain/deadlines';
import type { Dossier } from '../../domain/dossier';
import { dossierQuery } from '../../domain/messages';
import { workflowIdFor } from '../../domain/reference';
import { ImapServer } from '../support/imap-server';
import { MailSink } from '../support/mail-sink';
import { devServerEnvironment, testKeyRing } from '../support/temporal';
import { procedures, startTestWorker } from '../support/worker';

// Complaints read from a real IMAP mailbox (issue 16): Debian's Dovecot, started here with its own
// configuration, read by the mailbox workflow on a dev server with the real worker. A Babbage
// "klacht" message becomes a complaint whose terms run from the moment it reached the mailbox
// (its INTERNALDATE), and is moved to Verwerkt; a message without the word is left alone; an
// attempt that ended between filing and moving (as a killed worker's would) files it once; an
// answer to the receipt lands in the correspondence.
describe('complaints from an IMAP mailbox (Dovecot)', () => {
  let imap: ImapServer;
  let env: TestWorkflowEnvironment;
  let mail: MailSink;
  let worker: Worker;
  let running: Promise<void>;
  /** The next message's attempt ends between filing and moving, once. */
  let endNextAttempt = false;
  const ended: number[] = [];

  beforeAll(async () => {
    [imap, env, mail] = await Promise.all([ImapServer.start(), devServerEnvironment(), MailSink.start()]);
    const mailboxes: ImapMailbox[] = [
      { id: 'babbage-info', procedure: 'babbage', host: '127.0.0.1', port: imap.port, secure: false, user: imap.user, password: imap.password, folder: 'INBOX', processedFolder: 'Verwerkt', pollSeconds: 5 },
    ];
    worker = await startTestWorker(env.nativeConnection, env.namespace ?? 'default', mail.url, testKeyRing, {
      imapMailboxes: mailboxes,
      beforeMove: (_mailbox, uid) => {
        if (!endNextAttempt) return Promise.resolve();
        endNextAttempt = false;
        ended.push(uid);
        return Promise.reject(new Error('the worker died here'));
      },
    });
    running = worker.run();
    expect(await ensureMailboxReaders(env.client, mailboxes)).toEqual(['mailbox-babbage-info']);
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await Promise.all([env?.teardown(), mail?.stop(), imap?.stop()]);
  });

  const message = (headers: Record<string, string>, body: string) =>
    `${Object.entries({ 'MIME-Version': '1.0', 'Content-Type': 'text/plain; charset=utf-8', ...headers })
      .map(([k, v]) => `${k}: ${v}`)
      .join('\r\n')}\r\n\r\n${body}\r\n`;
  const dossierOf = (reference: string) => env.client.workflow.getHandle(workflowIdFor(reference)).query(dossierQuery);
  async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const receiptTo = (address: string) => mail.waitFor((m) => (m.subject ?? '').startsWith('Ontvangstbevestiging van uw klacht') && mail.to(address).includes(m), 30_000);
  const referenceOf = (subject: string | undefined) => /KL-\d{4}-[0-9A-Z]{6}/.exec(subject ?? '')![0];

  it('files a Babbage "klacht" message as a complaint received when it reached the mailbox, moves it to Verwerkt, and leaves one without the word alone', async () => {
    // It reached the mailbox two hours ago, at a whole second (IMAP keeps no milliseconds).
    const arrived = new Date(Math.floor((Date.now() - 2 * 3600_000) / 1000) * 1000);
    await imap.deliver(message({ From: 'Vraagsteller <vraag@example.nl>', To: 'info@babbage.nl', Subject: 'Vraag over de planning', 'Message-ID': '<vraag@example.nl>' }, 'Wanneer begint de cursus?'), arrived);
    await imap.deliver(message({ From: 'Jan Jansen <jan@example.nl>', To: 'info@babbage.nl', Subject: 'Klacht over de training', 'Message-ID': '<klacht-imap-1@example.nl>' }, 'De trainer was er niet.'), arrived);

    const reference = referenceOf((await receiptTo('jan@example.nl')).subject);
    const dossier = await dossierOf(reference);
    expect(dossier.complaint).toMatchObject({ channel: 'email', complainant: { name: 'Jan Jansen', email: 'jan@example.nl' }, description: 'De trainer was er niet.' });
    expect(dossier.receivedAt).toBe(arrived.toISOString());
    const babbage = procedures.get('babbage')!;
    expect(dossier.terms.firstContact?.date).toBe(computeDeadlines(babbage, calendarFor(babbage), { receivedAt: arrived }).deadlines.firstContact?.date);

    await until('the move to Verwerkt', async () => ((await imap.subjects('Verwerkt')).includes('Klacht over de training') ? true : undefined));
    expect(await imap.subjects('INBOX')).toEqual(['Vraag over de planning']);
    expect(mail.to('vraag@example.nl')).toEqual([]);
  });

  it('files a message once when the attempt that filed it ended before the move, as a killed worker would', async () => {
    endNextAttempt = true;
    await imap.deliver(message({ From: 'Els <els@example.nl>', To: 'info@babbage.nl', Subject: 'Klacht: factuur', 'Message-ID': '<klacht-imap-2@example.nl>' }, 'De factuur is te hoog.'), new Date());
    await until('the move to Verwerkt', async () => ((await imap.subjects('Verwerkt')).includes('Klacht: factuur') ? true : undefined), 60_000);
    expect(ended).toHaveLength(1);
    const receipt = await receiptTo('els@example.nl');
    // Filed by the attempt that ended and by the one after it: one complaint, one receipt.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(mail.to('els@example.nl').filter((m) => (m.subject ?? '').startsWith('Ontvangstbevestiging'))).toHaveLength(1);
    expect((await dossierOf(referenceOf(receipt.subject))).complaint.mail?.messageId).toBe('<klacht-imap-2@example.nl>');
    expect(await imap.subjects('INBOX')).toEqual(['Vraag over de planning']);
  });

  it('files an answer to the receipt in its complaint\'s correspondence', async () => {
    const receipt = await receiptTo('jan@example.nl');
    const reference = referenceOf(receipt.subject);
    await imap.deliver(
      message({ From: 'Jan Jansen <jan@example.nl>', To: 'info@babbage.nl', Subject: `Re: ${receipt.subject}`, 'Message-ID': '<antwoord-imap-1@example.nl>', 'In-Reply-To': receipt.messageId! }, 'Ik ben dinsdag bereikbaar.'),
      new Date(),
    );
    const dossier = await until<Dossier>('the answer in the dossier', async () => {
      const d = await dossierOf(reference);
      return d.correspondence.some((c) => c.status === 'received') ? d : undefined;
    });
    expect(dossier.correspondence.find((c) => c.status === 'received')).toMatchObject({ from: { complainant: true }, text: 'Ik ben dinsdag bereikbaar.' });
    await until('the move to Verwerkt', async () => ((await imap.subjects('Verwerkt')).includes(`Re: ${receipt.subject}`) ? true : undefined));
  });
});
