import { join } from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import nodemailer from 'nodemailer';
import { createEmailActivities, type LetterText, type SentEmail } from '../../activities/email';
import { openSentLedger } from '../../activities/sent-ledger';
import { createEmailTemplates } from '../../activities/templates';
import { loadProcedures } from '../../config/procedures';
import { verifyLinkToken } from '../../domain/link-token';
import type { Language } from '../../domain/vocabulary';

// Every e-mail in both languages, rendered by the activities themselves into nodemailer's
// JSON transport (no network): a template that misses a value fails here, not in production.
const seeds = loadProcedures(join(__dirname, '..', '..', 'procedures'));
// Staff e-mail speaks the procedure's language: an English copy of a seed for the English staff templates.
const procedures = new Map([...seeds, ['klassewerk-en', { ...seeds.get('klassewerk')!, id: 'klassewerk-en', language: 'en' as const }]]);
const dependencies = (transport = nodemailer.createTransport({ jsonTransport: true })) => ({
  transport,
  templates: createEmailTemplates(),
  procedures,
  mailFrom: 'Klachten <klachten@klachtflow.test>',
  publicBaseUrl: 'http://klachtflow.test',
  linkSecret: 'unit-test-link-secret-0123456789abcdefghij',
  staff: [{ id: 'mira', name: 'Mira', email: 'mira@staff.test', roles: ['manager' as const, 'handler' as const], tokenSha256: '0'.repeat(64) }],
  ledger: openSentLedger(':memory:'),
});
const activities = createEmailActivities(dependencies());
const env = new MockActivityEnvironment();

const to = (language: Language, step = 'step') => ({
  reference: 'KL-2026-ABC123',
  procedure: 'klassewerk',
  language,
  to: 'jan@example.nl',
  name: 'Jan',
  receivedAt: '2026-04-24T08:15:00.000Z',
  step,
});

const emails = (language: Language) => ({
  receipt: () => activities.sendReceipt({ ...to(language), terms: [{ name: 'firstContact', date: '2026-04-28' }] }),
  position: () => activities.sendPosition({ ...to(language), text: 'Standpunt', satisfactionBy: '2026-05-12', appealBy: '2026-05-28' }),
  reminder: () => activities.sendPosition({ ...to(language), text: 'Standpunt', satisfactionBy: '2026-05-12', answerUntil: '2026-05-19T21:59:59.999Z', reminder: true }),
  delay: () => activities.sendDelayNotice({ ...to(language), term: 'resolve', fromDate: '2026-05-08', newDate: '2026-05-22', reason: 'Ziekte', late: true }),
  hearing: () => activities.sendHearingInvitation({ ...to(language), at: '2026-05-12T12:00:00.000Z', mode: 'teams', attendees: ['Simone Haven'], level: 1 }),
  appealInternal: () => activities.sendAppealReceived({ ...to(language), level: 1, decideBy: '2026-06-29' }),
  appealExternal: () => activities.sendAppealReceived({ ...to(language), level: 2, fileBy: '2026-07-13' }),
  decision: () => activities.sendAppealDecision({ ...to(language), level: 1, decision: 'rejected', text: 'Ongegrond', external: false, next: { level: 2, by: '2026-07-13' } }),
  closure: () => activities.sendClosure({ ...to(language), outcome: 'external_decided', externalBody: 'Geschillencommissie' }),
  newLink: () => activities.sendNewLink({ ...to(language), linkGeneration: 1 }),
  newLinkClosed: () => activities.sendNewLink({ ...to(language), linkGeneration: 2, viewOnly: true }),
});

