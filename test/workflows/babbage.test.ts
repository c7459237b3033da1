import {
  addInvolvedUpdate,
  assignUpdate,
  dossierQuery,
  fileAppealUpdate,
  logContactUpdate,
  recordExternalOutcomeUpdate,
  respondSatisfactionUpdate,
  scheduleHearingUpdate,
  sendPositionUpdate,
} from '../../domain/messages';
import { ComplaintHandler, ComplaintOverdue, ComplaintStatus } from '../../domain/search-attributes';
import { addDays, amsterdam, inDutch, quietMonday, skipTo, toSecond } from '../support/clock';
import { refusal, workflowHarness } from '../support/harness';

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
    dossier = await handle.executeUpdate(logContactUpdate, { args: [{ channel: 'phone', summary: 'Gebeld, toelichting gekregen', by: 'hanna' }] });
    expect(dossier.status).toBe('in_progress');
    expect(toSecond(dossier.terms.firstContact?.metAt)).toBe(toSecond(amsterdam(addDays(monday, 1), '08:00')));

    await skipTo(harness.env, amsterdam(addDays(monday, 3), '10:00'));
    dossier = await handle.query(dossierQuery);
    expect(dossier.terms.firstContact?.breachedAt).toBeUndefined();
    expect(dossier.timeline.map((e) => `${e.event}:${e.detail ?? ''}`)).not.toContain('reminder-sent:firstContact');
    expect(harness.mail.messages.filter((m) => m.subject?.includes('firstContact van klacht KL-2026-BABMET'))).toEqual([]);
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
    const reminder = await harness.mail.waitFor((m) => m.subject === 'Herinnering: firstContact van klacht KL-2026-BABNOT');
    expect(reminder.text).toContain(`verstrijkt de volgende werkdag: ${inDutch(due)}.`);
    expect(reminder.to).toMatchObject({ value: [{ address: 'hanna@staff.test' }, { address: 'henk@staff.test' }, { address: 'mira@staff.test' }] });
    const escalation = await harness.mail.waitFor((m) => m.subject === 'Termijn verstreken: firstContact van klacht KL-2026-BABNOT');
    expect(escalation.to).toMatchObject({ value: [{ address: 'mira@staff.test' }] });
    expect(escalation.messageId).toBe('<KL-2026-BABNOT.escalation-firstContact@klachtflow.test>');
  });

  it('refuses to assign a complaint to someone it is about, and assigns to someone else', async () => {
    const handle = await start('KL-2026-BABASG');
    await handle.executeUpdate(addInvolvedUpdate, { args: [{ name: 'Henk Handler', staffId: 'henk', role: 'consultant', by: 'mira' }] });
    await expect(handle.executeUpdate(assignUpdate, { args: [{ handler: 'henk', by: 'mira' }] })).rejects.toMatchObject(
      refusal('assign refused: henk is among the people this complaint is about; assign someone else'),
    );
    const dossier = await handle.executeUpdate(assignUpdate, { args: [{ handler: 'hanna', by: 'mira' }] });
    expect(dossier).toMatchObject({ handler: 'hanna', status: 'in_progress', involved: [{ name: 'Henk Handler', staffId: 'henk', role: 'consultant' }] });
    expect((await handle.describe()).typedSearchAttributes.get(ComplaintHandler)).toBe('hanna');
    const complainantView = await handle.query(dossierQuery, { view: 'complainant' });
    expect(complainantView.timeline.map((e) => e.event)).not.toContain('involved-added');
  });

  it('invites the complainant to a hearing on Teams and confirms agreements in writing with the position', async () => {
    const handle = await start('KL-2026-BABHRG');
    await handle.executeUpdate(assignUpdate, { args: [{ handler: 'hanna', by: 'mira' }] });
    const at = amsterdam(addDays(monday, 3), '15:30');
    let dossier = await handle.executeUpdate(scheduleHearingUpdate, { args: [{ at, mode: 'teams', by: 'hanna' }] });
    expect(dossier.hearings).toEqual([expect.objectContaining({ at, mode: 'teams', by: 'hanna' })]);
    expect(dossier.timeline.at(-1)).toMatchObject({ event: 'hearing-scheduled', actor: 'hanna' });
    const invitation = await harness.mail.waitFor((m) => m.subject === 'Uitnodiging voor een gesprek over uw klacht KL-2026-BABHRG');
    expect(invitation.text).toContain(`Wanneer: ${inDutch(addDays(monday, 3))} om 15:30`);
    expect(invitation.text).toContain('Hoe: via Microsoft Teams; u ontvangt de link apart');
    expect(invitation.text).toContain('De afspraken uit het gesprek bevestigen wij u schriftelijk.');

    await skipTo(harness.env, amsterdam(addDays(monday, 3), '17:00'));
    await handle.executeUpdate(logContactUpdate, { args: [{ channel: 'meeting', summary: 'Gesprek via Teams gevoerd', by: 'hanna' }] });
    dossier = await handle.executeUpdate(sendPositionUpdate, {
      args: [{ text: 'Zoals besproken in ons gesprek.', agreements: 'U ontvangt een nieuwe planning voor vrijdag.', by: 'hanna' }],
    });
    // Resolve is a target of 5 working days, met on Thursday.
    expect(dossier.terms.resolve).toMatchObject({ date: addDays(monday, 7), metAt: expect.any(String) as unknown });
    const letter = await harness.mail.waitFor((m) => m.subject === 'Ons standpunt over uw klacht KL-2026-BABHRG');
    expect(letter.text).toContain('Wat wij met u hebben afgesproken:\nU ontvangt een nieuwe planning voor vrijdag.');
  });

  it('offers the independent mediator when the complainant is not satisfied; the mediation outcome closes the complaint', async () => {
    const handle = await start('KL-2026-BABMED');
    await skipTo(harness.env, amsterdam(addDays(monday, 1), '10:00'));
    await handle.executeUpdate(logContactUpdate, { args: [{ channel: 'phone', summary: 'Gebeld', by: 'hanna' }] });
    let dossier = await handle.executeUpdate(sendPositionUpdate, { args: [{ text: 'Wij zien het anders.', by: 'hanna' }] });
    // The mediator level has no term of its own: open as long as "satisfied?" may be answered (10 + 5 working days).
    expect(dossier.terms.satisfaction?.date).toBe(addDays(monday, 15));
    expect(dossier.terms.appeal1File?.date).toBe(addDays(monday, 22));
    const letter = await harness.mail.waitFor((m) => m.subject === 'Ons standpunt over uw klacht KL-2026-BABMED');
    expect(letter.text).toContain('in beroep bij Onafhankelijke mediator (Via Babbage (info@babbage.nl), afhankelijk van het type klacht).');
    expect(letter.text).not.toContain('bindend');

    await skipTo(harness.env, amsterdam(addDays(monday, 4), '10:00'));
    await handle.executeUpdate(respondSatisfactionUpdate, { args: [{ satisfied: false, comment: 'Ik wil een mediator.' }] });
    dossier = await handle.executeUpdate(fileAppealUpdate, { args: [{ grounds: 'Wij komen er samen niet uit.' }] });
    expect(dossier).toMatchObject({ status: 'with_external_body', appeals: [{ level: 1, kind: 'mediator', body: 'Onafhankelijke mediator' }] });
    expect((await handle.describe()).typedSearchAttributes.get(ComplaintStatus)).toBe('with_external_body');
    const route = await harness.mail.waitFor((m) => m.subject === 'Uw beroep over klacht KL-2026-BABMED');
    expect(route.text).toContain(`U kunt uw klacht voorleggen aan Onafhankelijke mediator (Via Babbage (info@babbage.nl), afhankelijk van het type klacht), uiterlijk ${inDutch(addDays(monday, 22))}.`);

    dossier = await handle.executeUpdate(recordExternalOutcomeUpdate, { args: [{ level: 1, outcome: 'settled', text: 'Via de mediator een regeling getroffen.', by: 'mira' }] });
    expect(dossier).toMatchObject({ status: 'closed', outcome: 'external_decided', appeals: [{ externalOutcome: { outcome: 'settled' } }] });
    const outcome = await harness.mail.waitFor((m) => m.subject === 'Uitspraak over uw beroep, klacht KL-2026-BABMED');
    expect(outcome.text).toContain('U bent samen tot een regeling gekomen.');
  });
});
