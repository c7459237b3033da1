import { Client } from '@temporalio/client';
import { dataConverter, keyRing, newCodecKey } from '../../codec';
import type { Dossier } from '../../domain/dossier';
import type { Analysis } from '../../domain/analysis';
import { call, startTestApi } from '../support/api';
import { dossierQueryCounter } from '../support/query-counter';
import { devStack } from '../support/stack';
import { staffTokens } from '../support/worker';

// The register, its CSV and the report read the register memo from visibility list calls: not one
// dossier query, however many complaints (the benchmark shows it at 10,000).
describe('the register from the memo in visibility', () => {
  const queries = dossierQueryCounter();
  const stack = devStack({ clientInterceptors: [queries.interceptor] });
  const url = (path: string) => `${stack.api.url}${path}`;
  const staff = (path: string, body?: unknown) => call(body === undefined ? 'GET' : 'POST', url(path), { token: staffTokens.mira, ...(body === undefined ? {} : { body }) });

  it('lists, exports and analyses complaints without reading a dossier, with the same facts the dossier holds', async () => {
    const file = async (name: string, description: string, type: string) => {
      const response = await call('POST', url('/api/complaints'), {
        body: { procedure: 'studijob', complainant: { name, email: 'memo@example.nl', type }, description },
      });
      expect(response.status).toBe(201);
      return ((await response.json()) as { reference: string }).reference;
    };
    const first = await file('Bram Bos', 'Rooster klopte niet\nDe details staan hieronder.', 'uitzendkracht');
    const second = await file('Cor Claes', 'Geen terugkoppeling gehad', 'opdrachtgever');
    for (const [path, body] of [
      ['assign', { handler: 'hanna' }],
      ['add-involved', { name: 'Piet Planner', role: 'planner' }],
      ['record-cause', { cause: 'Rooster te laat', measures: 'Rooster een week vooruit', communicatedHow: 'In het teamoverleg', communicatedOn: '2026-06-01' }],
      ['send-position', { text: 'Ons standpunt', solution: 'Uren alsnog uitbetaald' }],
    ] as const) {
      expect((await staff(`/api/admin/complaints/${first}/${path}`, body)).status).toBe(200);
    }
    const dossier = (await (await staff(`/api/admin/complaints/${first}`)).json()) as Dossier;

    queries.reset();
    type Row = { reference: string; complainant?: { name?: string; type?: string }; subject?: string; handler?: string; status?: string };
    let rows: Row[] = [];
    for (let i = 0; i < 50 && !rows.some((r) => r.reference === first && r.status === dossier.status); i++) {
      rows = ((await (await staff('/api/admin/complaints?procedure=studijob')).json()) as { complaints: Row[] }).complaints;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reference: first, complainant: { name: 'Bram Bos', type: 'uitzendkracht' }, subject: 'Rooster klopte niet', handler: 'hanna', status: dossier.status }),
        expect.objectContaining({ reference: second, complainant: { name: 'Cor Claes', type: 'opdrachtgever' }, subject: 'Geen terugkoppeling gehad' }),
      ]),
    );
    const csv = await (await staff('/api/admin/complaints.csv?procedure=studijob')).text();
    const line = csv.split('\r\n').find((l) => l.startsWith(first))!;
    for (const cell of ['Bram Bos', 'uitzendkracht', 'Rooster klopte niet', 'Piet Planner (planner)', 'Uren alsnog uitbetaald', 'Rooster te laat', 'Rooster een week vooruit', 'hanna']) expect(line).toContain(cell);
    const year = dossier.receivedAt.slice(0, 4);
    const report = (await (await staff(`/api/admin/reports/${year}?procedure=studijob`)).json()) as Analysis;
    expect(report.complaints).toBeGreaterThanOrEqual(2);
    expect(report.causes).toContainEqual({ reference: first, procedure: 'studijob', cause: 'Rooster te laat', measures: 'Rooster een week vooruit' });
    expect(report.byComplainantType.uitzendkracht).toBeGreaterThanOrEqual(1);
    expect(report.leadTimes.receiptToPosition.count).toBeGreaterThanOrEqual(1);
    expect(queries.count()).toBe(0);
  });

  it('answers 503 for the operator, not a 500, when this process lacks the key the memos are encrypted with', async () => {
    const stranger = new Client({ connection: stack.env.connection, namespace: 'default', dataConverter: dataConverter(keyRing([newCodecKey()])) });
    const api = await startTestApi(stranger);
    try {
      await call('POST', url('/api/complaints'), { body: { procedure: 'babbage', complainant: { name: 'K', email: 'k@example.nl' }, description: 'Sleutel' } });
      const response = await call('GET', `${api.url}/api/admin/complaints`, { token: staffTokens.mira });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('300');
      expect(((await response.json()) as { detail: string }).detail).toMatch(/not in this process's key ring; give every process the whole key ring$/);
    } finally {
      await api.stop();
    }
  });
});
