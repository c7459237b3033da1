import type { ComplaintInput } from '../../domain/complaint';
import { dossierQuery } from '../../domain/messages';
import { ComplaintDestroyOn, ComplaintNextDeadline, ComplaintOutcome, ComplaintStatus } from '../../domain/search-attributes';
import { addDays, amsterdam, inDutch, quietMonday, skipTo, toSecond } from '../support/clock';
import { act, actAndRead, refusal, staff, workflowHarness } from '../support/harness';
import { addressesOf } from '../support/mail-sink';

// Gooiconsult (seed 004): receipt within 5 working days, position within 2 weeks, at most
// 3 weeks with a delay notice at least 3 working days before, the NRTO committee within 2
// weeks of the position, kept a year after closure and at most two after receipt.
describe('Gooiconsult', () => {
  const harness = workflowHarness();
  let monday: string;
  beforeEach(async () => {
    monday = await quietMonday(harness.env, 35);
  });
  const start = (reference: string, overrides: Partial<ComplaintInput> = {}) =>
    harness.start(reference, { procedure: 'gooiconsult', receivedAt: amsterdam(monday, '10:00'), ...overrides });
  const position = { text: 'Wij hebben de factuur nagekeken: de uren waren dubbel geteld.', solution: 'Creditnota' };
  const hanna = staff('hanna');

  it('confirms receipt within its term, answers in time, closes on "satisfied", keeps the file a year and then completes', async () => {
    const handle = await start('KL-2026-GOOHAP');
    let dossier = await handle.query(dossierQuery);
    // Receipt is confirmed at once: the five-working-day term is met on the day.
    expect(dossier.terms.acknowledge?.date).toBe(addDays(monday, 7));
    expect(dossier.terms.acknowledge?.metAt?.slice(0, 10)).toBe(monday);
    expect(dossier.terms.acknowledge?.breachedAt).toBeUndefined();
    expect((await handle.describe()).typedSearchAttributes.get(ComplaintNextDeadline)?.toISOString()).toBe(amsterdam(addDays(monday, 14), '23:59:59.999'));

    await skipTo(harness.env, amsterdam(addDays(monday, 2), '14:00'));
    dossier = await actAndRead(handle, 'sendPosition', position, hanna);
    expect(dossier.status).toBe('awaiting_complainant');
    expect(dossier.terms.resolve?.metAt).toBeDefined();
    expect(dossier.terms.resolve?.breachedAt).toBeUndefined();
    // Satisfaction: 10 working days from Wednesday; the NRTO window: 2 weeks.
    expect(dossier.terms.satisfaction?.date).toBe(addDays(monday, 16));
    expect(dossier.terms.appeal1File?.date).toBe(addDays(monday, 16));

    const letter = await harness.mail.waitFor((m) => m.subject === 'Ons standpunt over uw klacht [KL-2026-GOOHAP]');
    expect(letter.text).toContain(position.text);
    expect(letter.text).toContain('Onze oplossing:\nCreditnota');
    expect(letter.text).toMatch(/- Ja, ik ben tevreden: http:\/\/klachtflow\.test\/dossier\/KL-2026-GOOHAP\?token=\S+&satisfied=yes/);
    expect(letter.text).toMatch(/- Nee, ik ben niet tevreden: \S+&satisfied=no/);
    expect(letter.text).toContain('in beroep bij Geschillencommissie NRTO (Geschillencommissie NRTO (via de NRTO)).');
    expect(letter.text).toContain('De uitspraak is bindend.');

    await skipTo(harness.env, amsterdam(addDays(monday, 3), '09:30'));
    dossier = await actAndRead(handle, 'respondSatisfaction', { satisfied: true });
    expect(dossier).toMatchObject({ status: 'closed', outcome: 'satisfied' });
    await expect(act(handle, 'withdraw', {})).rejects.toMatchObject(refusal('ComplaintClosed', { closedOn: addDays(monday, 3) }));

    const closure = await harness.mail.waitFor((m) => m.subject === 'Uw klacht [KL-2026-GOOHAP] is afgesloten');
    expect(closure.text).toContain('tevreden');
    const destroyOn = `${Number(addDays(monday, 3).slice(0, 4)) + 1}${addDays(monday, 3).slice(4)}`;
    for (let i = 0; i < 20 && (await handle.query(dossierQuery)).destroyOn === undefined; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await handle.query(dossierQuery)).destroyOn).toBe(destroyOn);
    const attributes = (await handle.describe()).typedSearchAttributes;
    expect(attributes.get(ComplaintDestroyOn)).toBe(destroyOn);
    expect(attributes.get(ComplaintOutcome)).toBe('satisfied');

    const result = await handle.result();
    expect(result.outcome).toBe('satisfied');
    const history = await handle.fetchHistory();
    const completed = history.events!.at(-1)!;
    expect(completed.workflowExecutionCompletedEventAttributes).toBeDefined();
    const completedAt = Number(completed.eventTime!.seconds) * 1000;
    // The history is gone by the destroy date: completion a namespace retention (one day) before it.
    expect(completedAt).toBeLessThanOrEqual(Date.parse(amsterdam(destroyOn, '00:00')) - 24 * 3600 * 1000 + 60_000);
    expect(completedAt).toBeGreaterThan(Date.parse(amsterdam(destroyOn, '00:00')) - 2 * 24 * 3600 * 1000);
    console.log(`gooiconsult happy path: ${history.events!.length} history events`);
  });

  it('a position after two weeks breaches resolve, but meets the three-week term', async () => {
    const handle = await start('KL-2026-GOOLAT');
    await skipTo(harness.env, amsterdam(addDays(monday, 15), '10:00'));
    const dossier = await actAndRead(handle, 'sendPosition', position, hanna);
    const breachedAt = Date.parse(dossier.terms.resolve!.breachedAt!);
    const dueAt = Date.parse(amsterdam(addDays(monday, 14), '23:59:59.999'));
    expect(breachedAt - dueAt).toBeGreaterThanOrEqual(0);
    expect(breachedAt - dueAt).toBeLessThan(1000);
    expect(dossier.terms.maxLeadTime?.metAt).toBeDefined();
    expect(dossier.terms.maxLeadTime?.breachedAt).toBeUndefined();
    await act(handle, 'withdraw', { reason: 'opgelost' });
  });

  it('a delay notice before the notice date of the three-week term is in time; the new date runs with its own reminders', async () => {
    const handle = await start('KL-2026-GOODLY');
    const due = addDays(monday, 21); // three weeks: Monday
    const noticeBy = addDays(monday, 16); // three working days before: Wednesday
    expect((await handle.query(dossierQuery)).terms.maxLeadTime).toMatchObject({ date: due, noticeBy });

    await skipTo(harness.env, amsterdam(addDays(monday, 15), '11:00'));
    const newDate = addDays(monday, 28);
    let dossier = await actAndRead(handle, 'extendTerm', { term: 'maxLeadTime', newDate, reason: 'Wij wachten op stukken van de opdrachtgever.' }, hanna);
    expect(dossier.terms.maxLeadTime).toMatchObject({ date: due, extendedTo: newDate, extensions: [{ from: due, to: newDate, notice: 'in-time', by: 'hanna' }] });
    expect(dossier.terms.maxLeadTime!.trace.filter((line) => line.startsWith('extended '))).toHaveLength(1);

    const notice = await harness.mailAbout('KL-2026-GOODLY', 'Nieuwe termijn voor uw klacht [KL-2026-GOODLY]');
    expect(addressesOf(notice)).toEqual(['jan@example.nl']);
    expect(notice.text).toContain('De reden: Wij wachten op stukken van de opdrachtgever.');
    expect(notice.text).toMatch(/De nieuwe termijn is maandag \d+ \w+ \d{4}\./);
    expect(notice.text).not.toContain('Wij hadden u dit eerder moeten laten weten');
    expect(notice.messageId).toBe('<KL-2026-GOODLY.delay-maxLeadTime-1@klachtflow.test>');

    // The old due date passes without a breach; the staff reminder comes before the new one.
    await skipTo(harness.env, amsterdam(addDays(monday, 26), '10:00'));
    dossier = await handle.query(dossierQuery);
    expect(dossier.terms.maxLeadTime?.breachedAt).toBeUndefined();
    expect(dossier.terms.resolve?.breachedAt).toBeDefined();
    const reminders = dossier.timeline.filter((e) => e.event === 'reminder-sent' && e.detail === 'maxLeadTime').map((e) => toSecond(e.at));
    // The old date's reminder (Friday before it) is dropped; the new date's comes the Friday before that.
    expect(reminders).toEqual([toSecond(amsterdam(addDays(monday, 25), '09:00'))]);
    expect(harness.mail.messages.some((m) => m.messageId === '<KL-2026-GOODLY.reminder-maxLeadTime-1@klachtflow.test>')).toBe(true);
    expect((await handle.describe()).typedSearchAttributes.get(ComplaintNextDeadline)?.toISOString()).toBe(amsterdam(newDate, '23:59:59.999'));

    dossier = await actAndRead(handle, 'sendPosition', position, hanna);
    expect(dossier.terms.maxLeadTime).toMatchObject({ metAt: expect.any(String) as unknown });
    expect(dossier.terms.maxLeadTime?.breachedAt).toBeUndefined();
    await act(handle, 'withdraw', {});
  });

  it('a delay notice after the notice date is late, and one after the due date leaves the breach on record', async () => {
    const handle = await start('KL-2026-GOOLNT');
    await skipTo(harness.env, amsterdam(addDays(monday, 17), '10:00'));
    // The staff were told on the notice date, at 09:00.
    const dossierBefore = await handle.query(dossierQuery);
    expect(dossierBefore.timeline.filter((e) => e.event === 'notice-reminder-sent').map((e) => toSecond(e.at))).toEqual([
      toSecond(amsterdam(addDays(monday, 16), '09:00')),
    ]);
    const staffNotice = await harness.mail.waitFor((m) => m.subject === 'Vertragingsbericht vandaag nodig: de afhandeling van de klacht – klacht [KL-2026-GOOLNT]');
    expect(staffNotice.text).toContain('een vertragingsbericht met de reden en de nieuwe termijn');

    let dossier = await actAndRead(handle, 'extendTerm', { term: 'maxLeadTime', newDate: addDays(monday, 23), reason: 'Ziekte van de behandelaar.' }, hanna);
    expect(dossier.terms.maxLeadTime?.extensions?.[0]?.notice).toBe('late');
    const late = await harness.mailAbout('KL-2026-GOOLNT', 'Nieuwe termijn voor uw klacht [KL-2026-GOOLNT]');
    expect(late.text).toContain('Wij hadden u dit eerder moeten laten weten. Onze excuses daarvoor.');

    // The extended date passes too: breached at its end, and extended once more after it.
    await skipTo(harness.env, amsterdam(addDays(monday, 24), '10:00'));
    dossier = await handle.query(dossierQuery);
    expect(toSecond(dossier.terms.maxLeadTime?.breachedAt)).toBe(toSecond(amsterdam(addDays(monday, 23), '23:59:59.999')));
    await expect(act(handle, 'extendTerm', { term: 'maxLeadTime', newDate: addDays(monday, 23), reason: 'x' }, hanna)).rejects.toMatchObject(
      refusal('NewDateNotLater', { newDate: addDays(monday, 23), currentDate: addDays(monday, 23) }),
    );
    dossier = await actAndRead(handle, 'extendTerm', { term: 'maxLeadTime', newDate: addDays(monday, 30), reason: 'Nog steeds ziek.' });
    expect(dossier.terms.maxLeadTime?.extensions?.map((e) => e.notice)).toEqual(['late', 'after-breach']);
    expect(dossier.terms.maxLeadTime?.breachedAt).toBeDefined();
    await harness.mail.waitFor((m) => m.messageId === '<KL-2026-GOOLNT.delay-maxLeadTime-2@klachtflow.test>');
    await expect(act(handle, 'extendTerm', { term: 'firstContact', newDate: addDays(monday, 30), reason: 'x' })).rejects.toMatchObject(
      refusal('TermNotRunning', { term: 'firstContact', running: ['resolve', 'maxLeadTime'] }),
    );
    await act(handle, 'withdraw', {});
  });

  it('an appeal to the NRTO committee inside two weeks goes to the committee; its binding outcome closes the complaint', async () => {
    const handle = await start('KL-2026-GOOAPL');
    await skipTo(harness.env, amsterdam(addDays(monday, 2), '14:00'));
    await act(handle, 'sendPosition', position, hanna);
    await act(handle, 'respondSatisfaction', { satisfied: false, comment: 'De creditnota is te laag.' });

    await skipTo(harness.env, amsterdam(addDays(monday, 16), '20:00'));
    let dossier = await actAndRead(handle, 'fileAppeal', { grounds: 'Ik wil dat de commissie ernaar kijkt.' });
    expect(dossier).toMatchObject({ status: 'with_external_body', appeals: [{ level: 1, kind: 'disputes-committee', body: 'Geschillencommissie NRTO' }] });
    expect(dossier.terms.appeal1File?.metAt).toBeDefined();
    expect((await handle.describe()).typedSearchAttributes.get(ComplaintStatus)).toBe('with_external_body');
    const route = await harness.mailAbout('KL-2026-GOOAPL', 'Uw beroep over klacht [KL-2026-GOOAPL]');
    expect(route.text).toMatch(/U kunt uw klacht voorleggen aan Geschillencommissie NRTO \(Geschillencommissie NRTO \(via de NRTO\)\), uiterlijk woensdag \d+ \w+ \d{4}\./);
    expect(route.text).toContain('is bindend');
    // An external body: the staff who record the referral are told (no handler yet: every handler).
    const told = await harness.mail.waitFor((m) => m.subject === 'Nieuw beroep bij Geschillencommissie NRTO: klacht [KL-2026-GOOAPL]');
    expect(addressesOf(told).sort()).toEqual(['hanna@staff.test', 'henk@staff.test', 'mira@staff.test']);

    await expect(act(handle, 'respondSatisfaction', { satisfied: true })).rejects.toMatchObject(refusal('AppealPending', { level: 1 }));
    await expect(act(handle, 'recordExternalOutcome', { level: 2, outcome: 'rejected', text: 'x' })).rejects.toMatchObject(refusal('NoAppealAtLevel', { level: 2 }));
    dossier = await actAndRead(handle, 'recordExternalReferral', { level: 1, caseNumber: 'NRTO-2026-118' });
    expect(dossier.appeals?.[0]?.referral).toMatchObject({ caseNumber: 'NRTO-2026-118', by: 'mira' });
    dossier = await actAndRead(handle, 'recordExternalOutcome', { level: 1, outcome: 'partly-upheld', text: 'De commissie kent 50 euro toe.' });
    expect(dossier).toMatchObject({ status: 'closed', outcome: 'external_decided' });
    const outcome = await harness.mailAbout('KL-2026-GOOAPL', 'Uitspraak over uw beroep, klacht [KL-2026-GOOAPL]');
    expect(outcome.text).toContain('Uw beroep is gedeeltelijk gegrond.');
    expect(outcome.text).toContain('Hiermee is de klachtenprocedure afgerond.');
    const closure = await harness.mailAbout('KL-2026-GOOAPL', 'Uw klacht [KL-2026-GOOAPL] is afgesloten');
    expect(closure.text).toContain('Geschillencommissie NRTO heeft over uw klacht beslist.');
  });

  it('refuses an appeal once the two weeks after the position have passed, naming the day they ended', async () => {
    const handle = await start('KL-2026-GOOAPX');
    await skipTo(harness.env, amsterdam(addDays(monday, 1), '10:00'));
    await act(handle, 'sendPosition', position, hanna);
    await skipTo(harness.env, amsterdam(addDays(monday, 16), '08:00'));
    await expect(act(handle, 'fileAppeal', { grounds: 'Te laat, maar toch.' })).rejects.toMatchObject(refusal('AppealWindowClosed', { level: 1, closedOn: addDays(monday, 15) }));
    expect((await handle.query(dossierQuery)).appeals).toEqual([]);
    await act(handle, 'withdraw', {});
  });

  it('no answer to "satisfied?": one reminder at 09:00 the next working day with five working days more, then closed as no_response', async () => {
    const handle = await start('KL-2026-GOONOR');
    await skipTo(harness.env, amsterdam(addDays(monday, 1), '10:00'));
    await act(handle, 'sendPosition', position, hanna);
    // Satisfaction: 10 working days from Tuesday = Tuesday two weeks on; the reminder the day after.
    await skipTo(harness.env, amsterdam(addDays(monday, 16), '10:00'));
    let dossier = await handle.query(dossierQuery);
    expect(dossier.status).toBe('awaiting_complainant');
    expect(dossier.timeline.filter((e) => e.event === 'satisfaction-reminder-sent').map((e) => toSecond(e.at))).toEqual([toSecond(amsterdam(addDays(monday, 16), '09:00'))]);
    const reminder = await harness.mail.waitFor((m) => m.subject === 'Herinnering: Ons standpunt over uw klacht [KL-2026-GOONOR]');
    expect(reminder.text).toContain(`Laat het ons uiterlijk ${inDutch(addDays(monday, 22))} weten`);
    expect(reminder.messageId).toBe('<KL-2026-GOONOR.position-reminder@klachtflow.test>');

    await skipTo(harness.env, amsterdam(addDays(monday, 23), '10:00'));
    dossier = await handle.query(dossierQuery);
    expect(dossier).toMatchObject({ status: 'closed', outcome: 'no_response' });
    expect(toSecond(dossier.closedAt)).toBe(toSecond(amsterdam(addDays(monday, 22), '23:59:59.999')));
    expect(harness.mail.messages.filter((m) => m.subject === 'Herinnering: Ons standpunt over uw klacht [KL-2026-GOONOR]')).toHaveLength(1);
    expect((await handle.describe()).typedSearchAttributes.get(ComplaintStatus)).toBe('closed');
  });
});