describe.each(['nl', 'en'] as const)('e-mails in %s', (language) => {
  it.each(Object.keys(emails(language)))('%s renders completely, with the reference and the dossier link', async (name) => {
    const sent = await env.run<[], SentEmail, () => Promise<SentEmail>>(emails(language)[name as keyof ReturnType<typeof emails>] as () => Promise<SentEmail>);
    expect(sent.subject).toContain('KL-2026-ABC123');
    expect(sent.messageId).toMatch(/^<KL-2026-ABC123\.[a-z0-9-]+@klachtflow\.test>$/);
    expect(sent.subject).toMatch(language === 'nl' ? /klacht|Uitnodiging|Ontvangstbevestiging|Nieuwe termijn|Uitspraak|nieuwe link/ : /complaint|Invitation|Decision|New term|new link/);
  });

  it('staff notices render for every kind, each to whoever the step concerns, each naming the term or level in words', async () => {
    const procedure = language === 'nl' ? 'klassewerk' : 'klassewerk-en';
    const sent: Record<string, SentEmail & { to: string[] }> = {};
    for (const kind of ['reminder', 'notice-reminder', 'escalation', 'new-complaint', 'appeal-filed', 'not-satisfied', 'letter-to-post', 'reopening-requested'] as const) {
      // Events carry their instant; term e-mails a due date.
      const event = ['new-complaint', 'appeal-filed', 'not-satisfied', 'letter-to-post', 'reopening-requested'].includes(kind);
      const about = kind === 'appeal-filed' ? { level: 1 } : kind === 'letter-to-post' ? { mail: { activity: 'sendReceipt' }, letter: 0 } : event ? {} : { term: 'appeal1Decide' };
      const input = { reference: 'KL-2026-ABC123', procedure, kind, step: kind, date: event ? '2026-04-24T08:15:00.000Z' : '2026-05-08', ...about };
      sent[kind] = await env.run<[], SentEmail & { to: string[] }, () => Promise<SentEmail & { to: string[] }>>(() => activities.sendStaffEmail(input));
      expect(sent[kind].subject).toContain('KL-2026-ABC123');
      expect(sent[kind].subject).not.toMatch(/appeal\d|Decide|firstContact/);
    }
    // The director decides an appeal to her: her address from the procedure file.
    expect(sent['appeal-filed']!.to).toEqual(['info@klassewerk.com']);
    expect(sent['appeal-filed']!.subject).toBe(
      language === 'nl' ? 'Nieuw beroep bij Simone Haven, directeur Klassewerk Onderwijstraining: klacht [KL-2026-ABC123]' : 'New appeal to Simone Haven, directeur Klassewerk Onderwijstraining: complaint [KL-2026-ABC123]',
    );
    expect(sent.escalation!.to).toEqual(['mira@staff.test']);
    // A letter to post links to the letter itself, to print.
    expect(sent['letter-to-post']!.subject).toBe(language === 'nl' ? 'Brief te versturen: de ontvangstbevestiging – klacht [KL-2026-ABC123]' : 'Letter to post: the confirmation of receipt – complaint [KL-2026-ABC123]');
    for (const kind of ['reminder', 'notice-reminder', 'new-complaint', 'not-satisfied', 'reopening-requested']) expect(sent[kind]!.to).toEqual(['mira@staff.test']);
    expect(sent['reopening-requested']!.subject).toBe(language === 'nl' ? 'Verzoek om heropening: klacht [KL-2026-ABC123]' : 'Request to reopen: complaint [KL-2026-ABC123]');
  });
});

it('without an e-mail address every complainant e-mail becomes a letter: the same subject and text, nothing sent', async () => {
  const transport = nodemailer.createTransport({ jsonTransport: true });
  const sendMail = jest.spyOn(transport, 'sendMail');
  const mailing = createEmailActivities(dependencies(transport));
  const emailed = await env.run<[], SentEmail | LetterText, () => Promise<SentEmail | LetterText>>(() => mailing.sendReceipt({ ...to('nl', 'receipt'), terms: [{ name: 'firstContact', date: '2026-04-28' }] }));
  const { to: _address, ...envelope } = to('nl', 'receipt');
  const letter = await env.run(() => mailing.sendReceipt({ ...envelope, terms: [{ name: 'firstContact', date: '2026-04-28' }] }));
  expect(sendMail).toHaveBeenCalledTimes(1);
  expect('messageId' in emailed).toBe(true);
  expect(letter).toEqual({ letter: true, subject: emailed.subject, text: emailed.text });
});

it('the English e-mails say it in English', async () => {
  const transport = nodemailer.createTransport({ jsonTransport: true });
  const sendMail = jest.spyOn(transport, 'sendMail');
  const english = createEmailActivities(dependencies(transport));
  await env.run(() => english.sendAppealDecision({ ...to('en'), level: 1, decision: 'rejected', text: 'No grounds', external: false, next: { level: 2, by: '2026-07-13' } }));
  const text = (sendMail.mock.calls[0]![0] as { text: string }).text;
  expect(text).toContain('Dear Jan,');
  expect(text).toContain('Your appeal is rejected.');
  expect(text).toContain('If you disagree with this decision, you can appeal until Monday, 13 July 2026 to Geschillencommissie');
});

it('a link carries its generation, and once the complaint is closed it may only view', async () => {
  const transport = nodemailer.createTransport({ jsonTransport: true });
  const sendMail = jest.spyOn(transport, 'sendMail');
  const deps = dependencies(transport);
  const mailing = createEmailActivities(deps);
  await env.run(() => mailing.sendNewLink({ ...to('nl'), linkGeneration: 2 }));
  await env.run(() => mailing.sendClosure({ ...to('nl'), outcome: 'satisfied', linkGeneration: 2, viewOnly: true }));
  const claims = sendMail.mock.calls.map(([mail]) => {
    const token = /\/dossier\/KL-2026-ABC123\?token=(\S+)/.exec((mail as { text: string }).text)![1]!;
    return verifyLinkToken(deps.linkSecret, token, new Date('2026-05-01T00:00:00Z'));
  });
  expect(claims).toEqual([
    expect.objectContaining({ reference: 'KL-2026-ABC123', generation: 2, scopes: ['view', 'answer', 'withdraw'] }),
    expect.objectContaining({ reference: 'KL-2026-ABC123', generation: 2, scopes: ['view'] }),
  ]);
  expect((sendMail.mock.calls[0]![0] as { text: string }).text).toContain('Wij hebben de eerdere links naar uw dossier KL-2026-ABC123 ingetrokken');
});
