import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import nodemailer from 'nodemailer';
import { createEmailActivities } from '../../activities/email';
import { openSentLedger } from '../../activities/sent-ledger';
import { createEmailTemplates } from '../../activities/templates';
import { loadProcedures } from '../../config/procedures';
import type { Language } from '../../domain/vocabulary';

// Every e-mail of every step as it leaves, in Dutch and English (issue 16): from the organisation,
// answered to its mailbox, HTML and text from one template, the signature closing both. One
// snapshot per template and language: a change to any of them shows here, word for word.
const seeds = loadProcedures(join(__dirname, '..', '..', 'procedures'));
const gooiconsult = { ...seeds.get('gooiconsult')!, signature: 'Afdeling Kwaliteit\nTelefoon 035 123 45 67' };
const procedures = new Map([
  ['gooiconsult', gooiconsult],
  ['gooiconsult-en', { ...gooiconsult, id: 'gooiconsult-en', language: 'en' as const, signature: 'Quality department\nPhone +31 35 123 45 67' }],
  ['klassewerk', seeds.get('klassewerk')!],
  ['klassewerk-en', { ...seeds.get('klassewerk')!, id: 'klassewerk-en', language: 'en' as const }],
]);
const env = new MockActivityEnvironment();

interface Sent {
  from: unknown;
  replyTo?: unknown;
  subject: string;
  text: string;
  html: string;
}

async function sent(language: Language, send: (a: ReturnType<typeof createEmailActivities>, envelope: ReturnType<typeof to>) => Promise<unknown>, procedure = 'gooiconsult'): Promise<Sent> {
  const transport = nodemailer.createTransport({ jsonTransport: true });
  const sendMail = jest.spyOn(transport, 'sendMail');
  const activities = createEmailActivities({
    transport,
    templates: createEmailTemplates(),
    procedures,
    mailFrom: 'klachtflow <klachten@klachtflow.test>',
    publicBaseUrl: 'http://klachtflow.test',
    linkSecret: 'snapshot-link-secret-0123456789abcdefghij',
    staff: [{ id: 'mira', name: 'Mira', email: 'mira@staff.test', roles: ['manager', 'handler'], tokenSha256: '0'.repeat(64) }],
    ledger: openSentLedger(':memory:'),
  });
  await env.run(() => send(activities, to(language, language === 'en' ? `${procedure}-en` : procedure)));
  const { from, replyTo, subject, text, html } = sendMail.mock.calls[0]![0] as Sent;
  return { from, ...(replyTo ? { replyTo } : {}), subject, text, html };
}

const to = (language: Language, procedure: string) => ({
  reference: 'KL-2026-ABC123',
  procedure,
  language,
  to: 'jan@example.nl',
  name: 'Jan',
  receivedAt: '2026-04-24T08:15:00.000Z',
  step: 'step',
});

const steps: Record<string, (a: ReturnType<typeof createEmailActivities>, e: ReturnType<typeof to>) => Promise<unknown>> = {
  receipt: (a, e) => a.sendReceipt({ ...e, terms: [{ name: 'acknowledge', date: '2026-05-04' }, { name: 'resolve', date: '2026-05-08' }] }),
  // Service norms (issue 17): a term that is an aim, and an aim beside a binding term, worded as aims.
  'receipt-aims': (a, e) => a.sendReceipt({ ...e, terms: [{ name: 'firstContact', date: '2026-04-28', aimDate: '2026-04-27' }, { name: 'resolve', date: '2026-05-01', aim: true }] }),
  position: (a, e) => a.sendPosition({ ...e, text: 'Wij hebben de factuur nagekeken.', solution: 'Creditnota', satisfactionBy: '2026-05-22', appealBy: '2026-05-22' }),
  'delay-notice': (a, e) => a.sendDelayNotice({ ...e, term: 'maxLeadTime', fromDate: '2026-05-15', newDate: '2026-05-29', reason: 'Stukken ontbreken', late: false }),
  hearing: (a, e) => a.sendHearingInvitation({ ...e, at: '2026-05-12T12:00:00.000Z', mode: 'in-person', location: 'Brink 3, Hilversum', attendees: ['Mira'] }),
  'appeal-received': (a, e) => a.sendAppealReceived({ ...e, level: 1, fileBy: '2026-05-22' }),
  'appeal-decision': (a, e) => a.sendAppealDecision({ ...e, level: 1, decision: 'rejected', text: 'Ongegrond', external: true }),
  closure: (a, e) => a.sendClosure({ ...e, outcome: 'satisfied', viewOnly: true }),
  'new-link': (a, e) => a.sendNewLink({ ...e, linkGeneration: 1 }),
  'link-requested': (a, e) => a.sendRequestedLink(e),
  'information-request': (a, e) => a.sendInformationRequest({ ...e, question: 'Welke factuur bedoelt u: die van maart of die van april?', answerBy: '2026-05-05', terms: ['resolve', 'maxLeadTime'] }),
  'terms-resumed': (a, e) => a.sendTermsResumed({ ...e, how: 'answered', workingDays: 4, terms: [{ name: 'resolve', date: '2026-05-14' }, { name: 'maxLeadTime', date: '2026-05-21' }] }),
  'reopening-accepted': (a, e) => a.sendReopeningDecision({ ...e, accepted: true, terms: [{ name: 'resolve', date: '2026-05-22' }, { name: 'maxLeadTime', date: '2026-05-29' }] }),
  'reopening-refused': (a, e) => a.sendReopeningDecision({ ...e, accepted: false, reason: 'Wij blijven bij ons standpunt: de uren zijn juist gefactureerd.', appeal: { level: 1, by: '2026-05-22' } }),
  agreements: (a, e) => a.sendAgreements({ ...e, at: '2026-04-27T07:30:00.000Z', channel: 'phone', agreements: 'Wij sturen de factuur opnieuw, zonder de dubbele post.\nU hoort vóór vrijdag van ons.' }),
};

describe.each(['nl', 'en'] as const)('the e-mails of every step, in %s', (language) => {
  it.each(Object.keys(steps))('%s: from the organisation, answered to its mailbox, text and HTML alike', async (step) => {
    const mail = await sent(language, steps[step]!);
    expect(mail.from).toEqual({ name: 'Gooiconsult', address: 'klachten@klachtflow.test' });
    expect(mail.replyTo).toBe('info@gooiconsult.nl');
    expect(mail.text.trimEnd().endsWith(language === 'nl' ? 'Afdeling Kwaliteit\nTelefoon 035 123 45 67' : 'Quality department\nPhone +31 35 123 45 67')).toBe(true);
    // Every word of the text is in the HTML, and every link is a link there.
    for (const link of mail.text.match(/https?:\/\/\S+/g) ?? []) expect(mail.html).toContain(`<a href="${link.replace(/&/g, '&amp;')}"`);
    expect(mail.html).toContain(`<html lang="${language}">`);
    expect(mail).toMatchSnapshot();
  });

  it('staff e-mail comes from klachtflow itself, in HTML too', async () => {
    const mail = await sent(language, (a, e) => a.sendStaffEmail({ reference: e.reference, procedure: e.procedure, kind: 'new-complaint', step: 'new-complaint', date: '2026-04-24T08:15:00.000Z' }), 'klassewerk');
    expect(mail.from).toBe('klachtflow <klachten@klachtflow.test>');
    expect(mail.replyTo).toBeUndefined();
    expect(mail).toMatchSnapshot();
  });
});
