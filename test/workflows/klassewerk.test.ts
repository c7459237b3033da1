import type { ComplaintInput } from '../../domain/complaint';
import { dossierQuery } from '../../domain/messages';
import { ComplaintOverdue, ComplaintStatus } from '../../domain/search-attributes';
import { addDays, addMonths, amsterdam, inDutch, quietMonday, skipTo, toSecond, weekdayOnOrAfter } from '../support/clock';
import { act, actAndRead, refusal, staff, workflowHarness } from '../support/harness';
import { addressesOf } from '../support/mail-sink';

// Klassewerk (seed 003): a phone call within 2 working days; closed only on written
// satisfaction; appeal to the director within a month, with a hearing offered and a
// decision within a month; then the Geschillencommissie, whose decision binds.
describe('Klassewerk', () => {
  const harness = workflowHarness();
  let monday: string;
  beforeEach(async () => {
    monday = await quietMonday(harness.env, 70);
  });
  const start = (reference: string, overrides: Partial<ComplaintInput> = {}) =>
    harness.start(reference, { procedure: 'klassewerk', receivedAt: amsterdam(monday, '10:00'), ...overrides });
  const director = 'Simone Haven, directeur Klassewerk Onderwijstraining';
  const mira = staff('mira');

  it("never closes without the complainant's written satisfaction: a \"satisfied\" by phone is not enough, one by e-mail is", async () => {
    const handle = await start('KL-2026-KLASSE');
    // No manager notice for Klassewerk; the staff are told of the new complaint.
    await harness.mail.waitFor((m) => m.subject === 'Nieuwe klacht [KL-2026-KLASSE] (Klassewerk Onderwijstraining)');
    expect(addressesOf(harness.mail.messages.find((m) => m.subject?.startsWith('Nieuwe klacht [KL-2026-KLASSE]'))!)).toEqual(['hanna@staff.test', 'henk@staff.test', 'mira@staff.test']);
    await act(handle, 'addInformation', { text: 'De training was op 3 november.' });
    await skipTo(harness.env, amsterdam(monday, '11:00'));
    await act(handle, 'sendPosition', { text: 'Telefonisch opgelost; afspraken volgen' }, mira);
    await expect(act(handle, 'close', { outcome: 'no_response' }, mira)).rejects.toMatchObject(refusal('AnswerPeriodRunning'));
    const phoned = { satisfied: true, channel: 'phone' as const, receivedAt: amsterdam(monday, '11:30') };
    await skipTo(harness.env, amsterdam(monday, '12:00'));
    await expect(act(handle, 'recordSatisfaction', phoned, mira)).rejects.toMatchObject(refusal('WrittenConfirmationRequired'));
    const dossier = await actAndRead(handle, 'recordSatisfaction', { ...phoned, channel: 'email', comment: 'Per e-mail: prima geregeld' }, mira);
    expect(dossier).toMatchObject({ status: 'closed', outcome: 'satisfied', satisfaction: { satisfied: true, by: 'mira', channel: 'email' } });
    expect(dossier.timeline.map((e) => e.event)).toEqual(expect.arrayContaining(['information-added', 'position-sent', 'satisfied', 'closed']));
  });

  it('confirms the agreements of a call in writing only when the complainant wishes it (issue 17)', async () => {
    const handle = await start('KL-2026-KLAAFS');
    await act(handle, 'logContact', { channel: 'phone', summary: 'Telefonisch opgelost', agreements: 'De training wordt op 12 mei ingehaald.' }, mira);
    await expect(act(handle, 'logContact', { channel: 'phone', summary: 'Nog eens gebeld', confirmInWriting: true }, mira)).rejects.toMatchObject(refusal('NoAgreementsToConfirm'));
    await act(handle, 'logContact', { channel: 'phone', summary: 'Nog eens gebeld', agreements: 'De training wordt op 19 mei ingehaald.', confirmInWriting: true }, mira);
    const mail = await harness.mail.waitFor((m) => m.subject === 'Gemaakte afspraken over uw klacht [KL-2026-KLAAFS]');
    expect(mail.text).toContain('De training wordt op 19 mei ingehaald.');
    expect(mail.messageId).toBe('<KL-2026-KLAAFS.agreements-2@klachtflow.test>');
    await new Promise((r) => setTimeout(r, 500));
    expect(harness.mail.messages.filter((m) => m.subject === 'Gemaakte afspraken over uw klacht [KL-2026-KLAAFS]')).toHaveLength(1);
  });

  it('without an answer, staff decide: the complaint stays open, and may then be closed as no_response', async () => {
    const handle = await start('KL-2026-KLANOR');
    await skipTo(harness.env, amsterdam(addDays(monday, 1), '10:00'));
    await act(handle, 'sendPosition', { text: 'Ons standpunt' }, mira);
    // The director's month runs longest: the complaint waits for it, then for staff.
    const windowEnd = weekdayOnOrAfter(addMonths(addDays(monday, 1), 1));
    await expect(act(handle, 'close', { outcome: 'no_response' }, mira)).rejects.toMatchObject(refusal('AnswerPeriodRunning', { until: windowEnd }));
    await skipTo(harness.env, amsterdam(addDays(windowEnd, 1), '10:00'));
    let dossier = await handle.query(dossierQuery);
    expect(dossier.status).toBe('awaiting_complainant');
    expect(dossier.timeline.filter((e) => e.event === 'no-response')).toHaveLength(1);
    dossier = await actAndRead(handle, 'close', { outcome: 'no_response', text: 'Twee keer gebeld, geen gehoor' }, mira);
    expect(dossier).toMatchObject({ status: 'closed', outcome: 'no_response' });
  });

  it('appeal to the director within a month, a hearing held before the decision within a month; then the Geschillencommissie, whose outcome binds', async () => {
    const handle = await start('KL-2026-KLAAPL');
    await skipTo(harness.env, amsterdam(addDays(monday, 1), '09:30'));
    let dossier = await actAndRead(handle, 'logContact', { channel: 'phone', summary: 'Gebeld en de klacht doorgenomen' }, staff('hanna'));
    expect(dossier.terms.firstContact?.metAt).toBeDefined();

    await skipTo(harness.env, amsterdam(addDays(monday, 2), '14:00'));
    dossier = await actAndRead(handle, 'sendPosition', { text: 'De trainer was op tijd; wij zien geen fout.' }, mira);
    expect(dossier.terms.appeal1File?.date).toBe(weekdayOnOrAfter(addMonths(addDays(monday, 2), 1)));
    await act(handle, 'respondSatisfaction', { satisfied: false, comment: 'Ik ben het er niet mee eens.' });

    await skipTo(harness.env, amsterdam(addDays(monday, 7), '10:00'));
    dossier = await actAndRead(handle, 'fileAppeal', { grounds: 'De trainer kwam een uur te laat.' });
    const decideBy = weekdayOnOrAfter(addMonths(addDays(monday, 7), 1));
    expect(dossier).toMatchObject({ status: 'in_appeal', appeals: [{ level: 1, kind: 'internal', body: director }] });
    expect(dossier.terms.appeal1Decide).toMatchObject({ date: decideBy });
    expect((await handle.describe()).typedSearchAttributes.get(ComplaintStatus)).toBe('in_appeal');
    const received = await harness.mailAbout('KL-2026-KLAAPL', 'Uw beroep over klacht [KL-2026-KLAAPL]');
    expect(received.text).toContain(`${director} beoordeelt het en laat u de uitspraak uiterlijk ${inDutch(decideBy)} schriftelijk weten.`);
    expect(received.text).toContain('U kunt uw bezwaar ook mondeling toelichten.');
    // The appeal goes to the director, by the address in the procedure file; its subject names her.
    const toDirector = await harness.mailAbout('KL-2026-KLAAPL', `Nieuw beroep bij ${director}: klacht [KL-2026-KLAAPL]`);
    expect(addressesOf(toDirector)).toEqual(['info@klassewerk.com']);

    await expect(act(handle, 'close', { outcome: 'no_response' }, mira)).rejects.toMatchObject(refusal('AppealPending', { level: 1 }));
    await expect(act(handle, 'respondSatisfaction', { satisfied: true })).rejects.toMatchObject(refusal('AppealPending', { level: 1 }));
    const past = amsterdam(addDays(monday, 6), '14:00');
    await expect(act(handle, 'scheduleHearing', { at: past, mode: 'in-person', level: 1 }, mira)).rejects.toMatchObject(refusal('HearingInPast', { at: past }));
    const hearingAt = amsterdam(addDays(monday, 11), '14:00');
    dossier = await actAndRead(handle, 'scheduleHearing', { at: hearingAt, mode: 'in-person', location: 'Kantoor Utrecht, Stationsplein 1', attendees: ['Simone Haven'], level: 1 }, mira);
    expect(dossier.hearings).toEqual([expect.objectContaining({ number: 1, at: hearingAt, mode: 'in-person', level: 1, by: 'mira' })]);
    const invitation = await harness.mailAbout('KL-2026-KLAAPL', 'Uitnodiging voor een gesprek over uw klacht [KL-2026-KLAAPL]');
    expect(invitation.text).toContain('waarin u uw bezwaar mondeling kunt toelichten');
    expect(invitation.text).toContain(`Wanneer: ${inDutch(addDays(monday, 11))} om 14:00`);
    expect(invitation.text).toContain('Waar: Kantoor Utrecht, Stationsplein 1');
    expect(invitation.messageId).toBe('<KL-2026-KLAAPL.hearing-1@klachtflow.test>');

    await expect(act(handle, 'decideAppeal', { level: 2, decision: 'rejected', text: 'x' }, mira)).rejects.toMatchObject(refusal('NoAppealAtLevel', { level: 2 }));
    await skipTo(harness.env, amsterdam(addDays(monday, 14), '10:00'));
    // The hearing was planned: the decision waits until it is recorded as held, or says why not.
    const decision = { level: 1, decision: 'rejected' as const, text: 'De trainer was volgens het rooster op tijd.' };
    await expect(act(handle, 'decideAppeal', decision, mira)).rejects.toMatchObject(refusal('HearingNotHeld', { number: 1, at: hearingAt }));
    await act(handle, 'recordHearing', { hearing: 1, report: 'Bezwaar mondeling toegelicht; rooster bekeken.' }, mira);
    dossier = await actAndRead(handle, 'decideAppeal', decision, mira);
    const level2By = addDays(monday, 28); // 10 working days from Monday: the default where the level sets none
    expect(dossier).toMatchObject({ status: 'awaiting_complainant', appeals: [{ decision: { decision: 'rejected', by: 'mira' } }] });
    expect(dossier.terms.appeal1Decide?.metAt).toBeDefined();
    expect(dossier.terms.appeal1Decide?.breachedAt).toBeUndefined();
    expect(dossier.terms.appeal2File?.date).toBe(level2By);
    const decided = await harness.mailAbout('KL-2026-KLAAPL', 'Uitspraak over uw beroep, klacht [KL-2026-KLAAPL]');
    expect(decided.text).toContain('Uw beroep is ongegrond.');
    expect(decided.text).toContain(
      `tot en met ${inDutch(level2By)} in beroep bij Geschillencommissie (Secretariaat: mevr. H. Borgers (voorzitter dhr. M. de Groot)). De uitspraak daarvan is bindend.`,
    );
    await expect(act(handle, 'decideAppeal', { ...decision, decision: 'upheld' }, mira)).rejects.toMatchObject(refusal('AppealAlreadyDecided', { level: 1, decidedOn: addDays(monday, 14) }));

    await skipTo(harness.env, amsterdam(addDays(monday, 20), '10:00'));
    dossier = await actAndRead(handle, 'fileAppeal', { grounds: 'Ik leg het voor aan de commissie.' });
    expect(dossier.status).toBe('with_external_body');
    const route = await harness.mail.waitFor((m) => m.messageId === '<KL-2026-KLAAPL.appeal-2-received@klachtflow.test>');
    expect(route.text).toContain(`U kunt uw klacht voorleggen aan Geschillencommissie (Secretariaat: mevr. H. Borgers (voorzitter dhr. M. de Groot)), uiterlijk ${inDutch(level2By)}.`);
    await expect(act(handle, 'decideAppeal', { level: 2, decision: 'rejected', text: 'x' }, mira)).rejects.toMatchObject(refusal('AppealIsExternal', { level: 2 }));
    await act(handle, 'recordExternalReferral', { level: 2, caseNumber: 'GC-2027-004' }, mira);
    dossier = await actAndRead(handle, 'recordExternalOutcome', { level: 2, outcome: 'rejected', text: 'De commissie acht de klacht ongegrond.' }, mira);
    expect(dossier).toMatchObject({ status: 'closed', outcome: 'external_decided' });
    const closure = await harness.mailAbout('KL-2026-KLAAPL', 'Uw klacht [KL-2026-KLAAPL] is afgesloten');
    expect(closure.text).toContain('Geschillencommissie heeft over uw klacht beslist.');
    // Kept 12 months after closure.
    dossier = await harness.until(handle, (d) => d.destroyOn !== undefined);
    expect(dossier.destroyOn).toBe(addMonths(addDays(monday, 20), 12));
  });

  it('after the director decided, the complainant may still say "satisfied" while the way to the Geschillencommissie is open: that closes it', async () => {
    const handle = await start('KL-2026-KLASAT');
    await skipTo(harness.env, amsterdam(addDays(monday, 1), '10:00'));
    await act(handle, 'sendPosition', { text: 'Ons standpunt' }, mira);
    await act(handle, 'respondSatisfaction', { satisfied: false });
    await expect(act(handle, 'respondSatisfaction', { satisfied: false })).rejects.toMatchObject(refusal('AlreadyAnswered', { answeredOn: addDays(monday, 1), satisfied: false }));
    await act(handle, 'fileAppeal', { grounds: 'Oneens' });
    await skipTo(harness.env, amsterdam(addDays(monday, 3), '10:00'));
    await act(handle, 'decideAppeal', { level: 1, decision: 'partly-upheld', text: 'U krijgt een extra trainingsdag.' }, mira);
    expect((await handle.query(dossierQuery)).terms.appeal2File).toBeDefined();
    const dossier = await actAndRead(handle, 'respondSatisfaction', { satisfied: true, comment: 'Met de extra dag ben ik tevreden.' });
    expect(dossier).toMatchObject({ status: 'closed', outcome: 'satisfied' });
  });

  it('a director who does not decide within the month: the breach is recorded and the manager is told at 09:00 the next working day', async () => {
    const handle = await start('KL-2026-KLALAT');
    await skipTo(harness.env, amsterdam(addDays(monday, 1), '10:00'));
    await act(handle, 'sendPosition', { text: 'Ons standpunt' }, mira);
    await act(handle, 'fileAppeal', { grounds: 'Niet eens.' });
    const decideBy = weekdayOnOrAfter(addMonths(addDays(monday, 1), 1));
    await skipTo(harness.env, amsterdam(addDays(decideBy, 4), '10:00'));
    let dossier = await handle.query(dossierQuery);
    expect(toSecond(dossier.terms.appeal1Decide?.breachedAt)).toBe(toSecond(amsterdam(decideBy, '23:59:59.999')));
    expect((await handle.describe()).typedSearchAttributes.get(ComplaintOverdue)).toBe(true);
    const escalation = await harness.mail.waitFor((m) => m.subject === `Termijn verstreken: de uitspraak over het beroep bij ${director} – klacht [KL-2026-KLALAT]`);
    expect(escalation.text).toContain(`De termijn voor de uitspraak over het beroep bij ${director} bij klacht KL-2026-KLALAT`);
    expect(addressesOf(escalation)).toEqual(['mira@staff.test']);
    const escalated = dossier.timeline.find((e) => e.event === 'escalation-sent' && e.detail === 'appeal1Decide')!;
    expect(toSecond(escalated.at)).toBe(toSecond(amsterdam(weekdayOnOrAfter(addDays(decideBy, 1)), '09:00')));

    dossier = await actAndRead(handle, 'decideAppeal', { level: 1, decision: 'upheld', text: 'U krijgt gelijk; wij betalen het cursusgeld terug.' }, mira);
    expect(dossier).toMatchObject({ status: 'closed', outcome: 'appeal_decided' });
    expect(dossier.terms.appeal1Decide?.metAt).toBeDefined();
    const decision = await harness.mail.waitFor((m) => m.subject === 'Uitspraak over uw beroep, klacht [KL-2026-KLALAT]');
    expect(decision.text).toContain('Uw beroep is gegrond: u krijgt gelijk.');
    expect(decision.text).toContain('Hiermee is de klachtenprocedure afgerond.');
  });
});
