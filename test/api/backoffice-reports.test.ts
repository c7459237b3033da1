import { ensureSchedules, reportScheduleId } from '../../config/schedules';
import { periodHolding } from '../../domain/analysis';
import { destructionStatementId } from '../../domain/destruction';
import { taskQueue } from '../../domain/messages';
import { localDateOf } from '../../domain/local-date';
import { call } from '../support/api';
import { FormBrowser } from '../support/form-browser';
import { devStack } from '../support/stack';
import { procedures, staffTokens } from '../support/worker';

// The back office's report page over real HTTP against the dev server and the real worker: the
// numbers are the API's, the charts are SVG drawn on the server, the CSVs hold the same lines,
// and the closed complaints are listed for the quality meeting.
describe('the back office: reports', () => {
  const stack = devStack();
  const url = (path: string) => `${stack.api.url}${path}`;
  const quarter = periodHolding(localDateOf(new Date(), 'Europe/Amsterdam'), 'quarterly').label;
  const cells = (html: string, key: string) => {
    const row = new RegExp(`<tr data-key="${key}"><th scope="row">[^<]*</th><td>([^<]*)</td><td>([^<]*)</td></tr>`).exec(html);
    return row ? [row[1], row[2]] : undefined;
  };

  it('shows a quarter of one procedure as the API counts it, with its charts, CSVs and the closed complaints', async () => {
    const file = async (description: string, category?: string) => {
      const response = await call('POST', url('/api/complaints'), { body: { procedure: 'klassewerk', complainant: { name: 'Rapport Klager', email: 'rapport@example.nl', phone: '06 12345678' }, description, ...(category ? { category } : {}) } });
      const created = (await response.json()) as { reference: string; dossierUrl: string };
      return { reference: created.reference, token: new URL(created.dossierUrl).searchParams.get('token')! };
    };
    const act = (reference: string, path: string, body: unknown, token: string = staffTokens.mira) => call('POST', url(`/api/admin/complaints/${reference}/${path}`), { token, body });
    const closed = await file('De trainer kwam niet opdagen.');
    const open = await file('De cursusmap ontbrak.');
    expect((await act(closed.reference, 'record-cause', { cause: 'Dubbel geboekte trainer', measures: 'Planning met bevestiging' })).status).toBe(200);
    expect((await act(closed.reference, 'send-position', { text: 'Wij bieden een nieuwe datum aan.' })).status).toBe(200);
    const satisfied = await call('POST', url(`/api/complaints/${closed.reference}/satisfaction`), { token: closed.token, body: { satisfied: true } });
    expect(satisfied.status).toBe(200);

    const mira = new FormBrowser(() => stack.api.url);
    await mira.signIn(stack.mail, 'mira@staff.test');
    // The memo reaches visibility a moment after the update: until both complaints count, ask again.
    let page = await mira.request('GET', `/beheer/rapportages?periode=${quarter}&procedure=klassewerk`);
    for (let i = 0; i < 50 && !page.html.includes(closed.reference); i++) {
      await new Promise((r) => setTimeout(r, 200));
      page = await mira.request('GET', `/beheer/rapportages?periode=${quarter}&procedure=klassewerk`);
    }
    expect(page.status).toBe(200);
    const api = (await (await call('GET', url(`/api/admin/reports/${quarter}?procedure=klassewerk`), { token: staffTokens.mira })).json()) as {
      complaints: number;
      byOutcome: Record<string, number>;
      terms: Record<string, { breached: number; extended: number }>;
      leadTimes: { receiptToPosition: { medianWorkingDays: number | null } };
    };
    expect(api.complaints).toBeGreaterThanOrEqual(2);
    expect(cells(page.html, 'complaints')![0]).toBe(String(api.complaints));
    expect(cells(page.html, 'open')![0]).toBe(String(api.byOutcome.open ?? 0));
    expect(cells(page.html, 'toPosition')![0]).toBe(String(api.leadTimes.receiptToPosition.medianWorkingDays));
    expect(cells(page.html, 'breached')![0]).toBe(String(Object.values(api.terms).reduce((n, t) => n + t.breached, 0)));

    // Two charts, drawn on the server as SVG with an accessible name, no script on the page.
    expect(page.html).not.toContain('<script');
    const charts = [...page.html.matchAll(/<figure class="chart" id="grafiek-(\w+)" tabindex="0">\s*<svg[\s\S]*?aria-label="([^"]+)"/g)].map((m) => [m[1], m[2]]);
    expect(charts.map(([id]) => id)).toEqual(['categorie', 'termijnen']);
    expect(charts[1]![1]).toContain('Hoe de termijnen afliepen');
    expect(page.html).toContain('<text');

    // The quality meeting's list: the closed complaint with its cause and measures, not the open one.
    const list = page.html.slice(page.html.indexOf('<table id="afgesloten-lijst">'));
    expect(list).toContain(`<a href="/beheer/klachten/${closed.reference}">`);
    expect(list).toContain('Dubbel geboekte trainer');
    expect(list).toContain('<td>tevreden</td>');
    expect(list.slice(0, list.indexOf('</table>'))).not.toContain(open.reference);

    // The CSVs: the same figures, Excel's way; the closed list with its cause.
    const csv = await mira.request('GET', `/beheer/rapportages.csv?periode=${quarter}&procedure=klassewerk`);
    expect(csv.status).toBe(200);
    expect(csv.html.split('\r\n')[0]).toBe('onderdeel;omschrijving;deze periode;vorige periode');
    expect(csv.html).toContain(`kerncijfers;Klachten ontvangen;${api.complaints};`);
    const closedCsv = await mira.request('GET', `/beheer/rapportages.csv?periode=${quarter}&procedure=klassewerk&deel=afgesloten`);
    expect(closedCsv.html).toContain(`${closed.reference};klassewerk;`);
    expect(closedCsv.html).toContain(';Dubbel geboekte trainer;Planning met bevestiging;');

    // A period that is none: said next to its field, in Dutch.
    const wrong = await mira.request('GET', '/beheer/rapportages?periode=2026-Q7');
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('<small class="error" id="periode-fout">Kies een kwartaal (zoals 2026-Q2) of een jaar (zoals 2026).</small>');

    // A handler sees no reports, neither in the navigation nor at the address.
    const hanna = new FormBrowser(() => stack.api.url);
    await hanna.signIn(stack.mail, 'hanna@staff.test');
    const queue = await hanna.request('GET', '/beheer');
    expect(queue.html).not.toContain('href="/beheer/rapportages"');
    const refused = await hanna.request('GET', `/beheer/rapportages?periode=${quarter}`);
    expect(refused.status).toBe(403);
    expect(refused.html).toContain('Alleen voor managers en directie');
  });

  it('keeps a Schedule per procedure at 09:00 on a new period’s first days; the report is e-mailed on the first working day, the charts as PNG', async () => {
    const client = stack.env.client;
    const states = await ensureSchedules(client, procedures);
    expect(Object.keys(states).sort()).toEqual([destructionStatementId, ...[...procedures.keys()].map(reportScheduleId)].sort());
    expect(Object.values(states).every((s) => s === 'created')).toBe(true);
    expect(Object.values(await ensureSchedules(client, procedures)).every((s) => s === 'updated')).toBe(true);
    const babbage = await client.schedule.getHandle(reportScheduleId('babbage')).describe();
    expect(babbage.spec.calendars?.[0]).toMatchObject({ month: [{ start: 'JANUARY', end: 'JANUARY', step: 1 }, { start: 'APRIL', end: 'APRIL', step: 1 }, { start: 'JULY', end: 'JULY', step: 1 }, { start: 'OCTOBER', end: 'OCTOBER', step: 1 }], dayOfMonth: [{ start: 1, end: 7, step: 1 }], hour: [{ start: 9, end: 9, step: 1 }] });
    expect(babbage.spec.timezone).toBe('Europe/Amsterdam');
    expect(babbage.action).toMatchObject({ type: 'startWorkflow', workflowType: 'periodReportWorkflow', args: [{ procedure: 'babbage' }] });
    const next = babbage.info.nextActionTimes[0]!;
    expect(['01', '04', '07', '10']).toContain(localDateOf(next, 'Europe/Amsterdam').slice(5, 7));
    expect(next.toLocaleTimeString('nl-NL', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit' })).toBe('09:00');
    // StudiJob analyses yearly: January only.
    const studijob = await client.schedule.getHandle(reportScheduleId('studijob')).describe();
    expect(studijob.spec.calendars?.[0]?.month).toEqual([{ start: 'JANUARY', end: 'JANUARY', step: 1 }]);

    const run = (args: Record<string, string>) =>
      client.workflow.execute('periodReportWorkflow', { taskQueue, workflowId: `report-test-${Object.values(args).join('-')}`, args: [{ procedure: 'klassewerk', ...args }] });
    // Tuesday 5 January 2027 is not the first working day (Monday the 4th is): nothing is sent.
    expect(await run({ at: '2027-01-05T08:00:00.000Z' })).toEqual({ due: false, date: '2027-01-05' });
    // Monday 4 January 2027 at 09:00: the past quarter's report.
    const sent = (await run({ at: '2027-01-04T08:00:00.000Z' })) as { period: string; to: string[] };
    expect(sent).toMatchObject({ period: '2026-Q4', to: ['mira@staff.test'] });
    const mail = await stack.mail.waitFor((m) => m.subject?.startsWith('Klachtenrapportage klassewerk 2026-Q4') === true);
    expect(mail.text).toContain('Dit zijn de klachten van klassewerk ontvangen in 4e kwartaal 2026');
    expect(mail.text).toContain('http://klachtflow.test/beheer/rapportages?periode=2026-Q4&procedure=klassewerk');
    // This quarter's complaints (the test before): the figures, the charts and the CSV as the page has them.
    const api = (await (await call('GET', url(`/api/admin/reports/${quarter}?procedure=klassewerk`), { token: staffTokens.mira })).json()) as { complaints: number };
    const thisQuarter = (await run({ period: quarter, at: new Date().toISOString() })) as { period: string };
    expect(thisQuarter.period).toBe(quarter);
    const current = await stack.mail.waitFor((m) => m.subject === `Klachtenrapportage klassewerk ${quarter}: ${api.complaints} klachten`);
    expect(current.text).toContain(`- Klachten ontvangen: ${api.complaints} (`);
    const pngs = current.attachments.filter((a) => a.contentType === 'image/png');
    expect(pngs.map((a) => a.filename)).toEqual(['categorie.png', 'termijnen.png']);
    for (const png of pngs) {
      expect(png.content.subarray(1, 4).toString()).toBe('PNG');
      // Drawn at twice the SVG's size: wider than the chart's 320 px plot.
      expect(png.content.readUInt32BE(16)).toBeGreaterThan(640);
    }
    const csv = current.attachments.find((a) => a.filename === `rapportage-${quarter}-klassewerk.csv`)!;
    expect(csv.content.toString('utf8')).toContain(`kerncijfers;Klachten ontvangen;${api.complaints};`);
    for (const id of Object.keys(states)) await client.schedule.getHandle(id).delete();
  });
});
