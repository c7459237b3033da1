import { defaultPayloadConverter } from '@temporalio/common';
import { EncryptionCodec } from '../../codec';
import type { ComplaintInput } from '../../domain/complaint';
import { dossierQuery, taskQueue } from '../../domain/messages';
import { workflowIdFor } from '../../domain/reference';
import { ComplaintStatus } from '../../domain/search-attributes';
import type { complaintWorkflow } from '../../workflows';
import { addDays, addMonths, amsterdam, inDutch, quietMonday, skipTo, toSecond, weekdayOnOrAfter } from '../support/clock';
import { complaintInput } from '../support/complaints';
import { act, actAndRead, type Handle, staff, workflowHarness } from '../support/harness';
import { addressesOf } from '../support/mail-sink';
import { testKeyRing } from '../support/temporal';

// What holds for every procedure: the complainant may withdraw at any stage; mail goes out in
// working hours; the operator sees a complaint's state without its personal data; an e-mail
// that cannot be delivered never stops a complaint.
describe('every procedure', () => {
  const harness = workflowHarness();
  let monday: string;
  beforeEach(async () => {
    monday = await quietMonday(harness.env, 63);
  });
  const start = (reference: string, overrides: Partial<ComplaintInput> = {}) =>
    harness.start(reference, { receivedAt: amsterdam(monday, '10:00'), ...overrides });
  const position = { text: 'Ons standpunt.' };
  const sendPosition = (h: Handle) => act(h, 'sendPosition', position, staff('hanna'));

  const stages: [string, Partial<ComplaintInput>, (handle: Handle) => Promise<unknown>][] = [
    ['received', {}, () => Promise.resolve()],
    ['in_progress', {}, (h) => act(h, 'assign', { handler: 'hanna' }, staff('mira'))],
    ['awaiting_complainant', {}, sendPosition],
    [
      'in_appeal',
      { procedure: 'klassewerk' },
      async (h) => {
        await sendPosition(h);
        await act(h, 'fileAppeal', { grounds: 'Oneens' });
      },
    ],
    [
      'with_external_body',
      {},
      async (h) => {
        await sendPosition(h);
        await act(h, 'fileAppeal', { grounds: 'Naar de commissie' });
      },
    ],
  ];
  it.each(stages)('the complainant may withdraw while the complaint is %s; its terms stop there', async (stage, overrides, reach) => {
    const reference = `KL-2026-W${stage.replace(/_/g, '').slice(0, 5).toUpperCase()}`;
    const handle = await start(reference, overrides);
    await skipTo(harness.env, amsterdam(monday, '11:00'));
    await reach(handle);
    expect((await handle.describe()).typedSearchAttributes.get(ComplaintStatus)).toBe(stage);
    const dossier = await actAndRead(handle, 'withdraw', { reason: 'Zelf opgelost' });
    expect(dossier).toMatchObject({ status: 'closed', outcome: 'withdrawn' });
    const closure = await harness.mail.waitFor((m) => m.subject === `Uw klacht [${reference}] is afgesloten`);
    expect(closure.text).toContain('ingetrokken');
    // Nothing fires after a withdrawal: no breach, no reminder, no escalation.
    await skipTo(harness.env, amsterdam(weekdayOnOrAfter(addMonths(monday, 2)), '10:00'));
    const after = await handle.query(dossierQuery);
    // What came after the closing (the destroy date may be set in the same instant: it is not compared by time).
    const events = after.timeline.map((e) => e.event);
    expect(events.slice(events.lastIndexOf('closed') + 1)).toEqual(['destroy-scheduled']);
  });

  it('a "satisfied?" reminder that would fall on a Saturday goes out on Monday at 09:00', async () => {
    const handle = await start('KL-2026-SATMON');
    // Position on Friday: ten working days later is a Friday; the reminder follows the weekend.
    await skipTo(harness.env, amsterdam(addDays(monday, 4), '10:00'));
    const dossier = await actAndRead(handle, 'sendPosition', position, staff('hanna'));
    expect(dossier.terms.satisfaction?.date).toBe(addDays(monday, 18));
    await skipTo(harness.env, amsterdam(addDays(monday, 20), '23:00'));
    expect(harness.mail.messages.some((m) => m.subject === 'Herinnering: Ons standpunt over uw klacht [KL-2026-SATMON]')).toBe(false);
    await skipTo(harness.env, amsterdam(addDays(monday, 21), '10:00'));
    const reminded = await harness.until(handle, (d) => d.timeline.some((e) => e.event === 'satisfaction-reminder-sent'));
    expect(toSecond(reminded.timeline.find((e) => e.event === 'satisfaction-reminder-sent')!.at)).toBe(toSecond(amsterdam(addDays(monday, 21), '09:00')));
  });

  it('staff e-mail goes out at 09:00 on working days only: a term ending on Friday escalates on Monday', async () => {
    const wednesday = addDays(monday, 2);
    const handle = await start('KL-2026-STAFFH', { procedure: 'babbage', receivedAt: amsterdam(wednesday, '16:45') });
    await skipTo(harness.env, amsterdam(addDays(monday, 8), '10:00'));
    const dossier = await handle.query(dossierQuery);
    const staffMail = dossier.timeline.filter((e) => ['reminder-sent', 'notice-reminder-sent', 'escalation-sent'].includes(e.event));
    expect(staffMail.map((e) => [e.event, e.detail, toSecond(e.at)])).toEqual([
      ['reminder-sent', 'firstContact', toSecond(amsterdam(addDays(monday, 3), '09:00'))],
      ['escalation-sent', 'firstContact', toSecond(amsterdam(addDays(monday, 7), '09:00'))],
      // Babbage's 5-working-day target: reminder the Tuesday, due the Wednesday.
      ['reminder-sent', 'resolve', toSecond(amsterdam(addDays(monday, 8), '09:00'))],
    ]);
    for (const entry of staffMail) {
      const local = new Intl.DateTimeFormat('en-GB', { weekday: 'short', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Amsterdam' }).format(new Date(entry.at));
      expect(local).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 09:00$/);
    }
  });

  it('shows the operator a current-details line and timer summaries, without personal data', async () => {
    const handle = await start('KL-2026-OPSVUE', { procedure: 'gooiconsult' });
    await act(handle, 'assign', { handler: 'hanna' }, staff('mira'));
    const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    expect(metadata.currentDetails).toBe(
      `gooiconsult · in_progress · handler hanna · next: reminder to staff: resolve at ${amsterdam(addDays(monday, 11), '09:00')}`,
    );
    // Encrypted like every payload: the Temporal UI shows them through the codec endpoint.
    const sealed = (await handle.fetchHistory()).events!.filter((e) => e.timerStartedEventAttributes).map((e) => e.userMetadata!.summary!);
    const summaries = (await new EncryptionCodec(testKeyRing).decode(sealed)).map((p) => defaultPayloadConverter.fromPayload<string>(p));
    expect(summaries).toContain('reminder to staff: resolve');
    const input = complaintInput();
    for (const text of [...summaries, metadata.currentDetails!]) {
      for (const personal of [input.complainant.name!, input.complainant.email, input.description]) expect(text).not.toContain(personal);
    }
    await act(handle, 'withdraw', {});
  });

  it('a receipt the server refuses for good is recorded in the dossier, the staff are told to call or post, and the complaint goes on', async () => {
    harness.mail.refuse.set('bounce@example.nl', 550);
    await skipTo(harness.env, amsterdam(monday, '10:00'));
    const input = complaintInput({ reference: 'KL-2026-BOUNCE', receivedAt: amsterdam(monday, '10:00'), complainant: { name: 'B', email: 'bounce@example.nl' } });
    const handle = await harness.env.client.workflow.start<typeof complaintWorkflow>('complaintWorkflow', { taskQueue, workflowId: workflowIdFor(input.reference), args: [input] });
    const dossier = await harness.until(handle, (d) => d.timeline.some((e) => e.event === 'mail-failed'));
    expect(dossier.correspondence.find((c) => c.step === 'receipt')).toEqual(
      expect.objectContaining({ to: 'complainant', status: 'undelivered', subject: 'receipt', failed: 'SMTP refused the receipt e-mail (550)' }),
    );
    expect(dossier.terms.acknowledge?.metAt).toBeUndefined();
    // Nobody handles it yet: every handler hears of it.
    const alert = await harness.mail.waitFor((m) => m.subject === 'Niet bezorgd bij de klager: de ontvangstbevestiging – klacht [KL-2026-BOUNCE]');
    expect(addressesOf(alert).sort()).toEqual(['hanna@staff.test', 'henk@staff.test', 'mira@staff.test']);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    harness.mail.refuse.delete('bounce@example.nl');
    const closed = await actAndRead(handle, 'withdraw', {});
    expect(closed.status).toBe('closed');
  });

  it('an e-mail the server cannot take now is retried until it goes', async () => {
    harness.mail.refuse.set('busy@example.nl', 451);
    await skipTo(harness.env, amsterdam(monday, '10:00'));
    const input = complaintInput({ reference: 'KL-2026-RETRY1', receivedAt: amsterdam(monday, '10:00'), complainant: { name: 'B', email: 'busy@example.nl' } });
    const handle = await harness.env.client.workflow.start<typeof complaintWorkflow>('complaintWorkflow', { taskQueue, workflowId: workflowIdFor(input.reference), args: [input] });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(harness.mail.to('busy@example.nl')).toEqual([]);
    harness.mail.refuse.delete('busy@example.nl');
    await harness.env.sleep('1 minute');
    const receipt = await harness.mail.waitFor((m) => m.subject === 'Ontvangstbevestiging van uw klacht [KL-2026-RETRY1]');
    expect(receipt.text).toContain(inDutch(monday));
    const dossier = await harness.until(handle, (d) => d.timeline.some((e) => e.event === 'receipt-sent'));
    expect(dossier.correspondence.filter((c) => c.failed)).toEqual([]);
    await act(handle, 'withdraw', {});
  });
});
