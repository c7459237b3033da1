import { temporal } from '@temporalio/proto';
import { encryptedEncoding } from '../../codec/encryption';
import type { Dossier } from '../../domain/dossier';
import { taskQueue } from '../../domain/messages';
import { workflowIdFor } from '../../domain/reference';
import { call } from '../support/api';
import { clusterStaff, startTestCluster, type TestCluster } from '../support/cluster';
import { MailSink } from '../support/mail-sink';
import { payloadsIn, metadataText } from '../support/payloads';
import { freePorts } from '../support/ports';
import type { Service } from '../support/processes';

// The production shape (issue 18): PostgreSQL 15 and the Temporal server with 4 history shards,
// two worker processes and two API processes, the requests spread over both APIs as a load
// balancer would. Every seed procedure's main path over HTTP, then the register and the report.

type Api = Service & { url: string };
const year = new Date().getUTCFullYear();

const complainant = (name: string, email: string, extra: Record<string, unknown> = {}) => ({ name, email, ...extra });
/** Each seed's complaint as its form asks for it. */
const complaints: Record<string, Record<string, unknown>> = {
  gooiconsult: { complainant: complainant('Greet Gooi', 'greet@example.nl', { address: { street: 'Brink 3', postalCode: '1211 AA', city: 'Hilversum' } }), description: 'Het advies kwam te laat.' },
  babbage: { complainant: complainant('Bram Babbage', 'bram@example.nl'), description: 'De cursus werd verplaatst zonder bericht.' },
  klassewerk: { complainant: complainant('Kim Klas', 'kim@example.nl', { phone: '06 12345678' }), description: 'De training begon een uur te laat.' },
  studijob: { complainant: complainant('Sam Studie', 'sam@example.nl', { type: 'uitzendkracht' }), description: 'Mijn uren zijn niet uitbetaald.' },
  thuiswerkdesk: { complainant: { email: 'tess@example.nl' }, description: 'Mijn account is geblokkeerd.', category: 'account', whatHappened: 'Ik kon niet meer inloggen.', expected: 'Dat mijn account weer werkt.', occurredOn: `${year}-01-05` },
};

