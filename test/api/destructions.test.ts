import { recordInLog } from '../../activities/destructions';
import { ensureDestructionSchedule } from '../../config/schedules';
import { destructionStatementId, monthBefore } from '../../domain/destruction';
import { localDateOf } from '../../domain/local-date';
import { call } from '../support/api';
import { devStack } from '../support/stack';
import { staffTokens } from '../support/worker';

// The monthly destruction statement on a real dev server: the Schedule as workers make it, its run
// e-mailing the managers, and the same list for the back office as JSON and CSV.
describe('the destruction statement', () => {
  const stack = devStack();
  const url = (path: string) => `${stack.api.url}${path}`;
  const lastMonth = monthBefore(new Date(), 'Europe/Amsterdam');

  it('is a Schedule on the first of the month at 07:00 Amsterdam time, made once and kept in line; its run e-mails the past month to the managers', async () => {
    const client = stack.env.client;
    expect(await ensureDestructionSchedule(client, 'Europe/Amsterdam')).toBe('created');
    expect(await ensureDestructionSchedule(client, 'Europe/Amsterdam')).toBe('updated');
    const schedule = client.schedule.getHandle(destructionStatementId);
    const described = await schedule.describe();
    expect(described.spec).toMatchObject({ calendars: [expect.objectContaining({ dayOfMonth: [{ start: 1, end: 1, step: 1 }], hour: [{ start: 7, end: 7, step: 1 }] })], timezone: 'Europe/Amsterdam' });
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'destructionStatementWorkflow' });
    expect(described.policies.overlap).toBe('SKIP');
    const next = described.info.nextActionTimes[0]!;
    expect(localDateOf(next, 'Europe/Amsterdam').slice(8)).toBe('01');
    expect(next.toLocaleTimeString('nl-NL', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit' })).toBe('07:00');

    await schedule.trigger();
    const statement = await stack.mail.waitFor((m) => m.subject?.startsWith('Vernietigingsoverzicht') === true);
    expect(statement.to).toMatchObject({ text: 'mira@staff.test' });
    const monthName = new Intl.DateTimeFormat('nl-NL', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${lastMonth}-01T12:00:00Z`));
    expect(statement.subject).toBe(`Vernietigingsoverzicht ${monthName}: 0 dossiers`);
    await schedule.delete();
  });

  it('is served to managers as JSON and CSV, the month before this one unless asked; handlers get 403, a wrong month 400', async () => {
    const line = { reference: 'KL-2026-DSTR01', procedure: 'gooiconsult', receivedAt: '2026-02-02T09:00:00.000Z', closedAt: '2026-02-20T15:00:00.000Z', destroyOn: `${lastMonth}-20` };
    const early = { reference: 'KL-2026-DSTR02', procedure: 'babbage', receivedAt: '2026-05-04T09:00:00.000Z', closedAt: '2026-05-06T15:00:00.000Z', destroyOn: `${lastMonth}-03`, early: { at: `${lastMonth}-03T10:00:00.000Z`, reason: 'Verzoek tot verwijdering', plannedOn: '2027-05-06' } };
    await recordInLog(stack.env.client, line);
    await recordInLog(stack.env.client, early);
    await recordInLog(stack.env.client, line); // a retried signal: one line

    const response = await call('GET', url('/api/admin/destructions'), { token: staffTokens.mira });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      month: lastMonth,
      destructions: [
        { reference: 'KL-2026-DSTR02', procedure: 'babbage', received: '2026-05-04', closed: '2026-05-06', destroyOn: `${lastMonth}-03`, early: 'ja', reason: 'Verzoek tot verwijdering' },
        { reference: 'KL-2026-DSTR01', procedure: 'gooiconsult', received: '2026-02-02', closed: '2026-02-20', destroyOn: `${lastMonth}-20`, early: 'nee', reason: '' },
      ],
    });
    const csv = await call('GET', url(`/api/admin/destructions.csv?month=${lastMonth}`), { token: staffTokens.mira });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain(`vernietigd-${lastMonth}.csv`);
    const bytes = Buffer.from(await csv.arrayBuffer());
    // Excel reads it as UTF-8 by its byte order mark.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8').split('\r\n')).toEqual([
      'kenmerk;procedure;ontvangen;afgesloten;vernietigd op;eerder vernietigd;reden',
      `KL-2026-DSTR02;babbage;2026-05-04;2026-05-06;${lastMonth}-03;ja;Verzoek tot verwijdering`,
      `KL-2026-DSTR01;gooiconsult;2026-02-02;2026-02-20;${lastMonth}-20;nee;`,
      '',
    ]);
    expect(await (await call('GET', url('/api/admin/destructions?month=2019-03'), { token: staffTokens.mira })).json()).toEqual({ month: '2019-03', destructions: [] });
    expect((await call('GET', url('/api/admin/destructions'), { token: staffTokens.hanna })).status).toBe(403);
    const wrong = await call('GET', url('/api/admin/destructions.csv?month=2026-13'), { token: staffTokens.mira });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ errors: [{ field: 'month', rule: 'a month such as 2026-11' }] });
  });
});
