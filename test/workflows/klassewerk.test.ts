import type { ComplaintInput } from '../../domain/complaint';
import {
  addInformationUpdate,
  closeUpdate,
  decideAppealUpdate,
  dossierQuery,
  fileAppealUpdate,
  logContactUpdate,
  recordExternalOutcomeUpdate,
  recordExternalReferralUpdate,
  respondSatisfactionUpdate,
  scheduleHearingUpdate,
  sendPositionUpdate,
} from '../../domain/messages';
import { ComplaintOverdue, ComplaintStatus } from '../../domain/search-attributes';
import { addDays, addMonths, amsterdam, inDutch, quietMonday, skipTo, toSecond, weekdayOnOrAfter } from '../support/clock';
import { refusal, workflowHarness } from '../support/harness';
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

  it('never closes without the complainant\'s written satisfaction', async () => {
    const handle = await start('KL-2026-KLASSE');
    expect(harness.mail.messages.some((m) => m.subject?.startsWith('Nieuwe klacht KL-2026-KLASSE'))).toBe(false);
    await handle.executeUpdate(addInformationUpdate, { args: [{ text: 'De training was op 3 november.' }] });
    await handle.executeUpdate(sendPositionUpdate, { args: [{ text: 'Telefonisch opgelost; afspraken volgen', by: 'mira' }] });
    for (const outcome of ['no_response', 'satisfied'] as const) {
      await expect(handle.executeUpdate(closeUpdate, { args: [{ outcome, by: 'mira' }] })).rejects.toMatchObject(
        refusal(/^close refused: this procedure closes only on the complainant's written confirmation of satisfaction/),
      );
    }
    const dossier = await handle.executeUpdate(respondSatisfactionUpdate, { args: [{ satisfied: true, comment: 'Prima geregeld' }] });
    expect(dossier).toMatchObject({ status: 'closed', outcome: 'satisfied' });
    expect(dossier.timeline.map((e) => e.event)).toEqual(expect.arrayContaining(['information-added', 'position-sent', 'satisfied', 'closed']));
  });

  it('without an answer, staff decide: the complaint stays open, and may then be closed as no_response', async () => {
    const handle = await start('KL-2026-KLANOR');
    await skipTo(harness.env, amsterdam(addDays(monday, 1), '10:00'));
    await handle.executeUpdate(sendPositionUpdate, { args: [{ text: 'Ons standpunt', by: 'mira' }] });
    await expect(handle.executeUpdate(closeUpdate, { args: [{ outcome: 'no_response', by: 'mira' }] })).rejects.toMatchObject(refusal(/^close refused: /));
    // The director's month runs longest: the complaint waits for it, then for staff.
    const windowEnd = weekdayOnOrAfter(addMonths(addDays(monday, 1), 1));
    await skipTo(harness.env, amsterdam(addDays(windowEnd, 1), '10:00'));
    let dossier = await handle.query(dossierQuery);
    expect(dossier.status).toBe('awaiting_complainant');
    expect(dossier.timeline.filter((e) => e.event === 'no-response')).toHaveLength(1);
    dossier = await handle.executeUpdate(closeUpdate, { args: [{ outcome: 'no_response', text: 'Twee keer gebeld, geen gehoor', by: 'mira' }] });
    expect(dossier).toMatchObject({ status: 'closed', outcome: 'no_response' });
  });

  it('appeal to the director within a month, a hearing, a decision within a month; then the Geschillencommissie, whose outcome binds', async () => {
    const handle = await start('KL-2026-KLAAPL');
    await skipTo(harness.env, amsterdam(addDays(monday, 1), '09:30'));
    let dossier = await handle.executeUpdate(logContactUpdate, { args: [{ channel: 'phone', summary: 'Gebeld en de klacht doorgenomen', by: 'hanna' }] });
    expect(dossier.terms.firstContact?.metAt).toBeDefined();

    await skipTo(harness.env, amsterdam(addDays(monday, 2), '14:00'));
    dossier = await handle.executeUpdate(sendPositionUpdate, { args: [{ text: 'De trainer was op tijd; wij zien geen fout.', by: 'mira' }] });
    expect(dossier.terms.appeal1File?.date).toBe(weekdayOnOrAfter(addMonths(addDays(monday, 2), 1)));
    await handle.executeUpdate(respondSatisfactionUpdate, { args: [{ satisfied: false, comment: 'Ik ben het er niet mee eens.' }] });

    await skipTo(harness.env, amsterdam(addDays(monday, 7), '10:00'));
    dossier = await handle.executeUpdate(fileAppealUpdate, { args: [{ grounds: 'De trainer kwam een uur te laat.' }] });
    const decideBy = weekdayOnOrAfter(addMonths(addDays(monday, 7), 1));
    expect(dossier).toMatchObject({ status: 'in_appeal', appeals: [{ level: 1, kind: 'internal', body: director }] });
    expect(dossier.terms.appeal1Decide).toMatchObject({ date: decideBy });
    expect((await handle.describe()).typedSearchAttributes.get(ComplaintStatus)).toBe('in_appeal');
    const received = await harness.mailAbout('KL-2026-KLAAPL', 'Uw beroep over klacht KL-2026-KLAAPL');
    expect(received.text).toContain(`${director} beoordeelt het en laat u de uitspraak uiterlijk ${inDutch(decideBy)} schriftelijk weten.`);
    expect(received.text).toContain('U kunt uw bezwaar ook mondeling toelichten.');
    expect(addressesOf(await harness.mailAbout('KL-2026-KLAAPL', 'Beroep ingesteld: appeal1 van klacht KL-2026-KLAAPL'))).toEqual(['mira@staff.test']);

    await expect(handle.executeUpdate(closeUpdate, { args: [{ outcome: 'satisfied', by: 'mira' }] })).rejects.toMatchObject(
      refusal(`close refused: the appeal at level 1 (${director}) is open; record its decision first`),
    );
    await expect(
      handle.executeUpdate(scheduleHearingUpdate, { args: [{ at: amsterdam(addDays(monday, 6), '14:00'), mode: 'in-person', level: 1, by: 'mira' }] }),
    ).rejects.toMatchObject(refusal(/^scheduleHearing refused: the hearing time .* has passed; choose a time ahead$/));
    const hearingAt = amsterdam(addDays(monday, 11), '14:00');
    dossier = await handle.executeUpdate(scheduleHearingUpdate, { args: [{ at: hearingAt, mode: 'in-person', location: 'Kantoor Utrecht, Stationsplein 1', level: 1, by: 'mira' }] });
    expect(dossier.hearings).toEqual([expect.objectContaining({ at: hearingAt, mode: 'in-person', level: 1, by: 'mira' })]);
    const invitation = await harness.mailAbout('KL-2026-KLAAPL', 'Uitnodiging voor een gesprek over uw klacht KL-2026-KLAAPL');
    expect(invitation.text).toContain('waarin u uw bezwaar mondeling kunt toelichten');
    expect(invitation.text).toContain(`Wanneer: ${inDutch(addDays(monday, 11))} om 14:00`);
    expect(invitation.text).toContain('Waar: Kantoor Utrecht, Stationsplein 1');
    expect(invitation.messageId).toBe('<KL-2026-KLAAPL.hearing-1@klachtflow.test>');

    await expect(handle.executeUpdate(decideAppealUpdate, { args: [{ level: 2, decision: 'rejected', text: 'x', by: 'mira' }] })).rejects.toMatchObject(
      refusal('decideAppeal refused: there is no appeal at level 2'),
    );
    await skipTo(harness.env, amsterdam(addDays(monday, 14), '10:00'));
    dossier = await handle.executeUpdate(decideAppealUpdate, { args: [{ level: 1, decision: 'rejected', text: 'De trainer was volgens het rooster op tijd.', by: 'mira' }] });
    const level2By = addDays(monday, 28); // 10 working days from Monday: the default where the level sets none
    expect(dossier).toMatchObject({ status: 'awaiting_complainant', appeals: [{ decision: { decision: 'rejected', by: 'mira' } }] });
    expect(dossier.terms.appeal1Decide?.metAt).toBeDefined();
    expect(dossier.terms.appeal1Decide?.breachedAt).toBeUndefined();
    expect(dossier.terms.appeal2File?.date).toBe(level2By);
    const decision = await harness.mailAbout('KL-2026-KLAAPL', 'Uitspraak over uw beroep, klacht KL-2026-KLAAPL');
    expect(decision.text).toContain('Uw beroep is ongegrond.');
    expect(decision.text).toContain(
      `tot en met ${inDutch(level2By)} in beroep bij Geschillencommissie (Secretariaat: mevr. H. Borgers (voorzitter dhr. M. de Groot)). De uitspraak daarvan is bindend.`,
    );
    await expect(handle.executeUpdate(decideAppealUpdate, { args: [{ level: 1, decision: 'upheld', text: 'x', by: 'mira' }] })).rejects.toMatchObject(
      refusal(/^decideAppeal refused: the appeal at level 1 was decided on /),
    );

    await skipTo(harness.env, amsterdam(addDays(monday, 20), '10:00'));
    dossier = await handle.executeUpdate(fileAppealUpdate, { args: [{ grounds: 'Ik leg het voor aan de commissie.' }] });
    expect(dossier.status).toBe('with_external_body');
    const route = await harness.mail.waitFor((m) => m.messageId === '<KL-2026-KLAAPL.appeal-2-received@klachtflow.test>');
    expect(route.text).toContain(`U kunt uw klacht voorleggen aan Geschillencommissie (Secretariaat: mevr. H. Borgers (voorzitter dhr. M. de Groot)), uiterlijk ${inDutch(level2By)}.`);
    await expect(handle.executeUpdate(decideAppealUpdate, { args: [{ level: 2, decision: 'rejected', text: 'x', by: 'mira' }] })).rejects.toMatchObject(
      refusal('decideAppeal refused: level 2 is Geschillencommissie, an external body (record-external-outcome)'),
    );
    await handle.executeUpdate(recordExternalReferralUpdate, { args: [{ level: 2, caseNumber: 'GC-2027-004', by: 'mira' }] });
    dossier = await handle.executeUpdate(recordExternalOutcomeUpdate, { args: [{ level: 2, outcome: 'rejected', text: 'De commissie acht de klacht ongegrond.', by: 'mira' }] });
    expect(dossier).toMatchObject({ status: 'closed', outcome: 'external_decided' });
    const closure = await harness.mailAbout('KL-2026-KLAAPL', 'Uw klacht KL-2026-KLAAPL is afgesloten');
    expect(closure.text).toContain('Geschillencommissie heeft over uw klacht beslist.');
    // Kept 12 months after closure.
    const closedOn = dossier.closedAt!.slice(0, 10);
    dossier = await harness.until(handle, (d) => d.destroyOn !== undefined);
    expect(dossier.destroyOn).toBe(addMonths(closedOn, 12));
  });

  it('a director who does not decide within the month: the breach is recorded and the manager is told at 09:00 the next working day', async () => {
    const handle = await start('KL-2026-KLALAT');
    await skipTo(harness.env, amsterdam(addDays(monday, 1), '10:00'));
    await handle.executeUpdate(sendPositionUpdate, { args: [{ text: 'Ons standpunt', by: 'mira' }] });
    await handle.executeUpdate(fileAppealUpdate, { args: [{ grounds: 'Niet eens.' }] });
    const decideBy = weekdayOnOrAfter(addMonths(addDays(monday, 1), 1));
    await skipTo(harness.env, amsterdam(addDays(decideBy, 4), '10:00'));
    let dossier = await handle.query(dossierQuery);
    expect(toSecond(dossier.terms.appeal1Decide?.breachedAt)).toBe(toSecond(amsterdam(decideBy, '23:59:59.999')));
    expect((await handle.describe()).typedSearchAttributes.get(ComplaintOverdue)).toBe(true);
    const escalation = await harness.mail.waitFor((m) => m.subject === 'Termijn verstreken: appeal1Decide van klacht KL-2026-KLALAT');
    expect(escalation.text).toContain('De termijn voor de uitspraak over het beroep (niveau 1) bij klacht KL-2026-KLALAT');
    expect(addressesOf(escalation)).toEqual(['mira@staff.test']);
    const escalated = dossier.timeline.find((e) => e.event === 'escalation-sent' && e.detail === 'appeal1Decide')!;
    expect(toSecond(escalated.at)).toBe(toSecond(amsterdam(weekdayOnOrAfter(addDays(decideBy, 1)), '09:00')));

    dossier = await handle.executeUpdate(decideAppealUpdate, { args: [{ level: 1, decision: 'upheld', text: 'U krijgt gelijk; wij betalen het cursusgeld terug.', by: 'mira' }] });
    expect(dossier).toMatchObject({ status: 'closed', outcome: 'appeal_decided' });
    expect(dossier.terms.appeal1Decide?.metAt).toBeDefined();
    const decision = await harness.mail.waitFor((m) => m.subject === 'Uitspraak over uw beroep, klacht KL-2026-KLALAT');
    expect(decision.text).toContain('Uw beroep is gegrond: u krijgt gelijk.');
    expect(decision.text).toContain('Hiermee is de klachtenprocedure afgerond.');
  });
});
