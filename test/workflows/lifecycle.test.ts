import type { ComplaintInput } from '../../domain/complaint';
import { dossierQuery, respondSatisfactionUpdate, sendPositionUpdate, withdrawUpdate } from '../../domain/messages';
import { ComplaintDestroyOn, ComplaintOutcome, ComplaintStatus } from '../../domain/search-attributes';
import { addDays, amsterdam, quietMonday, skipTo } from '../support/clock';
import { workflowHarness } from '../support/harness';

describe('the complaint lifecycle after the position', () => {
  const harness = workflowHarness();
  let monday: string;
  beforeEach(async () => {
    monday = await quietMonday(harness.env);
  });
  const start = (reference: string, overrides: Partial<ComplaintInput> = {}) =>
    harness.start(reference, { receivedAt: amsterdam(monday, '10:00'), ...overrides });
  const position = { text: 'Wij hebben de factuur nagekeken: de uren waren dubbel geteld.', solution: 'Creditnota', by: 'hanna' };

  it('Gooiconsult happy path: position in time, satisfied, closure e-mail, kept a year, then the workflow completes', async () => {
    const handle = await start('KL-2026-GOOHAP');
    await skipTo(harness.env, amsterdam(addDays(monday, 2), '14:00'));
    let dossier = await handle.executeUpdate(sendPositionUpdate, { args: [position] });
    expect(dossier.status).toBe('awaiting_complainant');
    expect(dossier.terms.resolve?.metAt).toBeDefined();
    expect(dossier.terms.resolve?.breachedAt).toBeUndefined();
    // Satisfaction: 10 working days from Wednesday; the NRTO window: 2 weeks.
    expect(dossier.terms.satisfaction?.date).toBe(addDays(monday, 16));
    expect(dossier.terms.appeal1File?.date).toBe(addDays(monday, 16));

    const letter = await harness.mail.waitFor((m) => m.subject === 'Ons standpunt over uw klacht KL-2026-GOOHAP');
    expect(letter.text).toContain(position.text);
    expect(letter.text).toContain('Onze oplossing:\nCreditnota');
    expect(letter.text).toMatch(/- Ja, ik ben tevreden: http:\/\/klachtflow\.test\/dossier\/KL-2026-GOOHAP\?token=\S+&satisfied=yes/);
    expect(letter.text).toMatch(/- Nee, ik ben niet tevreden: \S+&satisfied=no/);
    expect(letter.text).toContain('in beroep bij Geschillencommissie NRTO');
    expect(letter.text).toContain('De uitspraak is bindend.');

    await skipTo(harness.env, amsterdam(addDays(monday, 3), '09:30'));
    dossier = await handle.executeUpdate(respondSatisfactionUpdate, { args: [{ satisfied: true }] });
    expect(dossier).toMatchObject({ status: 'closed', outcome: 'satisfied' });
    await expect(handle.executeUpdate(withdrawUpdate, { args: [{}] })).rejects.toHaveProperty('cause.message', `withdraw refused: the complaint was closed on ${dossier.closedAt!.slice(0, 10)}`);

    const closure = await harness.mail.waitFor((m) => m.subject === 'Uw klacht KL-2026-GOOHAP is afgesloten');
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

  it('Gooiconsult: a position after two weeks breaches resolve, but meets the three-week term', async () => {
    const handle = await start('KL-2026-GOOLAT');
    await skipTo(harness.env, amsterdam(addDays(monday, 15), '10:00'));
    const dossier = await handle.executeUpdate(sendPositionUpdate, { args: [position] });
    const breachedAt = Date.parse(dossier.terms.resolve!.breachedAt!);
    const dueAt = Date.parse(amsterdam(addDays(monday, 14), '23:59:59.999'));
    expect(breachedAt - dueAt).toBeGreaterThanOrEqual(0);
    expect(breachedAt - dueAt).toBeLessThan(1000);
    expect(dossier.terms.maxLeadTime?.metAt).toBeDefined();
    expect(dossier.terms.maxLeadTime?.breachedAt).toBeUndefined();
    await handle.executeUpdate(withdrawUpdate, { args: [{ reason: 'opgelost' }] });
  });

  it('no answer to "satisfied?": one reminder at the end of its term, then closed as no_response', async () => {
    const handle = await start('KL-2026-GOONOR');
    await skipTo(harness.env, amsterdam(addDays(monday, 1), '10:00'));
    await handle.executeUpdate(sendPositionUpdate, { args: [position] });
    await skipTo(harness.env, amsterdam(addDays(monday, 20), '10:00'));
    const dossier = await handle.query(dossierQuery);
    expect(dossier).toMatchObject({ status: 'closed', outcome: 'no_response' });
    expect(dossier.timeline.map((e) => e.event)).toEqual(expect.arrayContaining(['satisfaction-reminder-sent', 'closed']));
    expect(harness.mail.messages.filter((m) => m.subject === 'Herinnering: Ons standpunt over uw klacht KL-2026-GOONOR')).toHaveLength(1);
    expect((await handle.describe()).typedSearchAttributes.get(ComplaintStatus)).toBe('closed');
  });

  it('thuiswerkdesk: not satisfied and no appeal, closed as dissatisfied; the final e-mail points to the EU ODR platform', async () => {
    const handle = await start('KL-2026-THUODR', {
      procedure: 'thuiswerkdesk',
      category: 'vacature',
      whatHappened: 'Vacature bleek niet te bestaan',
      expected: 'Een echte vacature',
      occurredOn: '2026-11-01',
    });
    await skipTo(harness.env, amsterdam(addDays(monday, 2), '10:00'));
    await handle.executeUpdate(sendPositionUpdate, { args: [position] });
    await handle.executeUpdate(respondSatisfactionUpdate, { args: [{ satisfied: false, comment: 'Niet opgelost' }] });
    await skipTo(harness.env, amsterdam(addDays(monday, 30), '10:00'));
    expect(await handle.query(dossierQuery)).toMatchObject({ status: 'closed', outcome: 'dissatisfied' });
    const last = await harness.mail.waitFor((m) => m.subject === 'Uw klacht KL-2026-THUODR is afgesloten');
    expect(last.text).toContain('Online Dispute Resolution (ODR) van de EU: http://ec.europa.eu/consumers/odr');
  });

  it('withdrawal before any action closes the complaint and says so', async () => {
    const handle = await start('KL-2026-WITHDR');
    const dossier = await handle.executeUpdate(withdrawUpdate, { args: [{ reason: 'Zelf opgelost' }] });
    expect(dossier).toMatchObject({ status: 'closed', outcome: 'withdrawn' });
    const closure = await harness.mail.waitFor((m) => m.subject === 'Uw klacht KL-2026-WITHDR is afgesloten');
    expect(closure.text).toContain('ingetrokken');
    await expect(handle.executeUpdate(sendPositionUpdate, { args: [position] })).rejects.toHaveProperty('cause.message', expect.stringMatching(/^sendPosition refused: the complaint was closed on /));
  });
});