describe('the production shape: a Temporal cluster on PostgreSQL, two workers and two APIs', () => {
  let sink: MailSink;
  let tc: TestCluster;
  let workers: Service[];
  let apis: Api[];
  const filed = new Map<string, { reference: string; token: string }>();

  beforeAll(async () => {
    sink = await MailSink.start();
    // The Temporal UI too, decoding through the first API's codec endpoint, as docker-compose.yml has it.
    const [firstApiPort] = await freePorts(1);
    tc = await startTestCluster('production', sink.url, { ui: { codecEndpoint: `http://127.0.0.1:${firstApiPort}/codec` } });
    workers = await Promise.all([tc.startWorker(), tc.startWorker()]);
    apis = await Promise.all([tc.startApi({ PORT: String(firstApiPort), KLACHTFLOW_CODEC_CORS_ORIGIN: tc.cluster.uiUrl }), tc.startApi()]);
  }, 180_000);
  afterAll(async () => {
    await tc?.stop();
    await sink?.stop();
  }, 60_000);

  /** Every request goes to the next API in turn, as a round-robin load balancer sends them. */
  let turn = 0;
  const next = () => apis[turn++ % apis.length]!;
  const staff = (path: string, body: unknown, token = clusterStaff.hanna) => call('POST', `${next().url}/api/admin/complaints/${path}`, { token, body });
  const expectOk = async (response: Response, status = 200) => {
    if (response.status !== status) throw new Error(`${response.url}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Dossier;
  };

  it.each(Object.keys(complaints))('%s: filed, taken up, answered and closed on "satisfied", over HTTP through both APIs', async (procedure) => {
    const created = (await expectOk(await call('POST', `${next().url}/api/complaints`, { body: { procedure, ...complaints[procedure] } }), 201)) as unknown as { reference: string; dossierUrl: string };
    const reference = created.reference;
    const token = new URL(created.dossierUrl).searchParams.get('token')!;
    filed.set(procedure, { reference, token });
    await sink.waitFor((m) => m.subject === `Ontvangstbevestiging van uw klacht [${reference}]`);

    await expectOk(await staff(`${reference}/assign`, { handler: 'hanna' }, clusterStaff.mira));
    // The first contact by phone, where the procedure has one (SPEC: call back within its term).
    if (procedure === 'babbage' || procedure === 'klassewerk') await expectOk(await staff(`${reference}/log-contact`, { channel: 'phone', summary: 'Teruggebeld, toelichting gekregen' }));
    // StudiJob closes only once cause and measures are on record.
    if (procedure === 'studijob') {
      await expectOk(await staff(`${reference}/record-cause`, { cause: 'Planning niet doorgegeven', measures: 'Wekelijkse controle', communicatedHow: 'In het teamoverleg', communicatedOn: `${year}-01-12` }));
    }
    const positioned = await expectOk(await staff(`${reference}/send-position`, { text: 'Ons standpunt, met redenen.' }));
    expect(positioned.position).toBeDefined();
    await sink.waitFor((m) => (m.subject ?? '').includes(`[${reference}]`) && /standpunt/i.test(m.subject ?? ''));

    const answered = await expectOk(await call('POST', `${next().url}/api/complaints/${reference}/satisfaction`, { token, body: { satisfied: true } }));
    expect(answered).toMatchObject({ status: 'closed', outcome: 'satisfied' });
    const seen = await expectOk(await call('GET', `${next().url}/api/complaints/${reference}`, { token }));
    expect(seen.status).toBe('closed');
    await sink.waitFor((m) => m.subject === `Uw klacht [${reference}] is afgesloten`);
  }, 120_000);

  it('has both workers polling the task queue', async () => {
    const described = await tc.client.workflowService.describeTaskQueue({
      namespace: 'default',
      taskQueue: { name: taskQueue },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
    });
    const identities = new Set((described.pollers ?? []).map((p) => p.identity));
    expect(identities.size).toBeGreaterThanOrEqual(workers.length);
  });

  it('shows the complaints in the Temporal UI, their payloads encrypted, the codec endpoint set for staff', async () => {
    const ui = tc.cluster.uiUrl!;
    const settings = (await (await fetch(`${ui}/api/v1/settings`)).json()) as { Codec: { Endpoint: string; IncludeCredentials: boolean } };
    expect(settings.Codec).toMatchObject({ Endpoint: `${apis[0]!.url}/codec`, IncludeCredentials: true });
    const { reference } = filed.get('gooiconsult')!;
    const history = (await (await fetch(`${ui}/api/v1/namespaces/default/workflows/${encodeURIComponent(workflowIdFor(reference))}/history`)).json());
    const payloads = payloadsIn(history);
    expect(payloads.length).toBeGreaterThan(0);
    // Not one in the clear: each carries the codec's encoding, and no name or address shows.
    expect(payloads.map((p) => metadataText(p, 'encoding'))).toEqual(payloads.map(() => encryptedEncoding));
    expect(JSON.stringify(history)).not.toContain('Greet Gooi');
    // The codec answers the UI's origin (CORS) and wants a signed-in staff member.
    const preflight = await fetch(`${apis[0]!.url}/codec/decode`, { method: 'OPTIONS', headers: { origin: new URL(ui).origin, 'access-control-request-method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBe(new URL(ui).origin);
    expect((await fetch(`${apis[0]!.url}/codec/decode`, { method: 'POST', headers: { 'content-type': 'application/json', origin: new URL(ui).origin }, body: JSON.stringify({ payloads }) })).status).toBe(401);
  });

  it('lists every complaint in the register and counts it in the report, through either API', async () => {
    const references = [...filed.values()].map((f) => f.reference);
    expect(references).toHaveLength(5);
    // Visibility on PostgreSQL is written a moment after the workflow: waited for, bounded.
    let register = '';
    for (let i = 0; i < 50 && !references.every((r) => register.includes(r)); i++) {
      if (i) await new Promise((r) => setTimeout(r, 200));
      const response = await call('GET', `${next().url}/api/admin/complaints.csv`, { token: clusterStaff.mira });
      expect(response.status).toBe(200);
      register = await response.text();
    }
    for (const reference of references) expect(register.split('\r\n').find((line) => line.startsWith(reference))).toContain(';closed;');
    for (const api of apis) {
      const report = (await (await call('GET', `${api.url}/api/admin/reports/${year}`, { token: clusterStaff.mira })).json()) as Record<string, unknown>;
      expect(report.complaints).toBe(5);
    }
  });
});
