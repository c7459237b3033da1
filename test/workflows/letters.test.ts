import type { ComplaintInput } from '../../domain/complaint';
import { dossierQuery } from '../../domain/messages';
import { addDays, amsterdam, quietMonday, skipTo, toSecond } from '../support/clock';
import { act, actAndRead, refusal, staff, workflowHarness } from '../support/harness';

// A complainant who phoned and has no e-mail address (issue 15): every e-mail to them becomes a
// letter, ready to print, that staff mark as posted; a term a letter meets is met when it is
// posted, not when it was printed.
describe('Letters for a complainant without an e-mail address', () => {
  const harness = workflowHarness();
  let monday: string;
  beforeEach(async () => {
    monday = await quietMonday(harness.env, 35);
  });
  const byPhone = (reference: string): Partial<ComplaintInput> => ({
    procedure: 'gooiconsult',
    receivedAt: amsterdam(monday, '10:00'),
    channel: 'phone',
    registeredBy: 'hanna',
    complainant: { name: 'Els Brief', address: { street: 'Postweg 3', postalCode: '1211 AA', city: 'Hilversum' } },
    description: `Klacht ${reference} kwam telefonisch binnen.`,
  });
  const hanna = staff('hanna');

  it('makes the receipt a letter to post: nothing is e-mailed to the complainant, staff are told, and acknowledge is met when it is posted', async () => {
    const handle = await harness.start('KL-2026-BRIEF1', byPhone('KL-2026-BRIEF1'));
    let dossier = await handle.query(dossierQuery);
    const receipt = dossier.correspondence[0]!;
    expect(receipt).toMatchObject({ to: 'complainant', step: 'receipt', status: 'to-post', subject: 'Ontvangstbevestiging van uw klacht [KL-2026-BRIEF1]' });
    expect(receipt.text).toContain('Beste Els Brief,');
    expect(receipt.text).toContain('/dossier/KL-2026-BRIEF1?token=…');
    expect(dossier.terms.acknowledge?.metAt).toBeUndefined();
    expect(dossier.timeline.map((e) => e.event)).toContain('letter-ready');

    const told = await harness.mail.waitFor((m) => m.subject === 'Brief te versturen: de ontvangstbevestiging – klacht [KL-2026-BRIEF1]');
    expect(told.text).toContain('http://klachtflow.test/beheer/klachten/KL-2026-BRIEF1/brieven/0');
    expect(harness.mail.messages.filter((m) => m.subject === 'Ontvangstbevestiging van uw klacht [KL-2026-BRIEF1]')).toEqual([]);

    // Posted that afternoon, recorded the next morning: met at the moment it was posted.
    await skipTo(harness.env, amsterdam(addDays(monday, 1), '09:15'));
    await expect(act(handle, 'markPosted', { letter: 0, at: amsterdam(addDays(monday, 1), '10:00') }, hanna)).rejects.toMatchObject(refusal('PostedInFuture'));
    await expect(act(handle, 'markPosted', { letter: 0, at: amsterdam(monday, '09:00') }, hanna)).rejects.toMatchObject(refusal('PostedBeforeLetter'));
    const staffMail = dossier.correspondence.findIndex((c) => c.to !== 'complainant');
    await expect(act(handle, 'markPosted', { letter: staffMail }, hanna)).rejects.toMatchObject(refusal('NoLetterToPost', { letter: staffMail }));

    dossier = await actAndRead(handle, 'markPosted', { letter: 0, at: amsterdam(monday, '16:30') }, hanna);
    expect(toSecond(dossier.terms.acknowledge?.metAt)).toBe(toSecond(amsterdam(monday, '16:30')));
    expect(dossier.terms.acknowledge?.breachedAt).toBeUndefined();
    expect(dossier.correspondence[0]).toMatchObject({ status: 'posted', posted: { by: 'hanna' } });
    expect(toSecond(dossier.correspondence[0]!.sentAt)).toBe(toSecond(amsterdam(monday, '16:30')));
    expect(dossier.timeline.filter((e) => ['letter-posted', 'receipt-sent'].includes(e.event)).map((e) => [e.event, e.actor, toSecond(e.at)])).toEqual([
      ['letter-posted', 'hanna', toSecond(amsterdam(addDays(monday, 1), '09:15'))],
      ['receipt-sent', 'klachtflow', toSecond(amsterdam(monday, '16:30'))],
    ]);
    // Once posted it is no longer waiting.
    await expect(act(handle, 'markPosted', { letter: 0 }, hanna)).rejects.toMatchObject(refusal('NoLetterToPost'));
  });

  it('a receipt letter posted after its term is a breach on record; the position and the closing go by letter too, also once closed', async () => {
    const handle = await harness.start('KL-2026-BRIEF2', byPhone('KL-2026-BRIEF2'));
    // Nobody posts it within the five working days: breached at the end of the due day.
    await skipTo(harness.env, amsterdam(addDays(monday, 8), '10:00'));
    let dossier = await handle.query(dossierQuery);
    expect(dossier.terms.acknowledge?.breachedAt).toBe(amsterdam(addDays(monday, 7), '23:59:59.999'));
    dossier = await actAndRead(handle, 'markPosted', { letter: 0 }, hanna);
    expect(dossier.terms.acknowledge?.metAt).toBeDefined();
    expect(dossier.terms.acknowledge?.breachedAt).toBe(amsterdam(addDays(monday, 7), '23:59:59.999'));

    await act(handle, 'sendPosition', { text: 'Wij hebben uw klacht onderzocht en geven u gelijk.' }, hanna);
    dossier = await harness.until(handle, (d) => d.correspondence.some((c) => c.step === 'position' && c.status === 'to-post'));
    const position = dossier.correspondence.findIndex((c) => c.step === 'position');
    expect(dossier.correspondence[position]!.text).toContain('Wij hebben uw klacht onderzocht en geven u gelijk.');
    // The resolve term is met by the position itself, whatever way it travels.
    expect(dossier.terms.resolve?.metAt).toBeDefined();

    // The complainant phones back: satisfied, confirmed in a letter.
    await act(handle, 'recordSatisfaction', { satisfied: true, channel: 'letter', receivedAt: amsterdam(addDays(monday, 8), '10:00') }, hanna);
    dossier = await harness.until(handle, (d) => d.correspondence.some((c) => c.step === 'closure' && c.status === 'to-post'));
    expect(dossier.status).toBe('closed');
    const closure = dossier.correspondence.findIndex((c) => c.step === 'closure');
    dossier = await actAndRead(handle, 'markPosted', { letter: closure }, hanna);
    expect(dossier.correspondence[closure]).toMatchObject({ status: 'posted', posted: { by: 'hanna' } });
    expect(dossier.correspondence.filter((c) => c.to === 'complainant').map((c) => [c.step, c.status])).toEqual([
      ['receipt', 'posted'],
      ['position', 'to-post'],
      ['closure', 'posted'],
    ]);
  });
});
