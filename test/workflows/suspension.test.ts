import { addWorkingDays, WorkingCalendar, workingDaysBetween } from '../../domain/calendar';
import { dossierQuery } from '../../domain/messages';
import { registerMemoOf } from '../../domain/register';
import { ComplaintOverdue } from '../../domain/search-attributes';
import { addDays, amsterdam, inDutch, quietMonday, skipTo, toSecond } from '../support/clock';
import { act, actAndRead, refusal, staff, workflowHarness } from '../support/harness';

// Suspension (opschorting, issue 17), against the time-skipping test server: a question to the
// complainant holds the terms the procedure names (Gooiconsult: its two weeks and its three),
// until the answer or its date; then they run on with the working days they had left, every
// date the same in the e-mails and the dossier as the working-day calendar gives it.
describe('suspension: terms stand still while the complainant is asked', () => {
  const harness = workflowHarness();
  const calendar = new WorkingCalendar({ country: 'NL', holidayTypes: ['public'], closedDays: [] });
  let monday: string;
  beforeEach(async () => {
    monday = await quietMonday(harness.env, 49);
  });
  const start = (reference: string) => harness.start(reference, { procedure: 'gooiconsult', receivedAt: amsterdam(monday, '10:00') });
  const hanna = staff('hanna');

  it('suspended 4 working days from day 6 of its two-week term: resolves on the date the calendar gives; the receipt, both e-mails and the dossier agree', async () => {
    const reference = 'KL-2026-GOOSUS';
    const handle = await start(reference);
    const receipt = await harness.mail.waitFor((m) => m.subject === `Ontvangstbevestiging van uw klacht [${reference}]`);
    const resolveOn = addDays(monday, 14);
    expect(receipt.text).toContain(`- ons schriftelijk standpunt: uiterlijk ${inDutch(resolveOn)}`);

    // Working day 6: Tuesday of the second week. Asked, with the procedure's five working days to answer.
    const asked = addWorkingDays(calendar, monday, 6).date;
    await skipTo(harness.env, amsterdam(asked, '10:00'));
    let dossier = await actAndRead(handle, 'suspend', { question: 'Welke factuur bedoelt u: die van maart of die van april?' }, hanna);
    const answerBy = addWorkingDays(calendar, asked, 5).date;
    expect(dossier.suspensions).toMatchObject([{ answerBy, terms: ['resolve', 'maxLeadTime'], question: 'Welke factuur bedoelt u: die van maart of die van april?' }]);
    const question = await harness.mail.waitFor((m) => m.subject === `Een vraag over uw klacht [${reference}]`);
    expect(question.text).toContain(`Wilt u uiterlijk ${inDutch(answerBy)} antwoorden?`);
    expect(question.text).toContain('staan deze termijnen stil: het schriftelijk standpunt, de afhandeling van de klacht.');
    await expect(act(handle, 'suspend', { question: 'Nog een vraag' }, hanna)).rejects.toMatchObject(refusal('AlreadySuspended'));

    // Four working days later the complainant answers on their page.
    const answered = addWorkingDays(calendar, asked, 4).date;
    await skipTo(harness.env, amsterdam(answered, '10:00'));
    dossier = await handle.query(dossierQuery);
    expect(dossier.timeline.map((e) => e.event)).not.toContain('reminder-sent');
    dossier = await actAndRead(handle, 'addInformation', { text: 'De factuur van april.' }, { kind: 'complainant' });
    expect(workingDaysBetween(calendar, asked, answered)).toBe(4);
    const newResolve = addWorkingDays(calendar, resolveOn, 4).date;
    const newMax = addWorkingDays(calendar, addDays(monday, 21), 4).date;
    expect(dossier.terms.resolve).toMatchObject({ date: resolveOn, extendedTo: newResolve });
    expect(dossier.terms.resolve!.extensions).toMatchObject([{ from: resolveOn, to: newResolve, suspended: { from: asked, to: answered, workingDays: 4 } }]);
    expect(dossier.terms.maxLeadTime).toMatchObject({ extendedTo: newMax });
    expect(dossier.suspensions![0]!.ended).toMatchObject({ how: 'answered', workingDays: 4 });
    const resumed = await harness.mail.waitFor((m) => m.subject === `De termijnen voor uw klacht lopen weer [${reference}]`);
    expect(resumed.text).toContain('De termijnen stonden 4 werkdagen stil en lopen nu weer.');
    expect(resumed.text).toContain(`- het schriftelijk standpunt: uiterlijk ${inDutch(newResolve)}`);
    expect(resumed.text).toContain(`- de afhandeling van de klacht: uiterlijk ${inDutch(newMax)}`);

    // Past the first date, inside the new one: no breach; past the new one: breached at its end.
    await skipTo(harness.env, amsterdam(addDays(resolveOn, 1), '12:00'));
    expect((await handle.query(dossierQuery)).terms.resolve?.breachedAt).toBeUndefined();
    await skipTo(harness.env, amsterdam(addDays(newResolve, 1), '12:00'));
    dossier = await handle.query(dossierQuery);
    expect(toSecond(dossier.terms.resolve?.breachedAt)).toBe(toSecond(amsterdam(newResolve, '23:59:59.999')));
    // The report counts the suspension apart from extensions.
    expect(registerMemoOf(dossier).progress.terms.resolve).toEqual({ fate: 'breached', suspended: true });
  });

  it('without an answer the terms run on at the answer date, and no breach falls while they stood still', async () => {
    const reference = 'KL-2026-GOOSUD';
    const handle = await start(reference);
    const resolveOn = addDays(monday, 14);
    const asked = addWorkingDays(calendar, monday, 9).date;
    await skipTo(harness.env, amsterdam(asked, '10:00'));
    const answerBy = addWorkingDays(calendar, asked, 3).date;
    await act(handle, 'suspend', { question: 'Kunt u de offerte sturen?', answerBy }, hanna);

    // The first date passes while the terms stand still: no breach, nothing overdue.
    await skipTo(harness.env, amsterdam(addDays(answerBy, 1), '12:00'));
    const dossier = await handle.query(dossierQuery);
    const stood = workingDaysBetween(calendar, asked, answerBy);
    expect(dossier.terms.resolve?.breachedAt).toBeUndefined();
    expect(dossier.terms.resolve?.extendedTo).toBe(addWorkingDays(calendar, resolveOn, stood).date);
    expect(dossier.suspensions![0]!.ended).toMatchObject({ how: 'answer-date', by: 'klachtflow', workingDays: stood });
    expect((await handle.describe()).typedSearchAttributes.get(ComplaintOverdue)).toBe(false);
    const resumed = await harness.mail.waitFor((m) => m.subject === `De termijnen voor uw klacht lopen weer [${reference}]`);
    expect(resumed.text).toContain('De datum om op onze vraag over uw klacht KL-2026-GOOSUD te antwoorden is voorbij.');
    // Nothing open any more.
    await expect(act(handle, 'endSuspension', {}, hanna)).rejects.toMatchObject(refusal('NotSuspended'));
  });

  it('a position sent while the terms stand still meets them: the answer date then moves nothing and tells nobody', async () => {
    const reference = 'KL-2026-GOOSUP';
    const handle = await start(reference);
    await skipTo(harness.env, amsterdam(addDays(monday, 1), '10:00'));
    await act(handle, 'suspend', { question: 'Welk project?' }, hanna);
    await act(handle, 'sendPosition', { text: 'Ons standpunt, ook zonder uw antwoord.' }, hanna);
    await skipTo(harness.env, amsterdam(addDays(monday, 10), '10:00'));
    const dossier = await handle.query(dossierQuery);
    expect(dossier.suspensions![0]!.ended).toMatchObject({ how: 'answer-date', workingDays: 0 });
    expect(dossier.terms.resolve?.extensions).toBeUndefined();
    expect(harness.mail.messages.filter((m) => m.subject === `De termijnen voor uw klacht lopen weer [${reference}]`)).toEqual([]);
  });

  it('is refused where the procedure has none, and ends when staff record the answer', async () => {
    const babbage = await harness.start('KL-2026-BABSUS', { procedure: 'babbage', receivedAt: amsterdam(monday, '10:00') });
    await expect(act(babbage, 'suspend', { question: 'Welke cursus?' }, hanna)).rejects.toMatchObject(refusal('SuspensionNotInProcedure'));

    const handle = await start('KL-2026-GOOSUE');
    await skipTo(harness.env, amsterdam(addDays(monday, 1), '10:00'));
    await act(handle, 'suspend', { question: 'Welke cursus?' }, hanna);
    await skipTo(harness.env, amsterdam(addDays(monday, 2), '10:00'));
    const dossier = await actAndRead(handle, 'endSuspension', { note: 'Telefonisch: de cursus van mei' }, hanna);
    expect(dossier.suspensions![0]!.ended).toMatchObject({ how: 'staff', by: 'hanna', workingDays: 1 });
    expect(dossier.terms.resolve?.extendedTo).toBe(addWorkingDays(calendar, addDays(monday, 14), 1).date);
  });
});
