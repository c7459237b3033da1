import type { ComplaintInput } from '../../domain/complaint';
import { dossierQuery } from '../../domain/messages';
import { addDays, amsterdam, inDutch, quietMonday, skipTo, toSecond } from '../support/clock';
import { act, actAndRead, refusal, staff, workflowHarness } from '../support/harness';
import { addressesOf } from '../support/mail-sink';

// StudiJob (seed 002): the manager hears of every new complaint; feedback within a week;
// cause and preventive measures recorded before closing; two internal levels (the
// front-office manager, then the directie), neither with a term of its own.
describe('StudiJob', () => {
  const harness = workflowHarness();
  let monday: string;
  beforeEach(async () => {
    monday = await quietMonday(harness.env, 42);
  });
  const start = (reference: string, overrides: Partial<ComplaintInput> = {}) =>
    harness.start(reference, {
      procedure: 'studijob',
      receivedAt: amsterdam(monday, '10:00'),
      complainant: { name: 'Sam de Vries', email: 'sam@example.nl', type: 'uitzendkracht' },
      ...overrides,
    });

  it('tells the staff and the manager of every new complaint; a complaint solved at once closes only once cause and measures are recorded', async () => {
    const handle = await start('KL-2026-STUDIJ');
    const notice = await harness.mail.waitFor((m) => m.subject === 'Nieuwe klacht [KL-2026-STUDIJ] (StudiJob)');
    // Every handler (no staff mailbox), and the manager, once each.
    expect(addressesOf(notice)).toEqual(['hanna@staff.test', 'henk@staff.test', 'mira@staff.test']);
    // No personal data in staff notices: the reference and the organisation only.
    expect(notice.text).not.toContain('Sam');

    await skipTo(harness.env, amsterdam(monday, '11:00'));
    const solved = { satisfied: true, channel: 'phone' as const, receivedAt: amsterdam(monday, '10:45'), comment: 'Direct opgelost aan de telefoon' };
    await expect(act(handle, 'recordSatisfaction', solved, staff('hanna'))).rejects.toMatchObject(refusal('RootCauseRequired'));
    await act(handle, 'recordCause', { cause: 'Planning niet doorgegeven', measures: 'Wekelijkse check van de planning', communicatedHow: 'In het teamoverleg van maandag', communicatedOn: '2026-05-18' }, staff('hanna'));
    await act(handle, 'addNote', { text: 'Intern: klant eerder geklaagd' }, staff('hanna'));
    const closed = await actAndRead(handle, 'recordSatisfaction', solved, staff('hanna'));
    expect(closed).toMatchObject({ status: 'closed', outcome: 'satisfied', cause: { cause: 'Planning niet doorgegeven', measures: 'Wekelijkse check van de planning' } });
    expect(closed.timeline.find((e) => e.event === 'closed')?.actor).toBe('hanna');
    const complainantView = await handle.query(dossierQuery, { view: 'complainant' });
    expect(complainantView.timeline.map((e) => e.event)).not.toContain('note');
    expect(complainantView.timeline.map((e) => e.event)).not.toContain('cause-recorded');
  });

  it('escalates from the front-office manager to the directie; the last decision waits for cause and measures', async () => {
    const handle = await start('KL-2026-STUESC');
    await skipTo(harness.env, amsterdam(addDays(monday, 3), '10:00'));
    await act(handle, 'sendPosition', { text: 'Wij hebben de uren gecorrigeerd.' }, staff('hanna'));
    await act(handle, 'respondSatisfaction', { satisfied: false });
    let dossier = await actAndRead(handle, 'fileAppeal', { grounds: 'Niet alle uren zijn gecorrigeerd.' });
    expect(dossier).toMatchObject({ status: 'in_appeal', appeals: [{ level: 1, body: 'Frontoffice manager: Debby Kooiman' }] });
    // No decision term at this level: nothing to breach.
    expect(dossier.terms.appeal1Decide).toBeUndefined();
    const received = await harness.mailAbout('KL-2026-STUESC', 'Uw beroep over klacht [KL-2026-STUESC]');
    expect(received.text).toContain('Frontoffice manager: Debby Kooiman beoordeelt het en laat u de uitspraak schriftelijk weten.');
    const toDebby = await harness.mailAbout('KL-2026-STUESC', 'Nieuw beroep bij Frontoffice manager: Debby Kooiman: klacht [KL-2026-STUESC]');
    expect(addressesOf(toDebby)).toEqual(['debby@studijob.nl']);

    await skipTo(harness.env, amsterdam(addDays(monday, 7), '10:00'));
    // Rejected with a level above: the complaint stays open, so no cause is needed yet.
    dossier = await actAndRead(handle, 'decideAppeal', { level: 1, decision: 'rejected', text: 'De uren kloppen volgens de klokkaarten.' }, staff('mira'));
    const level2By = addDays(monday, 21);
    expect(dossier).toMatchObject({ status: 'awaiting_complainant', terms: { appeal2File: { date: level2By } } });
    const decision = await harness.mailAbout('KL-2026-STUESC', 'Uitspraak over uw beroep, klacht [KL-2026-STUESC]');
    expect(decision.text).toContain(`tot en met ${inDutch(level2By)} in beroep bij Directie: Mariska van Wilpe (mariska@studijob.nl).`);

    dossier = await actAndRead(handle, 'fileAppeal', { grounds: 'Ik wil dat de directie ernaar kijkt.' });
    expect(dossier).toMatchObject({ status: 'in_appeal', appeals: [{ level: 1 }, { level: 2, body: 'Directie: Mariska van Wilpe' }] });
    await expect(act(handle, 'fileAppeal', { grounds: 'Nog een keer' })).rejects.toMatchObject(refusal('AppealPending', { level: 2 }));
    await expect(act(handle, 'decideAppeal', { level: 2, decision: 'partly-upheld', text: 'Twee uren worden betaald.' }, staff('mira'))).rejects.toMatchObject(
      refusal('RootCauseRequired'),
    );
    await act(handle, 'recordCause', { cause: 'Klokkaart niet verwerkt', measures: 'Dubbele controle bij de verloning', communicatedHow: 'Per mail aan de salarisadministratie', communicatedOn: '2026-05-18' }, staff('mira'));
    dossier = await actAndRead(handle, 'decideAppeal', { level: 2, decision: 'partly-upheld', text: 'Twee uren worden betaald.' }, staff('mira'));
    expect(dossier).toMatchObject({ status: 'closed', outcome: 'appeal_decided' });
    await expect(act(handle, 'fileAppeal', { grounds: 'En nu?' })).rejects.toMatchObject(refusal('ComplaintClosed', { closedOn: addDays(monday, 7) }));
  });

  it('closes as appeal_decided when the window to the directie passes without an appeal', async () => {
    const handle = await start('KL-2026-STUWIN');
    await skipTo(harness.env, amsterdam(addDays(monday, 2), '10:00'));
    await act(handle, 'sendPosition', { text: 'Standpunt' }, staff('hanna'));
    await act(handle, 'fileAppeal', { grounds: 'Oneens' });
    await act(handle, 'decideAppeal', { level: 1, decision: 'rejected', text: 'Ongegrond' }, staff('mira'));
    const windowEnd = addDays(monday, 16); // 10 working days from Wednesday
    await skipTo(harness.env, amsterdam(addDays(windowEnd, 1), '10:00'));
    const dossier = await handle.query(dossierQuery);
    expect(dossier).toMatchObject({ status: 'closed', outcome: 'appeal_decided' });
    expect(toSecond(dossier.closedAt)).toBe(toSecond(amsterdam(windowEnd, '23:59:59.999')));
    expect(dossier.timeline.find((e) => e.event === 'closed')?.detail).toBe(`appeal_decided: no appeal to level 2 by ${windowEnd}`);
  });
});
