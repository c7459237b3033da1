import type { ComplaintInput } from '../../domain/complaint';
import {
  addInformationUpdate,
  addNoteUpdate,
  closeUpdate,
  dossierQuery,
  recordCauseUpdate,
  respondSatisfactionUpdate,
  sendPositionUpdate,
} from '../../domain/messages';
import { amsterdam, quietMonday } from '../support/clock';
import { workflowHarness } from '../support/harness';
import { addressesOf } from '../support/mail-sink';

describe('procedure rules the workflow enforces', () => {
  const harness = workflowHarness();
  const start = async (reference: string, overrides: Partial<ComplaintInput>) =>
    harness.start(reference, { receivedAt: amsterdam(await quietMonday(harness.env), '10:00'), ...overrides });
  const refusal = (message: string | RegExp) => ({ cause: { message } });

  it('StudiJob: the manager is told of every new complaint, and closing waits for cause and measures', async () => {
    const handle = await start('KL-2026-STUDIJ', { procedure: 'studijob', complainant: { name: 'Sam', email: 'sam@example.nl', type: 'uitzendkracht' } });
    const notice = await harness.mail.waitFor((m) => m.subject === 'Nieuwe klacht KL-2026-STUDIJ (StudiJob)');
    expect(addressesOf(notice)).toEqual(['mira@staff.test']);

    await expect(handle.executeUpdate(closeUpdate, { args: [{ outcome: 'satisfied' }] })).rejects.toMatchObject(
      refusal('close refused: this procedure needs the cause and the preventive measures recorded first (record-cause)'),
    );
    await handle.executeUpdate(recordCauseUpdate, { args: [{ cause: 'Planning niet doorgegeven', measures: 'Wekelijkse check van de planning', by: 'hanna' }] });
    await handle.executeUpdate(addNoteUpdate, { args: [{ text: 'Intern: klant eerder geklaagd', by: 'hanna' }] });
    const closed = await handle.executeUpdate(closeUpdate, { args: [{ outcome: 'satisfied' }] });
    expect(closed).toMatchObject({ status: 'closed', cause: { cause: 'Planning niet doorgegeven', measures: 'Wekelijkse check van de planning' } });
    const complainantView = await handle.query(dossierQuery, { view: 'complainant' });
    expect(complainantView.timeline.map((e) => e.event)).not.toContain('note');
  });

  it('Klassewerk: no closing without the complainant\'s written satisfaction', async () => {
    const handle = await start('KL-2026-KLASSE', { procedure: 'klassewerk' });
    expect(harness.mail.messages.some((m) => m.subject?.startsWith('Nieuwe klacht KL-2026-KLASSE'))).toBe(false);
    await handle.executeUpdate(addInformationUpdate, { args: [{ text: 'De training was op 3 november.' }] });
    await handle.executeUpdate(sendPositionUpdate, { args: [{ text: 'Telefonisch opgelost; afspraken volgen', by: 'mira' }] });
    await expect(handle.executeUpdate(closeUpdate, { args: [{ outcome: 'no_response' }] })).rejects.toMatchObject(
      refusal(/^close refused: this procedure closes only on the complainant's written confirmation of satisfaction/),
    );
    const dossier = await handle.executeUpdate(respondSatisfactionUpdate, { args: [{ satisfied: true, comment: 'Prima geregeld' }] });
    expect(dossier).toMatchObject({ status: 'closed', outcome: 'satisfied' });
    expect(dossier.timeline.map((e) => e.event)).toEqual(expect.arrayContaining(['information-added', 'position-sent', 'satisfied', 'closed']));
  });
});
