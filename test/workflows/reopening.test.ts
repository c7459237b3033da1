import { join } from 'node:path';
import { loadProcedures } from '../../config/procedures';
import { WorkingCalendar } from '../../domain/calendar';
import { deadlineOf } from '../../domain/deadlines';
import { analyse } from '../../domain/analysis';
import { dossierQuery } from '../../domain/messages';
import { type Procedure, procedureSchema } from '../../domain/procedure';
import { registerMemoOf } from '../../domain/register';
import { addDays, amsterdam, quietMonday, skipTo } from '../support/clock';
import { act, actAndRead, refusal, staff, workflowHarness } from '../support/harness';

// Reopening (issue 17), against the time-skipping server with a procedure that has it (no seed
// does): Gooiconsult's terms, and a complainant who may ask to reopen after "not satisfied" or up
// to 10 working days after closure. Staff accept (the handling terms run again from the
// acceptance) or refuse with a reason (the appeal stays open); the report counts it once.
const seeds = loadProcedures(join(__dirname, '..', '..', 'procedures'));
const reopening: Procedure = procedureSchema.parse({ ...seeds.get('gooiconsult')!, id: 'gooiconsult-reopen', reopening: { afterClosure: { within: 10, unit: 'workingDays' } } });
const calendar = new WorkingCalendar({ country: 'NL', holidayTypes: ['public'], closedDays: [] });

