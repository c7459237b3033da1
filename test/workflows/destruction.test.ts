import { destructionsIn } from '../../activities/destructions';
import { monthOf } from '../../domain/destruction';
import { localDateOf } from '../../domain/local-date';
import { taskQueue } from '../../domain/messages';
import type { Actor } from '../../domain/vocabulary';
import { destructionStatementWorkflow } from '../../workflows';
import { addDays, amsterdam, quietMonday, skipTo } from '../support/clock';
import { act, refusal, staff, workflowHarness } from '../support/harness';

// A request for erasure (AVG art. 17): a director destroys a closed dossier before its date,
// with the reason on record; the workflow completes and the namespace retention deletes it.
describe('destroying a dossier before its date', () => {
  const harness = workflowHarness();
  const director: Actor = { kind: 'staff', id: 'dirk', roles: ['director'] };

  it('is for a director, once the complaint is closed; the workflow then completes at once', async () => {
    const monday = await quietMonday(harness.env, 28);
    const handle = await harness.start('KL-2026-ERASE1', { procedure: 'gooiconsult', receivedAt: amsterdam(monday, '10:00') });
    const reason = { reason: 'Verzoek tot verwijdering (AVG art. 17), ontvangen per brief' };
    await expect(act(handle, 'destroyEarly', reason, director)).rejects.toMatchObject(refusal('NotClosedYet'));

    await act(handle, 'withdraw', { reason: 'Opgelost' });
    const closed = await harness.until(handle, (d) => d.destroyOn !== undefined);
    await expect(act(handle, 'destroyEarly', reason, staff('mira'))).rejects.toMatchObject(refusal('RoleRequired', { roles: ['director'] }));
    await expect(act(handle, 'addNote', { text: 'Na sluiting' }, staff('mira'))).rejects.toMatchObject(refusal('ComplaintClosed'));

    const result = await act(handle, 'destroyEarly', reason, director);
    expect(result.events).toEqual(['destroyed-early']);
    // It completes without waiting for the planned date: the result names today's date, not that one.
    const done = await handle.result();
    expect(done).toMatchObject({ reference: 'KL-2026-ERASE1', outcome: 'withdrawn', destroyOn: localDateOf(new Date(closed.closedAt!), 'Europe/Amsterdam') });
    expect(done.destroyOn).not.toBe(closed.destroyOn);
    const description = await handle.describe();
    expect(description.status.name).toBe('COMPLETED');
    expect(description.memo).toMatchObject({ progress: { destroyedEarly: { reason: reason.reason }, destroyOn: done.destroyOn } });
  });

  it("hands every ended complaint's line to the log of its destroy date's month, and the statement e-mails the managers that list, nothing personal", async () => {
    const monday = await quietMonday(harness.env, 28);
    const name = 'Destructa Vanderlijst';
    const complainant = { name, email: 'destructa@example.nl', address: { street: 'Laan 1', postalCode: '1211 AA', city: 'Hilversum' } };
    const early = await harness.start('KL-2026-ERASE2', { procedure: 'gooiconsult', receivedAt: amsterdam(monday, '10:00'), complainant });
    const planned = await harness.start('KL-2026-ERASE3', { procedure: 'babbage', receivedAt: amsterdam(monday, '10:05'), complainant });
    await act(early, 'withdraw', {});
    await act(planned, 'withdraw', {});
    await harness.until(early, (d) => d.destroyOn !== undefined);
    const plannedDossier = await harness.until(planned, (d) => d.destroyOn !== undefined);
    await act(early, 'destroyEarly', { reason: 'Verzoek tot verwijdering (AVG art. 17)' }, director);
    const erased = await early.result();

    const client = harness.env.client;
    const month = monthOf(erased.destroyOn!);
    // (The first test's dossier may share its month.)
    expect(await destructionsIn(client, month)).toContainEqual(
      expect.objectContaining({ reference: 'KL-2026-ERASE2', procedure: 'gooiconsult', destroyOn: erased.destroyOn, early: expect.objectContaining({ reason: 'Verzoek tot verwijdering (AVG art. 17)', plannedOn: expect.any(String) as unknown }) as unknown }),
    );
    // The other one runs out its retention: the workflow ends a day (the test namespace's retention) before its destroy date.
    await skipTo(harness.env, amsterdam(addDays(plannedDossier.destroyOn!, 1), '00:00'));
    const ended = await planned.result();
    expect(ended.destroyOn).toBe(plannedDossier.destroyOn);
    const line = (await destructionsIn(client, monthOf(ended.destroyOn!))).find((l) => l.reference === 'KL-2026-ERASE3');
    expect(line).toMatchObject({ reference: 'KL-2026-ERASE3', procedure: 'babbage', destroyOn: ended.destroyOn, receivedAt: plannedDossier.receivedAt, closedAt: plannedDossier.closedAt });
    expect(line).not.toHaveProperty('early');

    const result = await client.workflow.execute(destructionStatementWorkflow, { taskQueue, workflowId: `statement-${month}`, args: [{ month }] });
    expect(result).toMatchObject({ month, count: (await destructionsIn(client, month)).length, to: ['mira@staff.test'] });
    const statement = await harness.mail.waitFor((m) => m.subject?.startsWith('Vernietigingsoverzicht') === true && (m.text ?? '').includes('KL-2026-ERASE2'));
    expect(statement.subject).toMatch(/^Vernietigingsoverzicht \w+ \d{4}: (1 dossier|2 dossiers)$/);
    expect(statement.text).toContain('eerder dan gepland; reden: Verzoek tot verwijdering (AVG art. 17)');
    const csv = statement.attachments.find((a) => a.filename === `vernietigd-${month}.csv`)!.content.toString('utf8');
    expect(csv).toContain('kenmerk;procedure;ontvangen;afgesloten;vernietigd op;eerder vernietigd;reden');
    expect(csv).toContain(`KL-2026-ERASE2;gooiconsult;${localDateOf(new Date(erased.closedAt!), 'Europe/Amsterdam')}`);
    for (const text of [statement.text ?? '', csv, JSON.stringify(await destructionsIn(client, month))]) {
      expect(text).not.toContain(name);
      expect(text).not.toContain('destructa@example.nl');
      expect(text).not.toContain('Laan 1');
    }
    // A month without destructions: a statement that says so.
    await client.workflow.execute(destructionStatementWorkflow, { taskQueue, workflowId: 'statement-empty', args: [{ month: '2020-02' }] });
    const empty = await harness.mail.waitFor((m) => m.subject?.includes('2020') === true);
    expect(empty.subject).toBe('Vernietigingsoverzicht februari 2020: 0 dossiers');
    expect(empty.text).toContain('In februari 2020 is geen klachtdossier vernietigd.');
  });
});
