import type { ComplaintInput } from '../../domain/complaint';
import { dossierQuery, taskQueue } from '../../domain/messages';
import { workflowIdFor } from '../../domain/reference';
import { ComplaintMailHeld } from '../../domain/search-attributes';
import type { complaintWorkflow } from '../../workflows';
import { addDays, amsterdam, quietMonday, skipTo } from '../support/clock';
import { complaintInput } from '../support/complaints';
import { act, staff, workflowHarness } from '../support/harness';
import { addressesOf } from '../support/mail-sink';

// Every way an e-mail can fail has its own answer: a recipient refused for good is on record and
// the handler is told what to do; our own relay refusing us is retried and visible to the
// operator; an hour of "try later" is held as delayed, the handler told, and tried on.
describe('when e-mail cannot go', () => {
  const harness = workflowHarness();
  let monday: string;
  beforeEach(async () => {
    monday = await quietMonday(harness.env, 42);
  });
  afterEach(() => {
    harness.mail.refuse.clear();
    delete harness.mail.faults.relayRefuses;
  });
  /** Files a complaint without waiting for its receipt (which may not come). */
  const file = async (reference: string, overrides: Partial<ComplaintInput> = {}) => {
    const input = complaintInput({ reference, procedure: 'gooiconsult', receivedAt: amsterdam(monday, '10:00'), ...overrides });
    await skipTo(harness.env, input.receivedAt);
    return harness.env.client.workflow.start<typeof complaintWorkflow>('complaintWorkflow', { taskQueue, workflowId: workflowIdFor(reference), args: [input] });
  };

  it('a position the complainant\'s server refuses for good: the handler is told to call or post, and the complaint waits instead of closing', async () => {
    const handle = await harness.start('KL-2026-BOUNCE', { procedure: 'gooiconsult', receivedAt: amsterdam(monday, '10:00'), complainant: { name: 'B', email: 'bounce@example.nl' } });
    await act(handle, 'assign', { handler: 'hanna' });
    harness.mail.refuse.set('bounce@example.nl', 550);
    await skipTo(harness.env, amsterdam(addDays(monday, 1), '10:00'));
    await act(handle, 'sendPosition', { text: 'Ons standpunt.' }, staff('hanna'));
    const alert = await harness.mail.waitFor((m) => m.subject === 'Niet bezorgd bij de klager: het standpunt – klacht [KL-2026-BOUNCE]');
    expect(addressesOf(alert)).toEqual(['hanna@staff.test']);
    expect(alert.text).toContain('de mailserver van de klager weigert het adres (550). Bel de klager of stuur het per post');
    let dossier = await harness.until(handle, (d) => d.correspondence.some((c) => c.step === 'position' && c.status === 'undelivered'));
    expect(dossier.correspondence.find((c) => c.step === 'position')).toMatchObject({ status: 'undelivered', failed: 'SMTP refused the position e-mail (550)' });

    // Unanswered, because unseen: when every window has passed, it waits for staff.
    await skipTo(harness.env, amsterdam(addDays(monday, 30), '10:00'));
    dossier = await handle.query(dossierQuery);
    expect(dossier.status).toBe('awaiting_complainant');
    expect(dossier.timeline.find((e) => e.event === 'no-response')?.detail).toBe('staff decide: the position could not be delivered');
    // Staff reached the complainant by phone: satisfied.
    await act(handle, 'recordSatisfaction', { satisfied: true, channel: 'phone', receivedAt: amsterdam(addDays(monday, 30), '09:45') }, staff('hanna'));
    expect((await handle.query(dossierQuery)).outcome).toBe('satisfied');
  });

  it('our own relay refusing us (554): the e-mail waits, the operator sees it, and it goes once the relay takes it', async () => {
    harness.mail.faults.relayRefuses = 554;
    const handle = await file('KL-2026-RELAY1');
    let dossier = await harness.until(handle, (d) => d.correspondence.some((c) => c.step === 'receipt' && c.held?.reason === 'relay-refused'));
    expect(dossier.correspondence.find((c) => c.step === 'receipt')).toMatchObject({ status: 'queued' });
    expect((await handle.describe()).typedSearchAttributes.get(ComplaintMailHeld)).toBe('relay-refused');
    expect(harness.mail.messages.filter((m) => m.subject?.includes('KL-2026-RELAY1'))).toEqual([]);
    // Retried each minute, then each 2, 4, … minutes: the relay mended, it goes.
    await harness.env.sleep('3 minutes');
    delete harness.mail.faults.relayRefuses;
    await harness.env.sleep('5 minutes');
    await harness.mail.waitFor((m) => m.subject === 'Ontvangstbevestiging van uw klacht [KL-2026-RELAY1]');
    dossier = await harness.until(handle, (d) => d.correspondence.find((c) => c.step === 'receipt')?.status === 'sent');
    expect(dossier.correspondence.find((c) => c.step === 'receipt')?.held).toBeUndefined();
    expect(dossier.terms.acknowledge?.metAt).toBeDefined();
    expect(dossier.timeline.filter((e) => e.event === 'mail-held').map((e) => e.detail)).toContain('receipt: relay-refused');
    expect((await handle.describe()).typedSearchAttributes.get(ComplaintMailHeld)).toBeUndefined();
    await act(handle, 'withdraw', {});
  });

  it('an hour of "try later" (451): held as delayed, the handler told once, and it goes when the server takes it', async () => {
    const handle = await harness.start('KL-2026-LATER1', { procedure: 'gooiconsult', receivedAt: amsterdam(monday, '10:00'), complainant: { name: 'L', email: 'later@example.nl' } });
    await act(handle, 'assign', { handler: 'hanna' });
    harness.mail.refuse.set('later@example.nl', 451);
    await act(handle, 'sendPosition', { text: 'Ons standpunt.' }, staff('hanna'));
    await harness.env.sleep('65 minutes');
    const alert = await harness.mail.waitFor((m) => m.subject === 'Vertraagd naar de klager: het standpunt – klacht [KL-2026-LATER1]');
    expect(addressesOf(alert)).toEqual(['hanna@staff.test']);
    await harness.until(handle, (d) => d.correspondence.some((c) => c.step === 'position' && c.held?.reason === 'delayed'));
    expect((await handle.describe()).typedSearchAttributes.get(ComplaintMailHeld)).toBe('delayed');
    await harness.env.sleep('65 minutes');
    harness.mail.refuse.delete('later@example.nl');
    await harness.env.sleep('20 minutes');
    await harness.mail.waitFor((m) => m.subject === 'Ons standpunt over uw klacht [KL-2026-LATER1]');
    const dossier = await harness.until(handle, (d) => d.correspondence.find((c) => c.step === 'position')?.status === 'sent');
    // The handler was told once, not every hour.
    expect(harness.mail.messages.filter((m) => m.subject?.startsWith('Vertraagd naar de klager') && m.subject.includes('KL-2026-LATER1'))).toHaveLength(1);
    expect(dossier.correspondence.find((c) => c.step === 'position')?.held).toBeUndefined();
    await act(handle, 'withdraw', {});
  });
});
