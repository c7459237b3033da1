import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { updateOf } from '../../domain/actions';
import { dossierUrl } from '../../domain/link-token';
import pino from 'pino';
import { complaintService } from '../../api/complaints';
import { calendarFor } from '../../domain/calendar';
import { computeDeadlines } from '../../domain/deadlines';
import type { Dossier } from '../../domain/dossier';
import { dossierQuery } from '../../domain/messages';
import { workflowIdFor } from '../../domain/reference';
import { configSchema, mailInOptions } from '../../config/env';
import { mailFiler } from '../../mail-in/file';
import { type MailListener, startMailListener } from '../../mail-in/smtp';
import { devStack } from '../support/stack';
import { procedures, testAttachments, testAttachmentsDir, testBaseUrl, testLinkSecret } from '../support/worker';

// Complaints by e-mail through the real SMTP listener (issue 16), against a dev server, the worker
// and the SMTP sink: a Babbage "klacht" e-mail becomes a complaint whose terms run from its
// arrival; one without the word is refused with a bounce that says why; a reply to the receipt
// lands in the correspondence and the handler is told; an out-of-office is on file and tells nobody;
// a message over the limit is refused; the same message twice is filed once.
describe('complaints by e-mail, through the SMTP listener', () => {
  const stack = devStack();
  let listener: MailListener;
  const logLines: string[] = [];
  // The senders' DNS, as the listener asks it: example.nl allows 127.0.0.1 to send its mail.
  const zone: Record<string, string[][]> = { 'TXT example.nl': [['v=spf1 ip4:127.0.0.1 -all']] };
  const resolver = (domain: string, rrtype: string) => {
    const records = zone[`${rrtype} ${domain}`];
    return records ? Promise.resolve(records) : Promise.reject(Object.assign(new Error(`no ${rrtype} for ${domain}`), { code: 'ENOTFOUND' }));
  };

  beforeAll(async () => {
    const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
    listener = await startMailListener({
      port: 0,
      maxBytes: 25 * 1024 * 1024,
      procedures,
      bounceAddresses: ['klachten@klachtflow.test'],
      file: mailFiler({ complaints: complaintService(stack.env.client, testLinkSecret), procedures, attachments: testAttachments }),
      resolver,
      logger,
    });
  });
  afterAll(() => listener?.stop());

  const transport = () => nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true });
  /** Sends a message as written; the listener's answer (its response line), or its refusal. */
  const send = (to: string, raw: string, from = 'jan@example.nl') => transport().sendMail({ envelope: { from, to: [to] }, raw });
  const message = (headers: Record<string, string>, body: string) =>
    `${Object.entries({ 'MIME-Version': '1.0', 'Content-Type': 'text/plain; charset=utf-8', Date: new Date().toUTCString(), ...headers })
      .map(([k, v]) => `${k}: ${v}`)
      .join('\r\n')}\r\n\r\n${body}\r\n`;
  const dossierOf = (reference: string) => stack.env.client.workflow.getHandle(workflowIdFor(reference)).query(dossierQuery);
  async function until(reference: string, predicate: (d: Dossier) => boolean): Promise<Dossier> {
    for (let i = 0; ; i++) {
      const dossier = await dossierOf(reference);
      if (predicate(dossier)) return dossier;
      if (i > 200) throw new Error(`dossier ${reference} did not get there`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const referenceIn = (response: string) => /KL-\d{4}-[0-9A-Z]{6}/.exec(response)![0];

  it('files a Babbage e-mail with "klacht" in its subject as a complaint whose terms run from its arrival, once however often it comes', async () => {
    const raw = message(
      { From: 'Jan Jansen <jan@example.nl>', To: 'info@babbage.nl', Subject: 'Klacht over de training van dinsdag', 'Message-ID': '<klacht-1@example.nl>' },
      'De trainer kwam een uur te laat.\r\nIk wil mijn geld terug.',
    );
    const before = Date.now();
    const sent = await send('info@babbage.nl', raw);
    const after = Date.now();
    expect(sent.response).toMatch(/^250 .*Filed as complaint KL-/);
    const reference = referenceIn(sent.response);

    const dossier = await dossierOf(reference);
    expect(dossier.procedure).toBe('babbage');
    expect(dossier.complaint).toMatchObject({
      channel: 'email',
      complainant: { name: 'Jan Jansen', email: 'jan@example.nl' },
      description: 'De trainer kwam een uur te laat.\nIk wil mijn geld terug.',
      mail: { messageId: '<klacht-1@example.nl>', auth: { spf: 'pass', dkim: 'none', dmarc: 'none' } },
    });
    expect(Date.parse(dossier.receivedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(dossier.receivedAt)).toBeLessThanOrEqual(after);
    const babbage = procedures.get('babbage')!;
    const oracle = computeDeadlines(babbage, calendarFor(babbage), { receivedAt: new Date(dossier.receivedAt) }).deadlines;
    expect(dossier.terms.firstContact?.date).toBe(oracle.firstContact?.date);
    await stack.mail.waitFor((m) => m.subject === `Ontvangstbevestiging van uw klacht [${reference}]` && stack.mail.to('jan@example.nl').includes(m));

    // The sender's server tries again (its connection broke after our 250): the same complaint.
    const again = await send('info@babbage.nl', raw);
    expect(referenceIn(again.response)).toBe(reference);
    // Nothing personal in the listener's log.
    expect(logLines.join('\n')).not.toMatch(/jan@example\.nl|Jansen|trainer/);
  });

  it('refuses a Babbage e-mail without "klacht" in its subject with a bounce that says why, and mail for no mailbox of ours', async () => {
    const raw = message({ From: 'Jan <jan@example.nl>', To: 'info@babbage.nl', Subject: 'Vraag over de planning', 'Message-ID': '<vraag-1@example.nl>' }, 'Wanneer is de volgende training?');
    await expect(send('info@babbage.nl', raw)).rejects.toMatchObject({ responseCode: 550, response: expect.stringContaining('the subject holds "klacht"') as unknown });
    await expect(send('iemand@elders.nl', raw)).rejects.toMatchObject({ responseCode: 550, response: expect.stringContaining('No complaint mailbox here') as unknown });
  });

  it('files an answer to the receipt in the correspondence and tells the handler; an out-of-office is on file and tells nobody', async () => {
    const first = await send(
      'info@gooiconsult.nl',
      message({ From: 'Els <els@example.nl>', To: 'info@gooiconsult.nl', Subject: 'Factuur klopt niet', 'Message-ID': '<factuur-1@example.nl>' }, 'De uren zijn dubbel gerekend.'),
      'els@example.nl',
    );
    const reference = referenceIn(first.response);
    const receipt = await stack.mail.waitFor((m) => m.subject === `Ontvangstbevestiging van uw klacht [${reference}]`);

    const reply = await send(
      'info@gooiconsult.nl',
      message(
        { From: 'Els <els@example.nl>', To: 'info@gooiconsult.nl', Subject: `Re: ${receipt.subject}`, 'Message-ID': '<antwoord-1@example.nl>', 'In-Reply-To': receipt.messageId!, References: receipt.messageId! },
        'Mijn adres is Brink 3, 1211 AA Hilversum.',
      ),
      'els@example.nl',
    );
    expect(reply.response).toMatch(/^250 .*Filed/);
    let dossier = await until(reference, (d) => d.correspondence.some((c) => c.status === 'received'));
    expect(dossier.correspondence.find((c) => c.status === 'received')).toMatchObject({
      messageId: '<antwoord-1@example.nl>',
      from: { complainant: true },
      subject: `Re: ${receipt.subject}`,
      text: 'Mijn adres is Brink 3, 1211 AA Hilversum.',
    });
    const told = await stack.mail.waitFor((m) => m.subject === `Bericht van de klager: klacht [${reference}]`);
    expect(told.text).toContain(`/beheer/klachten/${reference}#correspondentie`);
    // The complainant sees their own e-mail on their dossier; staff mail stays with staff.
    const own = await stack.env.client.workflow.getHandle(workflowIdFor(reference)).query(dossierQuery, { view: 'complainant' });
    expect(own.correspondence.map((c) => c.status)).toContain('received');

    await send(
      'info@gooiconsult.nl',
      message(
        { From: 'Els <els@example.nl>', To: 'info@gooiconsult.nl', Subject: `Automatisch antwoord: ${receipt.subject}`, 'Auto-Submitted': 'auto-replied', 'Message-ID': '<afwezig-1@example.nl>', 'In-Reply-To': receipt.messageId! },
        'Ik ben afwezig tot maandag.',
      ),
      'els@example.nl',
    );
    dossier = await until(reference, (d) => d.correspondence.some((c) => c.automatic === true));
    expect(dossier.timeline.map((e) => e.event)).toContain('auto-reply-received');
    // The handler's notice of the answer went; none follows for the out-of-office.
    await until(reference, (d) => d.correspondence.filter((c) => c.to === 'staff' && c.step.startsWith('told-')).every((c) => c.status === 'sent'));
    expect(dossier.correspondence.filter((c) => c.step.startsWith('told-'))).toHaveLength(1);
    expect(stack.mail.messages.filter((m) => m.subject === `Bericht van de klager: klacht [${reference}]`)).toHaveLength(1);
  });

  it("lets a suspension's terms run on when the complainant answers the question by e-mail (issue 17)", async () => {
    const first = await send(
      'info@gooiconsult.nl',
      message({ From: 'Ruud <ruud@example.nl>', To: 'info@gooiconsult.nl', Subject: 'Klacht over het advies', 'Message-ID': '<vraag-1@example.nl>' }, 'Het advies was onvolledig.'),
      'ruud@example.nl',
    );
    const reference = referenceIn(first.response);
    const handle = stack.env.client.workflow.getHandle(workflowIdFor(reference));
    await handle.executeUpdate(updateOf('suspend'), { args: [{ actor: { kind: 'staff', id: 'hanna', roles: ['handler'] }, input: { question: 'Over welk rapport gaat het?' } }] });
    const question = await stack.mail.waitFor((m) => m.subject === `Een vraag over uw klacht [${reference}]`);
    await send(
      'info@gooiconsult.nl',
      message({ From: 'Ruud <ruud@example.nl>', To: 'info@gooiconsult.nl', Subject: `Re: ${question.subject}`, 'Message-ID': '<vraag-antwoord-1@example.nl>', 'In-Reply-To': question.messageId! }, 'Het rapport van maart.'),
      'ruud@example.nl',
    );
    const dossier = await until(reference, (d) => d.suspensions?.[0]?.ended !== undefined);
    expect(dossier.suspensions![0]!.ended).toMatchObject({ how: 'answered', by: 'complainant' });
    await stack.mail.waitFor((m) => m.subject === `De termijnen voor uw klacht lopen weer [${reference}]`);
  });

  it('files an e-mail that names a reference from another address for staff to judge', async () => {
    const first = await send('info@klassewerk.com', message({ From: 'Piet <piet@example.nl>', To: 'info@klassewerk.com', Subject: 'Klacht', 'Message-ID': '<kw-1@example.nl>' }, 'Het lokaal was te koud.'), 'piet@example.nl');
    const reference = referenceIn(first.response);
    await send('info@klassewerk.com', message({ From: 'Partner <partner@elders.nl>', To: 'info@klassewerk.com', Subject: `Over klacht ${reference}`, 'Message-ID': '<kw-2@elders.nl>' }, 'Ik schrijf namens Piet.'), 'partner@elders.nl');
    const dossier = await until(reference, (d) => d.correspondence.some((c) => c.status === 'received'));
    expect(dossier.correspondence.find((c) => c.status === 'received')!.from).toEqual({ complainant: false, address: 'partner@elders.nl', name: 'Partner' });
    const told = await stack.mail.waitFor((m) => m.subject === `Bericht van de klager: klacht [${reference}]`);
    expect(told.text).toContain('de afzender is niet het e-mailadres van de klager');
    // Not the complainant's own: not on their page.
    const handle = stack.env.client.workflow.getHandle(workflowIdFor(reference));
    const own = await handle.query(dossierQuery, { view: 'complainant' });
    expect(own.correspondence.map((c) => c.status)).not.toContain('received');
    // Staff judge it once.
    const mail = dossier.correspondence.findIndex((c) => c.status === 'received');
    const mira = { kind: 'staff' as const, id: 'mira', roles: ['manager' as const, 'handler' as const] };
    await handle.executeUpdate(updateOf('judgeMail'), { args: [{ actor: mira, input: { mail, belongs: true } }] });
    expect((await dossierOf(reference)).correspondence[mail]!.judged).toMatchObject({ belongs: true, by: 'mira' });
    await expect(handle.executeUpdate(updateOf('judgeMail'), { args: [{ actor: mira, input: { mail, belongs: false } }] })).rejects.toMatchObject({ cause: { type: 'NothingToJudge' } });
  });

  it("keeps an e-mail's attachments encrypted, the complainant downloads theirs through the dossier link, a program is not kept, and the files go with the dossier", async () => {
    const marker = 'PDF-INHOUD-7QK2MD';
    const sent = await transport().sendMail({
      envelope: { from: 'bo@example.nl', to: ['info@gooiconsult.nl'] },
      from: 'Bo <bo@example.nl>',
      to: 'info@gooiconsult.nl',
      subject: 'Klacht over de factuur, zie bijlage',
      messageId: '<bijlage-1@example.nl>',
      text: 'De factuur zit in de bijlage.',
      attachments: [
        { filename: 'factuur.pdf', content: Buffer.from(`%PDF-1.4 ${marker}`), contentType: 'application/pdf' },
        { filename: 'setup.exe', content: Buffer.from('MZ programma'), contentType: 'application/octet-stream' },
      ],
    });
    const reference = referenceIn(sent.response);
    const dossier = await dossierOf(reference);
    const [pdf, exe] = dossier.complaint.attachments ?? [];
    expect(pdf).toMatchObject({ name: 'factuur.pdf', type: 'application/pdf', size: marker.length + 9, id: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown });
    expect(exe).toEqual({ name: 'setup.exe', type: 'application/octet-stream', size: 12, refused: 'refused-type' });
    // On disk only ciphertext.
    const file = join(testAttachmentsDir, pdf!.id!);
    expect(readFileSync(file).includes(marker)).toBe(false);

    const token = new URL(dossierUrl(testBaseUrl, testLinkSecret, reference, new Date(dossier.receivedAt))).searchParams.get('token')!;
    const download = await fetch(`${stack.api.url}/api/complaints/${reference}/attachments/${pdf!.id}?token=${token}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="?factuur\.pdf"?/);
    expect(Buffer.from(await download.arrayBuffer()).toString()).toBe(`%PDF-1.4 ${marker}`);
    const page = await fetch(`${stack.api.url}/dossier/${reference}/bijlagen/${pdf!.id}?token=${token}`);
    expect(page.status).toBe(200);
    expect((await fetch(`${stack.api.url}/api/complaints/${reference}/attachments/${pdf!.id}?token=wrong`)).status).toBe(403);

    // Withdrawn, then destroyed early by a director: the workflow ends, and the file with it.
    const handle = stack.env.client.workflow.getHandle(workflowIdFor(reference));
    await handle.executeUpdate(updateOf('withdraw'), { args: [{ actor: { kind: 'complainant' }, input: {} }] });
    await until(reference, (d) => d.destroyOn !== undefined);
    await handle.executeUpdate(updateOf('destroyEarly'), { args: [{ actor: { kind: 'staff', id: 'dirk', roles: ['director'] }, input: { reason: 'Verzoek tot verwijdering' } }] });
    await handle.result();
    expect(existsSync(file)).toBe(false);
    expect((await fetch(`${stack.api.url}/api/complaints/${reference}/attachments/${pdf!.id}?token=${token}`)).status).toBe(404);
  });

  it('asks a Gooiconsult complainant by e-mail for the address the procedure needs, on the receipt and their dossier page, and takes it there', async () => {
    const sent = await send('info@gooiconsult.nl', message({ From: 'Ans <ans@example.nl>', To: 'info@gooiconsult.nl', Subject: 'Klacht', 'Message-ID': '<adres-1@example.nl>' }, 'Het rapport klopt niet.'), 'ans@example.nl');
    const reference = referenceIn(sent.response);
    let dossier = await dossierOf(reference);
    expect(dossier.complaint.incomplete).toEqual(['address']);
    const receipt = await stack.mail.waitFor((m) => m.subject === `Ontvangstbevestiging van uw klacht [${reference}]`);
    expect(receipt.text).toContain('Om uw klacht te behandelen hebben wij nog nodig: uw adres.');

    const token = new URL(dossierUrl(testBaseUrl, testLinkSecret, reference, new Date(dossier.receivedAt))).searchParams.get('token')!;
    const page = await (await fetch(`${stack.api.url}/dossier/${reference}?token=${token}`)).text();
    expect(page).toContain('Uw gegevens aanvullen');
    expect(page).toContain('name="postalCode"');
    const details = (body: unknown) => fetch(`${stack.api.url}/api/complaints/${reference}/details`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const lacking = await details({ phone: '035 123 45 67' });
    expect(lacking.status).toBe(422);
    expect(await lacking.json()).toMatchObject({ code: 'DetailsMissing', data: { fields: ['address'] } });
    expect((await details({ address: { street: 'Brink 3', postalCode: '1211 AA', city: 'Hilversum' } })).status).toBe(200);
    dossier = await dossierOf(reference);
    expect(dossier.complaint.incomplete).toBeUndefined();
    expect(dossier.complaint.complainant.address).toEqual({ street: 'Brink 3', postalCode: '1211 AA', city: 'Hilversum' });
    expect((await details({ address: { street: 'Brink 4', postalCode: '1211 AA', city: 'Hilversum' } })).status).toBe(409);
  });

  it('marks the receipt undelivered when a delivery status notification says it failed, and tells the handler; a delay notice changes nothing', async () => {
    const sent = await send('info@klassewerk.com', message({ From: 'Kees <kees@example.nl>', To: 'info@klassewerk.com', Subject: 'Klacht', 'Message-ID': '<dsn-1@example.nl>' }, 'De les ging niet door.'), 'kees@example.nl');
    const reference = referenceIn(sent.response);
    const receipt = await stack.mail.waitFor((m) => m.subject === `Ontvangstbevestiging van uw klacht [${reference}]`);
    const dsn = (action: string, status: string, id: string) =>
      [
        'From: Mail Delivery System <mailer-daemon@example.nl>',
        'To: klachten@klachtflow.test',
        `Subject: Undelivered Mail Returned to Sender`,
        `Message-ID: <${id}@example.nl>`,
        'Auto-Submitted: auto-replied',
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
        '',
        '--b1',
        'Content-Type: text/plain; charset=us-ascii',
        '',
        'This is the mail system. Your message could not be delivered.',
        '--b1',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.example.nl',
        '',
        'Final-Recipient: rfc822; kees@example.nl',
        `Action: ${action}`,
        `Status: ${status}`,
        '--b1',
        'Content-Type: text/rfc822-headers',
        '',
        `Message-ID: ${receipt.messageId}`,
        `Subject: ${receipt.subject}`,
        '--b1--',
        '',
      ].join('\r\n');
    // A delay is no failure.
    await send('klachten@klachtflow.test', dsn('delayed', '4.4.7', 'dsn-delayed'), '');
    expect((await dossierOf(reference)).correspondence.find((c) => c.step === 'receipt')?.status).toBe('sent');
    const bounced = await send('klachten@klachtflow.test', dsn('failed', '5.1.1', 'dsn-failed'), '');
    expect(bounced.response).toMatch(/^250/);
    const dossier = await until(reference, (d) => d.correspondence.find((c) => c.step === 'receipt')?.status === 'undelivered');
    expect(dossier.correspondence.find((c) => c.step === 'receipt')?.failed).toBe('receipt bounced (5.1.1)');
    const told = await stack.mail.waitFor((m) => m.subject === `Niet bezorgd bij de klager: de ontvangstbevestiging – klacht [${reference}]`);
    expect(told.text).toContain('5.1.1');
    // The same notification again changes nothing more.
    expect((await send('klachten@klachtflow.test', dsn('failed', '5.1.1', 'dsn-failed'), '')).response).toMatch(/^250/);
  });

  it('refuses a 30 MB message with a bounce that names the limit', async () => {
    const raw = message({ From: 'Jan <jan@example.nl>', To: 'info@gooiconsult.nl', Subject: 'Klacht met bijlage', 'Message-ID': '<groot-1@example.nl>' }, 'x'.repeat(30 * 1024 * 1024));
    await expect(send('info@gooiconsult.nl', raw)).rejects.toMatchObject({ responseCode: 552, response: expect.stringContaining('at most 25 MB') as unknown });
  });

  it('offers STARTTLS with the configured key and certificate, and files a complaint sent over it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'klachtflow-mail-in-tls-'));
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=mail-in.test', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const options = mailInOptions(configSchema.parse({ KLACHTFLOW_MAIL_IN_TLS_KEY: key, KLACHTFLOW_MAIL_IN_TLS_CERT: cert }));
    const secured = await startMailListener({
      ...options,
      port: 0,
      procedures,
      bounceAddresses: ['klachten@klachtflow.test'],
      file: mailFiler({ complaints: complaintService(stack.env.client, testLinkSecret), procedures, attachments: testAttachments }),
      resolver,
      logger: pino({ level: 'silent' }),
    });
    try {
      const raw = message({ From: 'Jan <jan@example.nl>', To: 'info@babbage.nl', Subject: 'Klacht, versleuteld verstuurd', 'Message-ID': '<tls-1@example.nl>' }, 'Over TLS.');
      // The client insists on TLS and trusts only this certificate: a plain session would be refused.
      const overTls = nodemailer.createTransport({ host: '127.0.0.1', port: secured.port, secure: false, requireTLS: true, tls: { ca: [readFileSync(cert)] } });
      const sent = await overTls.sendMail({ envelope: { from: 'jan@example.nl', to: ['info@babbage.nl'] }, raw });
      expect(sent.response).toMatch(/^250 .*Filed as complaint KL-/);
      expect((await dossierOf(referenceIn(sent.response))).complaint.channel).toBe('email');
      // Without a key and certificate no STARTTLS is offered.
      const insisting = nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, requireTLS: true });
      await expect(insisting.sendMail({ envelope: { from: 'jan@example.nl', to: ['info@babbage.nl'] }, raw })).rejects.toMatchObject({ code: 'ETLS' });
    } finally {
      await secured.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