describe('reopening', () => {
  const harness = workflowHarness({ procedures: new Map([...seeds, ['gooiconsult-reopen', reopening]]) });
  let monday: string;
  beforeEach(async () => {
    monday = await quietMonday(harness.env, 63);
  });
  const start = (reference: string, procedure = 'gooiconsult-reopen') => harness.start(reference, { procedure, receivedAt: amsterdam(monday, '10:00') });
  const hanna = staff('hanna');
  const complainant = { kind: 'complainant' } as const;

  it('"not satisfied", asked to reopen and accepted: the handling terms run again from the acceptance; the second round closes, and the report counts one complaint', async () => {
    const reference = 'KL-2026-REOPEN';
    const handle = await start(reference);
    await skipTo(harness.env, amsterdam(addDays(monday, 2), '10:00'));
    await act(handle, 'sendPosition', { text: 'Eerste standpunt' }, hanna);
    await act(handle, 'respondSatisfaction', { satisfied: false, comment: 'Niet opgelost' }, complainant);
    await act(handle, 'requestReopening', { reason: 'Het probleem is er nog steeds.' }, complainant);
    await harness.mail.waitFor((m) => m.subject === `Verzoek om heropening: klacht [${reference}]`);
    await expect(act(handle, 'requestReopening', { reason: 'Nog eens' }, complainant)).rejects.toMatchObject(refusal('ReopeningAlreadyAsked'));

    const accepted = amsterdam(addDays(monday, 3), '11:00');
    await skipTo(harness.env, accepted);
    let dossier = await actAndRead(handle, 'decideReopening', { accept: true }, hanna);
    const again = deadlineOf(calendar, 'Europe/Amsterdam', { within: 2, unit: 'weeks' }, 'reopened', new Date(accepted));
    expect(dossier.status).toBe('in_progress');
    expect(dossier.position).toBeUndefined();
    expect(dossier.terms.resolve).toMatchObject({ date: again.date });
    expect(dossier.terms.satisfaction).toBeUndefined();
    expect(dossier.reopenings![0]).toMatchObject({ decided: { accepted: true, by: 'hanna' }, earlier: { position: { text: 'Eerste standpunt' }, satisfaction: { satisfied: false } } });
    const told = await harness.mail.waitFor((m) => m.subject === `Uw klacht wordt opnieuw behandeld [${reference}]`);
    expect(told.text).toContain('De termijnen beginnen opnieuw:');

    // The second round: its own position (its own Message-ID), "satisfied", closed once.
    await act(handle, 'sendPosition', { text: 'Tweede standpunt' }, hanna);
    const second = await harness.mail.waitFor((m) => m.subject === `Ons standpunt over uw klacht [${reference}]` && m.messageId === `<${reference}.position-r2@klachtflow.test>`);
    expect(second.text).toContain('Tweede standpunt');
    dossier = await actAndRead(handle, 'respondSatisfaction', { satisfied: true }, complainant);
    expect(dossier.outcome).toBe('satisfied');
    const memo = registerMemoOf(dossier);
    expect(memo.progress.reopened).toBe(1);
    const report = analyse({ label: '2026', from: '2000-01-01', to: '2999-12-31' }, [{ reference, procedure: 'gooiconsult-reopen', ...memo }], () => ({ calendar, timezone: 'Europe/Amsterdam' }));
    expect(report).toMatchObject({ complaints: 1, reopened: 1, byOutcome: { satisfied: 1 } });
  });

  it('closed, then asked within its days: accepted, it leaves its retention and its clocks run again; refused, the appeal stays as it was', async () => {
    const reference = 'KL-2026-REOCLS';
    const handle = await start(reference);
    await skipTo(harness.env, amsterdam(addDays(monday, 1), '10:00'));
    await act(handle, 'sendPosition', { text: 'Standpunt' }, hanna);
    let dossier = await actAndRead(handle, 'respondSatisfaction', { satisfied: true }, complainant);
    expect(dossier.outcome).toBe('satisfied');
    for (let i = 0; i < 50 && !(dossier = await handle.query(dossierQuery)).reopenBy; i++) await new Promise((r) => setTimeout(r, 100));
    expect(dossier.reopenBy).toBe(deadlineOf(calendar, 'Europe/Amsterdam', { within: 10, unit: 'workingDays' }, 'closed', new Date(dossier.closedAt!)).date);

    await skipTo(harness.env, amsterdam(addDays(monday, 4), '10:00'));
    await act(handle, 'requestReopening', { reason: 'Toch niet opgelost' }, complainant);
    await act(handle, 'decideReopening', { accept: true, reason: 'Wij kijken er opnieuw naar.' }, hanna);
    dossier = await handle.query(dossierQuery);
    expect(dossier.outcome).toBeUndefined();
    expect(dossier.destroyOn).toBeUndefined();
    // Its clocks run again: nobody answers, so the new term is breached at its end.
    await skipTo(harness.env, amsterdam(addDays(dossier.terms.resolve!.date, 1), '12:00'));
    dossier = await handle.query(dossierQuery);
    expect(dossier.terms.resolve?.breachedAt).toBeDefined();
    await act(handle, 'sendPosition', { text: 'Nieuw standpunt' }, hanna);
    await act(handle, 'respondSatisfaction', { satisfied: false }, complainant);
    await act(handle, 'requestReopening', { reason: 'Nog steeds niet' }, complainant);
    await expect(act(handle, 'decideReopening', { accept: false }, hanna)).rejects.toMatchObject(refusal('ReopeningReasonRequired'));
    await act(handle, 'decideReopening', { accept: false, reason: 'Wij blijven bij ons standpunt.' }, hanna);
    const refused = await harness.mail.waitFor((m) => m.subject === `Uw verzoek om heropening [${reference}]`);
    expect(refused.text).toContain('Wij blijven bij ons standpunt.');
    expect(refused.text).toContain('U kunt uw klacht nog voorleggen aan Geschillencommissie NRTO');
    await act(handle, 'fileAppeal', { grounds: 'Naar de commissie' }, complainant);
  });

  it('is refused where the procedure has none, and after its days', async () => {
    const plain = await start('KL-2026-REONOT', 'gooiconsult');
    await act(plain, 'sendPosition', { text: 'Standpunt' }, hanna);
    await act(plain, 'respondSatisfaction', { satisfied: false }, complainant);
    await expect(act(plain, 'requestReopening', { reason: 'Graag' }, complainant)).rejects.toMatchObject(refusal('ReopeningNotInProcedure'));

    const late = await start('KL-2026-REOLAT');
    await act(late, 'sendPosition', { text: 'Standpunt' }, hanna);
    await act(late, 'respondSatisfaction', { satisfied: true }, complainant);
    await skipTo(harness.env, amsterdam(addDays(monday, 30), '10:00'));
    await expect(act(late, 'requestReopening', { reason: 'Te laat' }, complainant)).rejects.toMatchObject(refusal('ReopeningWindowClosed'));
  });
});
