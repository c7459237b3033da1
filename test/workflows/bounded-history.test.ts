import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { limits } from '../../domain/actions/define';
import { dossierQuery } from '../../domain/messages';
import { addDays, amsterdam, quietMonday, skipTo, toSecond } from '../support/clock';
import { act, refusal, staff, workflowHarness } from '../support/harness';

/** Every run of a complaint, first to last, with its event count and its size in bytes as the server stores it. */
async function runsOf(handle: WorkflowHandleWithFirstExecutionRunId): Promise<{ runId: string; events: number; bytes: number; continuedAsNew: boolean }[]> {
  const runs = [];
  let runId: string | undefined = handle.firstExecutionRunId;
  while (runId) {
    const history: temporal.api.history.v1.IHistory = await handle.client.getHandle(handle.workflowId, runId).fetchHistory();
    const last: temporal.api.history.v1.IHistoryEvent = history.events!.at(-1)!;
    const next: string | undefined = last.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
    runs.push({ runId, events: history.events!.length, bytes: temporal.api.history.v1.History.encode(history).finish().length, continuedAsNew: next !== undefined });
    runId = next;
  }
  return runs;
}

// No sequence of legal requests pushes a complaint over Temporal's limits: texts have sizes and
// a daily rate, updates answer small results, and a run continues as new with its whole state.
describe('a bounded history', () => {
  const harness = workflowHarness();
  let monday: string;
  beforeEach(async () => {
    monday = await quietMonday(harness.env, 35);
  });

  it('takes 200 posts of the largest size from the complainant and 200 staff notes, keeps every text, and stays far below the history limit', async () => {
    const handle = await harness.start('KL-2026-BIGONE', { procedure: 'gooiconsult', receivedAt: amsterdam(monday, '08:00') });
    const post = (i: number) => `informatie ${i} `.padEnd(limits.text, 'x');
    const note = (i: number) => `notitie ${i} `.padEnd(limits.note, 'y');
    for (let day = 0; day < 10; day++) {
      // A day and a few minutes after the day before: its posts are out of the 24 hours that count.
      await skipTo(harness.env, amsterdam(addDays(monday, day), `09:${String(day * 5).padStart(2, '0')}`));
      for (let i = day * 20; i < day * 20 + 20; i++) {
        await act(handle, 'addInformation', { text: post(i) });
        await act(handle, 'addNote', { text: note(i) }, staff('hanna'));
      }
      // The 21st of the day waits for tomorrow.
      if (day === 0) await expect(act(handle, 'addInformation', { text: 'nog een' })).rejects.toMatchObject(refusal('RateLimited', { limit: 20 }));
    }
    const dossier = await handle.query(dossierQuery);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    const texts = new Set(dossier.timeline.map((e) => e.detail));
    for (let i = 0; i < 200; i++) {
      expect(texts.has(post(i))).toBe(true);
      expect(texts.has(note(i))).toBe(true);
    }
    const runs = await runsOf(handle);
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);
    console.log(
      `200 posts of ${limits.text} characters and 200 notes of ${limits.note}: ${runs.length} run(s); ` +
        runs.map((r) => `${r.events} events, ${mb(r.bytes)} MB`).join(' → ') +
        `; ${mb(runs.reduce((sum, r) => sum + r.bytes, 0))} MB in all; dossier ${mb(Buffer.byteLength(JSON.stringify(dossier)))} MB`,
    );
    for (const run of runs) expect(run.bytes).toBeLessThan(10 * 1024 * 1024);
    // The run's history crossed its budget of 2,000 events at least once, and went on as new.
    expect(runs.length).toBeGreaterThan(1);
    await act(handle, 'withdraw', {});
  });

  it('continues as new in the middle of its terms, and every timer and e-mail still comes on time', async () => {
    // A small budget: the run continues as new every few actions.
    const handle = await harness.start('KL-2026-CANMID', { procedure: 'gooiconsult', receivedAt: amsterdam(monday, '10:00'), historyBudget: 40 });
    for (let i = 0; i < 20; i++) await act(handle, 'addNote', { text: `notitie ${i}` }, staff('hanna'));
    await act(handle, 'assign', { handler: 'hanna' });
    expect((await runsOf(handle)).length).toBeGreaterThanOrEqual(3);

    // Resolve (two weeks, Monday week 2): the reminder at 09:00 the Friday before, the breach at
    // the end of its day, the escalation at 09:00 on Tuesday; the three-week term's notice reminder on its date.
    await skipTo(harness.env, amsterdam(addDays(monday, 16), '10:00'));
    const dossier = await handle.query(dossierQuery);
    const at = (event: string, detail: string) => dossier.timeline.filter((e) => e.event === event && e.detail === detail).map((e) => toSecond(e.at));
    expect(at('reminder-sent', 'resolve')).toEqual([toSecond(amsterdam(addDays(monday, 11), '09:00'))]);
    expect(at('term-breached', 'resolve')).toEqual([toSecond(amsterdam(addDays(monday, 14), '23:59:59.999'))]);
    expect(at('escalation-sent', 'resolve')).toEqual([toSecond(amsterdam(addDays(monday, 15), '09:00'))]);
    expect(at('notice-reminder-sent', 'maxLeadTime')).toEqual([toSecond(amsterdam(addDays(monday, 16), '09:00'))]);
    expect(dossier.timeline.filter((e) => e.event === 'note')).toHaveLength(20);
    expect(dossier.handler).toBe('hanna');
    // Every e-mail once: the same Message-ID never twice.
    const ids = harness.mail.messages.filter((m) => (m.text ?? '').includes('KL-2026-CANMID') || m.messageId?.includes('KL-2026-CANMID')).map((m) => m.messageId);
    expect(ids.length).toBeGreaterThanOrEqual(5);
    expect(new Set(ids).size).toBe(ids.length);
    expect(dossier.correspondence.every((c) => c.status === 'sent')).toBe(true);

    await act(handle, 'sendPosition', { text: 'Ons standpunt.' }, staff('hanna'));
    await act(handle, 'respondSatisfaction', { satisfied: true });
    const closed = await harness.until(handle, (d) => d.destroyOn !== undefined);
    expect(closed).toMatchObject({ status: 'closed', outcome: 'satisfied' });
    const runs = await runsOf(handle);
    console.log(`continued as new ${runs.length - 1} times in the middle of its terms; runs of ${runs.map((r) => r.events).join(', ')} events`);
  });
});
