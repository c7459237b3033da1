import { localDateOf } from '../../domain/local-date';
import type { Actor } from '../../domain/vocabulary';
import { amsterdam, quietMonday } from '../support/clock';
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
});
