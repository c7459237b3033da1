import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { sha256Hex } from '../../config/secrets';
import { registerSearchAttributes } from '../../config/temporal';
import { type EmbeddedTemporal, startEmbeddedTemporal } from '../../dev/temporal-server';
import { ImapServer } from '../support/imap-server';
import { addressesOf, MailSink } from '../support/mail-sink';
import { freePorts } from '../support/ports';
import { type Service, startService } from '../support/processes';
import { testClientOptions, testCodecKeysEnv } from '../support/temporal';

// The IMAP mailbox reader killed while it works (issue 16): Dovecot, the dev server on its database
// file, an SMTP sink and the worker as a process of its own, SIGKILLed while it files a mailbox of
// Babbage complaints, then started again. Every message is filed once: one complaint and one
// receipt per message, every message moved to Verwerkt, none left behind. Bounded: 30 messages,
// three minutes.
const messages = 30;

describe('the IMAP mailbox reader, its worker killed mid-mailbox', () => {
  let dataDir: string;
  let temporal: EmbeddedTemporal;
  let sink: MailSink;
  let imap: ImapServer;
  let client: Client;
  let worker: Service | undefined;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'klachtflow-imap-faults-'));
    const [temporalPort, uiPort] = await freePorts(2);
    [temporal, sink, imap] = await Promise.all([startEmbeddedTemporal({ dataDir, port: temporalPort!, uiPort: uiPort!, namespace: 'default' }), MailSink.start(), ImapServer.start()]);
    client = new Client({ connection: await Connection.connect({ address: temporal.address }), namespace: 'default', ...testClientOptions });
    await registerSearchAttributes(client);
    const staffFile = join(dataDir, 'staff.yaml');
    writeFileSync(staffFile, `- { id: mira, name: Mira, email: mira@staff.test, roles: [manager, handler], tokenSha256: ${sha256Hex('imap-fault-staff-token-0123456789')} }\n`);
    const imapFile = join(dataDir, 'imap.yaml');
    writeFileSync(imapFile, `- { id: babbage-info, procedure: babbage, host: 127.0.0.1, port: ${imap.port}, secure: false, user: ${imap.user}, passwordEnv: IMAP_TEST_PASSWORD, pollSeconds: 5 }\n`);
    env = {
      ...process.env,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: 'default',
      SMTP_URL: sink.url,
      MAIL_FROM: 'Klachten <klachten@faults.test>',
      LINK_SECRET: 'imap-fault-link-secret-0123456789abcdefghij',
      KLACHTFLOW_CODEC_KEYS: testCodecKeysEnv,
      KLACHTFLOW_DATA_DIR: dataDir,
      KLACHTFLOW_STAFF_FILE: staffFile,
      KLACHTFLOW_IMAP_FILE: imapFile,
      IMAP_TEST_PASSWORD: imap.password,
      KLACHTFLOW_WORKFLOW_BUNDLE: process.env.KLACHTFLOW_TEST_WORKFLOW_BUNDLE,
      LOG_LEVEL: 'info',
    };
  }, 120_000);

  afterAll(async () => {
    await worker?.stop();
    await client?.connection.close();
    await temporal?.stop();
    await Promise.all([sink?.stop(), imap?.stop()]);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  const receipts = () => sink.messages.filter((m) => (m.subject ?? '').startsWith('Ontvangstbevestiging van uw klacht'));

  it('files every message once when the worker is SIGKILLed in the middle and started again', async () => {
    for (let i = 0; i < messages; i++) {
      const raw = `From: Klager ${i} <klager-${i}@example.nl>\r\nTo: info@babbage.nl\r\nSubject: Klacht ${i}\r\nMessage-ID: <imap-fault-${i}@example.nl>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nKlacht nummer ${i}.\r\n`;
      await imap.deliver(raw, new Date(Date.now() - (messages - i) * 1000));
    }
    worker = await startService('worker/main.ts', env, { ready: 'worker started' });
    // Killed as soon as the first complaints are in: the reader is in the middle of the mailbox.
    for (let i = 0; i < 600 && receipts().length < 3; i++) await new Promise((r) => setTimeout(r, 50));
    const filedBeforeKill = receipts().length;
    // Its SMTP connections open at the kill: only their e-mails can have reached the relay unbeknown to Temporal.
    const inFlight = sink.connections.open;
    await worker.stop('SIGKILL');
    const movedAtKill = (await imap.subjects('Verwerkt')).length;
    worker = await startService('worker/main.ts', env, { ready: 'worker started' });

    const deadline = Date.now() + 150_000;
    while (Date.now() < deadline && ((await imap.subjects('Verwerkt')).length < messages || receipts().length < messages)) await new Promise((r) => setTimeout(r, 500));
    // A moment more for anything doubled to arrive.
    await new Promise((r) => setTimeout(r, 2_000));

    // Filed once: one complaint (one reference) per sender. A receipt e-mail itself may arrive twice
    // (the same Message-ID) where the kill fell between the relay's 250 and the worker's ledger.
    const complaintsPerSender = new Map<string, Set<string>>();
    for (const receipt of receipts()) {
      const reference = /KL-\d{4}-[0-9A-Z]{6}/.exec(receipt.subject ?? '')![0];
      for (const address of addressesOf(receipt)) complaintsPerSender.set(address, (complaintsPerSender.get(address) ?? new Set()).add(reference));
    }
    const filedTwice = [...complaintsPerSender.values()].filter((references) => references.size > 1).length;
    const ids = receipts().map((m) => m.messageId);
    const mailedTwice = ids.length - new Set(ids).size;
    console.log(
      `imap reader killed: ${messages} messages, ${filedBeforeKill} receipts and ${movedAtKill} moved when SIGKILLed (${inFlight} SMTP connections open); afterwards ${complaintsPerSender.size} senders with ${filedTwice} filed twice, ${receipts().length} receipts of which ${mailedTwice} the same e-mail again, ${(await imap.subjects('Verwerkt')).length} moved, ${(await imap.subjects('INBOX')).length} left in INBOX`,
    );
    expect(filedBeforeKill).toBeLessThan(messages);
    expect(complaintsPerSender.size).toBe(messages);
    expect(filedTwice).toBe(0);
    expect(mailedTwice).toBeLessThanOrEqual(inFlight);
    expect(await imap.subjects('INBOX')).toEqual([]);
    expect((await imap.subjects('Verwerkt')).sort()).toEqual(Array.from({ length: messages }, (_, i) => `Klacht ${i}`).sort());
  }, 240_000);
});
