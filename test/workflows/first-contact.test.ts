import { addInvolvedUpdate, assignUpdate, dossierQuery, logContactUpdate } from '../../domain/messages';
import { ComplaintHandler, ComplaintOverdue, ComplaintStatus } from '../../domain/search-attributes';
import { addDays, amsterdam, quietMonday, skipTo } from '../support/clock';
import { workflowHarness } from '../support/harness';

/** Timers fire on the instant; the workflow task that records them takes a few milliseconds more. */
const toSecond = (iso: string | undefined): string => (iso ? new Date(Math.round(Date.parse(iso) / 1000) * 1000).toISOString() : 'none');

describe('Babbage: first contact within 2 working days', () => {
  const harness = workflowHarness();
  let monday: string;
  // Each test's complaint arrives on a Monday still ahead of the clock the previous test moved.
  beforeEach(async () => {
    monday = await quietMonday(harness.env);
  });
  const start = (reference: string) => harness.start(reference, { procedure: 'babbage', receivedAt: amsterdam(monday, '10:00') });

  it('is met by a logged phone call: no reminder, no breach, the complaint taken up', async () => {
    const handle = await start('KL-2026-BABMET');
    let dossier = await handle.query(dossierQuery);
    expect(dossier.terms.firstContact).toMatchObject({ date: addDays(monday, 2), dueAt: amsterdam(addDays(monday, 2), '23:59:59.999') });

    await skipTo(harness.env, amsterdam(addDays(monday, 1), '08:00'));
    dossier = await handle.executeUpdate(logContactUpdate, { args: [{ channel: 'phone', summary: 'Gebeld, toelichting gekregen', by: 'hanna' }] });
    expect(dossier.status).toBe('in_progress');
    expect(toSecond(dossier.terms.firstContact?.metAt)).toBe(toSecond(amsterdam(addDays(monday, 1), '08:00')));

    await skipTo(harness.env, amsterdam(addDays(monday, 3), '10:00'));
    dossier = await handle.query(dossierQuery);
    expect(dossier.terms.firstContact?.breachedAt).toBeUndefined();
    expect(dossier.timeline.map((e) => `${e.event}:${e.detail ?? ''}`)).not.toContain('reminder-sent:firstContact');
    expect(harness.mail.messages.filter((m) => m.subject?.includes('firstContact van klacht KL-2026-BABMET'))).toEqual([]);
    expect((await handle.describe()).typedSearchAttributes.get(ComplaintStatus)).toBe('in_progress');
  });

  it('when nobody calls: reminder at 09:00 the day before, breach at the end of the due day, escalation to the manager at 09:00 the next working day', async () => {
    const handle = await start('KL-2026-BABNOT');
    const due = addDays(monday, 2);

    await skipTo(harness.env, amsterdam(addDays(monday, 4), '10:00'));
    const dossier = await handle.query(dossierQuery);
    const events = dossier.timeline.filter((e) => e.detail === 'firstContact');
    expect(events.map((e) => [e.event, toSecond(e.at)])).toEqual([
      ['reminder-sent', toSecond(amsterdam(addDays(monday, 1), '09:00'))],
      ['term-breached', toSecond(amsterdam(due, '23:59:59.999'))],
      ['escalation-sent', toSecond(amsterdam(addDays(monday, 3), '09:00'))],
    ]);
    expect(Date.parse(dossier.terms.firstContact!.breachedAt!)).toBeGreaterThanOrEqual(Date.parse(amsterdam(due, '23:59:59.999')));
    expect((await handle.describe()).typedSearchAttributes.get(ComplaintOverdue)).toBe(true);

    // Unassigned and no staff mailbox: the reminder goes to every handler; the escalation to the managers only.
    const reminder = await harness.mail.waitFor((m) => m.subject === 'Herinnering: firstContact van klacht KL-2026-BABNOT');
    expect(reminder.text).toContain('verstrijkt morgen');
    expect(reminder.to).toMatchObject({ value: [{ address: 'hanna@staff.test' }, { address: 'henk@staff.test' }, { address: 'mira@staff.test' }] });
    const escalation = await harness.mail.waitFor((m) => m.subject === 'Termijn verstreken: firstContact van klacht KL-2026-BABNOT');
    expect(escalation.to).toMatchObject({ value: [{ address: 'mira@staff.test' }] });
    expect(escalation.messageId).toBe('<KL-2026-BABNOT.escalation-firstContact@klachtflow.test>');
  });

  it('refuses to assign a complaint to someone it is about, and assigns to someone else', async () => {
    const handle = await start('KL-2026-BABASG');
    await handle.executeUpdate(addInvolvedUpdate, { args: [{ name: 'Henk Handler', staffId: 'henk', role: 'consultant', by: 'mira' }] });
    await expect(handle.executeUpdate(assignUpdate, { args: [{ handler: 'henk', by: 'mira' }] })).rejects.toHaveProperty(
      'cause.message',
      'assign refused: henk is among the people this complaint is about; assign someone else',
    );
    const dossier = await handle.executeUpdate(assignUpdate, { args: [{ handler: 'hanna', by: 'mira' }] });
    expect(dossier).toMatchObject({ handler: 'hanna', status: 'in_progress', involved: [{ name: 'Henk Handler', staffId: 'henk', role: 'consultant' }] });
    expect((await handle.describe()).typedSearchAttributes.get(ComplaintHandler)).toBe('hanna');
    const complainantView = await handle.query(dossierQuery, { view: 'complainant' });
    expect(complainantView.timeline.map((e) => e.event)).not.toContain('involved-added');
  });
});
