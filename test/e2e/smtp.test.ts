import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import nodemailer from 'nodemailer';
import { createEmailActivities, type SentEmail, smtpTimeouts } from '../../activities/email';
import { openSentLedger, type SentLedger } from '../../activities/sent-ledger';
import { createEmailTemplates } from '../../activities/templates';
import { MailSink } from '../support/mail-sink';
import { procedures, testStaff } from '../support/worker';

// The e-mail activity against a real SMTP server that misbehaves on purpose: each failure mode
// gets its own answer, a hung server frees the activity's slot, and a retry after a send does
// not send again.
describe('the e-mail activity against a misbehaving SMTP server', () => {
  let sink: MailSink;
  beforeAll(async () => {
    sink = await MailSink.start();
  });
  afterAll(() => sink.stop());
  afterEach(() => {
    sink.refuse.clear();
    delete sink.faults.relayRefuses;
    delete sink.faults.hangAfterData;
  });

  let ledgerDir: string;
  let ledger: SentLedger;
  beforeAll(() => {
    ledgerDir = mkdtempSync(join(tmpdir(), 'klachtflow-ledger-'));
    ledger = openSentLedger(join(ledgerDir, 'sent-mail.db'));
  });
  afterAll(() => {
    ledger.close();
    rmSync(ledgerDir, { recursive: true, force: true });
  });

  const activities = (url: string, timeouts = smtpTimeouts) =>
    createEmailActivities({
      transport: nodemailer.createTransport({ url, ...timeouts }),
      templates: createEmailTemplates(),
      procedures,
      mailFrom: 'Klachten <klachten@klachtflow.test>',
      publicBaseUrl: 'http://klachtflow.test',
      linkSecret: 'test-link-secret-0123456789abcdefghijklmnop',
      staff: testStaff,
      ledger,
    });
  // The activity's own log (a relay refusal is logged as an error) stays out of the test's output.
  const quiet = { logger: new DefaultLogger('ERROR', () => undefined) };
  const environment = (info?: ConstructorParameters<typeof MockActivityEnvironment>[0]) => new MockActivityEnvironment(info, quiet);
  const receipt = (to: string) => ({ reference: 'KL-2026-SMTP01', procedure: 'gooiconsult', language: 'nl' as const, to, receivedAt: '2026-04-24T08:15:00.000Z', step: 'receipt' });
  const failureOf = async (run: Promise<unknown>): Promise<ApplicationFailure> => {
    const err = await run.then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    return err as ApplicationFailure;
  };

  it('a recipient refused for good (550 at RCPT TO) is final, and says the step and the code only', async () => {
    sink.refuse.set('gone@example.nl', 550);
    const failure = await failureOf(environment().run(() => activities(sink.url).sendReceipt(receipt('gone@example.nl'))));
    expect(failure).toMatchObject({ type: 'SmtpRecipientRefused', nonRetryable: true, message: 'SMTP refused the receipt e-mail (550)', details: [{ step: 'receipt', code: '550' }] });
    expect(failure.message).not.toContain('gone@example.nl');
  });

  it('our relay refusing us (554 at MAIL FROM) is the operator\'s to mend: its own type, not the recipient\'s', async () => {
    sink.faults.relayRefuses = 554;
    const failure = await failureOf(environment().run(() => activities(sink.url).sendReceipt(receipt('jan@example.nl'))));
    expect(failure).toMatchObject({ type: 'SmtpRelayRefused', nonRetryable: true, details: [{ code: '554' }] });
  });

  it('"try later" (451) and a server that is not there are retried', async () => {
    sink.refuse.set('busy@example.nl', 451);
    expect(await failureOf(environment().run(() => activities(sink.url).sendReceipt(receipt('busy@example.nl'))))).toMatchObject({ type: 'SmtpTransientFailure', nonRetryable: false });
    const nobody: Server = createServer();
    await new Promise<void>((r) => nobody.listen(0, '127.0.0.1', r));
    const { port } = nobody.address() as AddressInfo;
    await new Promise<void>((r) => nobody.close(() => r()));
    const refused = await failureOf(environment().run(() => activities(`smtp://127.0.0.1:${port}`).sendReceipt(receipt('jan@example.nl'))));
    expect(refused).toMatchObject({ type: 'SmtpTransientFailure', nonRetryable: false });
    expect(refused.message).toMatch(/^SMTP could not take the receipt e-mail \(E[A-Z]+\) now$/);
  });

  it('a server that hangs after DATA gives up by itself within the socket timeout, well inside the activity\'s minute', async () => {
    expect(smtpTimeouts.socketTimeout).toBeLessThan(60_000 / 2);
    sink.faults.hangAfterData = true;
    const started = Date.now();
    const failure = await failureOf(environment().run(() => activities(sink.url, { ...smtpTimeouts, socketTimeout: 1_500 }).sendReceipt(receipt('jan@example.nl'))));
    expect(failure).toMatchObject({ type: 'SmtpTransientFailure' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a cancelled send frees its slot at once, even while the server hangs', async () => {
    sink.faults.hangAfterData = true;
    const env = environment();
    const started = Date.now();
    const sending = env.run(() => activities(sink.url).sendReceipt(receipt('jan@example.nl')));
    await new Promise((r) => setTimeout(r, 300));
    env.cancel();
    await expect(sending).rejects.toBeInstanceOf(CancelledFailure);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('records the send in a heartbeat before it reports; a retry that finds it does not send again', async () => {
    const env = environment();
    const beats: unknown[] = [];
    env.on('heartbeat', (details: unknown) => beats.push(details));
    const sent = await env.run<[], SentEmail, () => Promise<SentEmail>>(() => activities(sink.url).sendReceipt(receipt('once@example.nl')) as Promise<SentEmail>);
    // The heartbeat holds no complaint text: a retry renders the text anew.
    const { text, ...envelope } = sent;
    expect(text).toContain('?token=…');
    expect(beats.at(-1)).toEqual({ sent: envelope });
    const retry = environment({ attempt: 2, heartbeatDetails: { sent: envelope } });
    expect(await retry.run(() => activities(sink.url).sendReceipt(receipt('once@example.nl')))).toEqual(sent);
    expect(sink.to('once@example.nl')).toHaveLength(1);
  });

  it('a retry whose heartbeat never reached Temporal finds the send in the worker\'s ledger, also after a restart; another run sends anew', async () => {
    const first = { activityId: 'ledger-1', workflowExecution: { workflowId: 'complaint-ledger', runId: 'run-1' } };
    const sent = await environment(first).run<[], SentEmail, () => Promise<SentEmail>>(() => activities(sink.url).sendReceipt(receipt('ledger@example.nl')) as Promise<SentEmail>);
    // The worker restarts: the ledger is opened again from its file.
    ledger.close();
    ledger = openSentLedger(join(ledgerDir, 'sent-mail.db'));
    expect(await environment({ ...first, attempt: 2 }).run(() => activities(sink.url).sendReceipt(receipt('ledger@example.nl')))).toEqual(sent);
    expect(sink.to('ledger@example.nl')).toHaveLength(1);
    // The same step of a complaint in a new run (a reset, a new database): a new activity, sent.
    await environment({ ...first, attempt: 2, workflowExecution: { ...first.workflowExecution, runId: 'run-2' } }).run(() => activities(sink.url).sendReceipt(receipt('ledger@example.nl')));
    expect(sink.to('ledger@example.nl')).toHaveLength(2);
  });
});
