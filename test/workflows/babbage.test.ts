import { dossierQuery } from '../../domain/messages';
import { registerMemoOf } from '../../domain/register';
import { ComplaintHandler, ComplaintOverdue, ComplaintStatus } from '../../domain/search-attributes';
import { addDays, amsterdam, inDutch, quietMonday, skipTo, toSecond } from '../support/clock';
import { act, actAndRead, refusal, staff, workflowHarness } from '../support/harness';

// Babbage (seed 001): a reaction within 2 working days by phone or in writing; a hearing may
// be planned (Teams or in person) and agreements confirmed in writing; an independent
// mediator when the complaint is not resolved.
describe('Babbage', () => {
  const harness = workflowHarness();
  let monday: string;
  // Each test's complaint arrives on a Monday still ahead of the clock the previous test moved.
  beforeEach(async () => {
    monday = await quietMonday(harness.env);
  });
  const start = (reference: string) => harness.start(reference, { procedure: 'babbage', receivedAt: amsterdam(monday, '10:00') });

  it('first contact within 2 working days is met by a logged phone call: no reminder, no breach, the complaint taken up', async () => {
    const handle = await start('KL-2026-BABMET');
    let dossier = await handle.query(dossierQuery);
    expect(dossier.terms.firstContact).toMatchObject({ date: addDays(monday, 2), dueAt: amsterdam(addDays(monday, 2), '23:59:59.999') });

    await skipTo(harness.env, amsterdam(addDays(monday, 1), '08:00'));
    dossier = await actAndRead(handle, 'logContact', { channel: 'phone', summary: 'Gebeld, toelichting gekregen' }, staff('hanna'));
    expect(dossier.status).toBe('in_progress');
    expect(toSecond(dossier.terms.firstContact?.metAt)).toBe(toSecond(amsterdam(addDays(monday, 1), '08:00')));

    await skipTo(harness.env, amsterdam(addDays(monday, 3), '10:00'));
    dossier = await handle.query(dossierQuery);
    expect(dossier.terms.firstContact?.breachedAt).toBeUndefined();
    expect(dossier.timeline.map((e) => `${e.event}:${e.detail ?? ''}`)).not.toContain('reminder-sent:firstContact');
    expect(harness.mail.messages.filter((m) => m.subject?.includes('het eerste contact') && m.subject.includes('KL-2026-BABMET'))).toEqual([]);
    expect((await handle.describe()).typedSearchAttributes.get(ComplaintStatus)).toBe('in_progress');
  });

  it('first contact breached when nobody calls: reminder at 09:00 the day before, breach at the end of the due day, escalation to the manager at 09:00 the next working day', async () => {
    const handle = await start('KL-2026-BABNOT');
    const due = addDays(monday, 2);

    await skipTo(harness.env, amsterdam(addDays(monday, 4), '10:00'));
    const dossier = await handle.query(dossierQuery);
    const events = dossier.timeline.filter((e) => e.detail === 'firstContact');
    expect(events.map((e) => [e.event, toSecond(e.at)])).toEqual([
      ['reminder-sent', toSecond(amsterdam(addDays(monday, 1), '09:00'))],
      ['term-breached', toSecond(amsterdam(due, '23:59:59.999'))],
      ['escalation-sent', toSecond(amsterdam(addDays(monday, 3), '09:00'))],
    ]);
    expect(Date.parse(dossier.terms.firstContact!.breachedAt!)).toBeGreaterThanOrEqual(Date.parse(amsterdam(due, '23:59:59.999')));
    expect((await handle.describe()).typedSearchAttributes.get(ComplaintOverdue)).toBe(true);

    // Unassigned and no staff mailbox: the reminder goes to every handler; the escalation to the managers only.
    const reminder = await harness.mail.waitFor((m) => m.subject === `Herinnering: het eerste contact uiterlijk ${inDutch(due)} – klacht [KL-2026-BABNOT]`);
    expect(reminder.text).toContain(`verstrijkt de volgende werkdag: ${inDutch(due)}.`);
    expect(reminder.to).toMatchObject({ value: [{ address: 'hanna@staff.test' }, { address: 'henk@staff.test' }, { address: 'mira@staff.test' }] });
    const escalation = await harness.mail.waitFor((m) => m.subject === 'Termijn verstreken: het eerste contact – klacht [KL-2026-BABNOT]');
    expect(escalation.to).toMatchObject({ value: [{ address: 'mira@staff.test' }] });
    expect(escalation.messageId).toBe('<KL-2026-BABNOT.escalation-firstContact@klachtflow.test>');
  });

  it('past its 5-working-day aim but inside its terms: "target missed", reported, never a breach or an escalation (issue 17)', async () => {
    const handle = await start('KL-2026-BABAIM');
    let dossier = await handle.query(dossierQuery);
    expect(dossier.terms.resolve).toMatchObject({ target: true, date: addDays(monday, 7) });
    await skipTo(harness.env, amsterdam(addDays(monday, 1), '09:30'));
    await act(handle, 'logContact', { channel: 'phone', summary: 'Gebeld; we zoeken het uit' }, staff('hanna'));

    await skipTo(harness.env, amsterdam(addDays(monday, 9), '10:00'));
    dossier = await handle.query(dossierQuery);
    expect(dossier.terms.resolve?.breachedAt).toBeUndefined();
    expect(toSecond(dossier.terms.resolve?.targetMissedAt)).toBe(toSecond(amsterdam(addDays(monday, 7), '23:59:59.999')));
    const resolveEvents = dossier.timeline.filter((e) => e.detail === 'resolve').map((e) => e.event);
    expect(resolveEvents).toContain('target-missed');
    expect(resolveEvents).not.toContain('term-breached');
    expect(resolveEvents).not.toContain('escalation-sent');
    expect(harness.mail.messages.filter((m) => m.subject?.startsWith('Termijn verstreken') && m.subject.includes('KL-2026-BABAIM'))).toEqual([]);
    expect((await handle.describe()).typedSearchAttributes.get(ComplaintOverdue)).toBe(false);

    // Sent late, the position meets the term; the missed aim stays on record for the report, as no breach.
    dossier = await actAndRead(handle, 'sendPosition', { text: 'Ons standpunt, met redenen.' }, staff('hanna'));
    expect(dossier.terms.resolve?.metAt).toBeDefined();
    expect(dossier.terms.resolve?.breachedAt).toBeUndefined();
    expect(registerMemoOf(dossier).progress.terms.resolve).toEqual({ fate: 'met', targetMissed: true });
    // The receipt said it as an aim.
    const receipt = await harness.mail.waitFor((m) => m.subject === 'Ontvangstbevestiging van uw klacht [KL-2026-BABAIM]');
    expect(receipt.text).toContain(`- ons schriftelijk standpunt: wij streven naar ${inDutch(addDays(monday, 7))} (een streven, geen toezegging)`);
  });

  it('confirms the agreements of a logged contact in writing, always, as its procedure says (issue 17)', async () => {
    const handle = await start('KL-2026-BABAFS');
    await skipTo(harness.env, amsterdam(addDays(monday, 1), '11:00'));
    const dossier = await actAndRead(handle, 'logContact', { channel: 'phone', summary: 'Gebeld over de verplaatste cursus', at: amsterdam(addDays(monday, 1), '09:30'), agreements: 'U krijgt een plaats in de cursus van 14 juni.' }, staff('hanna'));
    expect(dossier.timeline.find((e) => e.event === 'agreements')).toMatchObject({ detail: 'U krijgt een plaats in de cursus van 14 juni.' });
    const mail = await harness.mail.waitFor((m) => m.subject === 'Gemaakte afspraken over uw klacht [KL-2026-BABAFS]');
    expect(mail.text).toContain(`Wij spraken u telefonisch op ${inDutch(addDays(monday, 1))} om 09:30 over uw klacht KL-2026-BABAFS. Dit hebben wij samen afgesproken:\n\nU krijgt een plaats in de cursus van 14 juni.`);
    expect(mail.messageId).toBe('<KL-2026-BABAFS.agreements-1@klachtflow.test>');
    // A contact without agreements sends nothing.
    await act(handle, 'logContact', { channel: 'phone', summary: 'Teruggebeld' }, staff('hanna'));
    await new Promise((r) => setTimeout(r, 500));
    expect(harness.mail.messages.filter((m) => m.subject?.startsWith('Gemaakte afspraken') && m.subject.includes('KL-2026-BABAFS'))).toHaveLength(1);
  });

  it('refuses to assign a complaint to someone it is about, and assigns to someone else', async () => {
    const handle = await start('KL-2026-BABASG');
    await act(handle, 'addInvolved', { name: 'Henk Handler', staffId: 'henk', role: 'consultant' }, staff('mira'));
    await expect(act(handle, 'assign', { handler: 'henk' }, staff('mira'))).rejects.toMatchObject(
      refusal('AssigneeInvolved', { staffId: 'henk' }),
    );
    const dossier = await actAndRead(handle, 'assign', { handler: 'hanna' }, staff('mira'));
    expect(dossier).toMatchObject({ handler: 'hanna', status: 'in_progress', involved: [{ name: 'Henk Handler', staffId: 'henk', role: 'consultant' }] });
    expect((await handle.describe()).typedSearchAttributes.get(ComplaintHandler)).toBe('hanna');
    const complainantView = await handle.query(dossierQuery, { view: 'complainant' });
    expect(complainantView.timeline.map((e) => e.event)).not.toContain('involved-added');
  });

  it('invites the complainant to a hearing on Teams, holds it before the position, and confirms agreements in writing with the position', async () => {
    const handle = await start('KL-2026-BABHRG');
    await act(handle, 'assign', { handler: 'hanna' }, staff('mira'));
    const at = amsterdam(addDays(monday, 3), '15:30');
    const teams = 'https://teams.microsoft.com/l/meetup-join/babbage-klacht';
    let dossier = await actAndRead(handle, 'scheduleHearing', { at, mode: 'teams', location: teams, attendees: ['Hanna Handler', 'Mira Manager'] }, staff('hanna'));
    expect(dossier.hearings).toEqual([expect.objectContaining({ number: 1, at, mode: 'teams', location: teams, attendees: ['Hanna Handler', 'Mira Manager'], by: 'hanna' })]);
    expect(dossier.timeline.at(-1)).toMatchObject({ event: 'hearing-scheduled', actor: 'hanna' });
    const invitation = await harness.mail.waitFor((m) => m.subject === 'Uitnodiging voor een gesprek over uw klacht [KL-2026-BABHRG]');
    expect(invitation.text).toContain(`Wanneer: ${inDutch(addDays(monday, 3))} om 15:30`);
    expect(invitation.text).toContain(`Hoe: via Microsoft Teams (${teams})`);
    expect(invitation.text).toContain('Wie er zijn: Hanna Handler, Mira Manager');
    expect(invitation.text).toContain('De afspraken uit het gesprek bevestigen wij u schriftelijk.');

    // A hearing not yet held: the position waits for it, or says why it goes out without it.
    await expect(act(handle, 'sendPosition', { text: 'Te vroeg' }, staff('hanna'))).rejects.toMatchObject(refusal('HearingNotHeld', { number: 1, at }));
    await expect(act(handle, 'recordHearing', { hearing: 1, report: 'x' }, staff('hanna'))).rejects.toMatchObject(refusal('HearingNotYet', { number: 1 }));
    await skipTo(harness.env, amsterdam(addDays(monday, 3), '17:00'));
    dossier = await actAndRead(handle, 'recordHearing', { hearing: 1, report: 'Planning doorgenomen; nieuwe planning vrijdag.' }, staff('hanna'));
    expect(dossier.hearings[0]?.held).toMatchObject({ at, by: 'hanna', report: 'Planning doorgenomen; nieuwe planning vrijdag.' });
    expect((await handle.query(dossierQuery, { view: 'complainant' })).hearings[0]?.held).toEqual({ at, by: 'hanna' });
    dossier = await actAndRead(handle, 'sendPosition', { text: 'Zoals besproken in ons gesprek.', agreements: 'U ontvangt een nieuwe planning voor vrijdag.' }, staff('hanna'));
    // Resolve is a target of 5 working days, met on Thursday.
    expect(dossier.terms.resolve).toMatchObject({ date: addDays(monday, 7), metAt: expect.any(String) as unknown });
    const letter = await harness.mail.waitFor((m) => m.subject === 'Ons standpunt over uw klacht [KL-2026-BABHRG]');
    expect(letter.text).toContain('Wat wij met u hebben afgesproken:\nU ontvangt een nieuwe planning voor vrijdag.');
  });

  it('offers the independent mediator when the complainant is not satisfied; the mediation outcome closes the complaint', async () => {
    const handle = await start('KL-2026-BABMED');
    await skipTo(harness.env, amsterdam(addDays(monday, 1), '10:00'));
    await act(handle, 'logContact', { channel: 'phone', summary: 'Gebeld' }, staff('hanna'));
    let dossier = await actAndRead(handle, 'sendPosition', { text: 'Wij zien het anders.' }, staff('hanna'));
    // The mediator level has no term of its own: open as long as "satisfied?" may be answered (10 + 5 working days).
    expect(dossier.terms.satisfaction?.date).toBe(addDays(monday, 15));
    expect(dossier.terms.appeal1File?.date).toBe(addDays(monday, 22));
    const letter = await harness.mail.waitFor((m) => m.subject === 'Ons standpunt over uw klacht [KL-2026-BABMED]');
    expect(letter.text).toContain('in beroep bij Onafhankelijke mediator (Via Babbage (info@babbage.nl), afhankelijk van het type klacht).');
    expect(letter.text).not.toContain('bindend');

    await skipTo(harness.env, amsterdam(addDays(monday, 4), '10:00'));
    await act(handle, 'respondSatisfaction', { satisfied: false, comment: 'Ik wil een mediator.' });
    dossier = await actAndRead(handle, 'fileAppeal', { grounds: 'Wij komen er samen niet uit.' });
    expect(dossier).toMatchObject({ status: 'with_external_body', appeals: [{ level: 1, kind: 'mediator', body: 'Onafhankelijke mediator' }] });
    expect((await handle.describe()).typedSearchAttributes.get(ComplaintStatus)).toBe('with_external_body');
    const route = await harness.mail.waitFor((m) => m.subject === 'Uw beroep over klacht [KL-2026-BABMED]');
    expect(route.text).toContain(`U kunt uw klacht voorleggen aan Onafhankelijke mediator (Via Babbage (info@babbage.nl), afhankelijk van het type klacht), uiterlijk ${inDutch(addDays(monday, 22))}.`);

    dossier = await actAndRead(handle, 'recordExternalOutcome', { level: 1, outcome: 'settled', text: 'Via de mediator een regeling getroffen.' }, staff('mira'));
    expect(dossier).toMatchObject({ status: 'closed', outcome: 'external_decided', appeals: [{ externalOutcome: { outcome: 'settled' } }] });
    const outcome = await harness.mail.waitFor((m) => m.subject === 'Uitspraak over uw beroep, klacht [KL-2026-BABMED]');
    expect(outcome.text).toContain('U bent samen tot een regeling gekomen.');
  });
});
