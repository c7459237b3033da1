import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { requireLocalBinary, temporalCli } from '../../config/binaries';
import { sha256Hex } from '../../config/secrets';
import { registerSearchAttributes } from '../../config/temporal';
import { type EmbeddedTemporal, startEmbeddedTemporal } from '../../dev/temporal-server';
import type { Dossier } from '../../domain/dossier';
import { workflowIdFor } from '../../domain/reference';
import { call } from '../support/api';
import { MailSink } from '../support/mail-sink';
import { metadataText, payloadsIn } from '../support/payloads';
import { freePorts } from '../support/ports';
import { type Service, startService } from '../support/processes';
import { testClientOptions, testCodecKeysEnv } from '../support/temporal';

// SPEC §5, "nothing personal in clear in Temporal at all": a complaint whose name, e-mail and
// text carry a unique marker goes through position and appeal, with the dev server on its
// database file and the worker and API as processes logging at debug; then the marker is looked
// for everywhere an operator or an attacker with the disk could look.
const run = promisify(execFile);
const staffToken = 'confidential-staff-token-0123456789abcdef';

describe('confidential by construction', () => {
  const marker = `Mrk${randomBytes(6).toString('hex')}`;
  const email = `${marker.toLowerCase()}@example.nl`;
  let dataDir: string;
  let temporal: EmbeddedTemporal;
  let sink: MailSink;
  let worker: Service;
  let api: Service;
  let apiUrl: string;
  let uiOrigin: string;
  let client: Client;
  let reference: string;
  let linkToken: string;
  const executable = requireLocalBinary(temporalCli);
  const cli = (...args: string[]) => run(executable.type === 'existing-path' ? executable.path : 'temporal', [...args, '--address', temporal.address, '--namespace', 'default'], { maxBuffer: 64 * 1024 * 1024 });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'klachtflow-confidential-'));
    const [temporalPort, uiPort, apiPort] = await freePorts(3);
    apiUrl = `http://127.0.0.1:${apiPort}`;
    uiOrigin = `http://localhost:${uiPort}`;
    [temporal, sink] = await Promise.all([
      startEmbeddedTemporal({ dataDir, port: temporalPort!, uiPort: uiPort!, namespace: 'default', uiCodecEndpoint: `${apiUrl}/codec` }),
      MailSink.start(),
    ]);
    client = new Client({ connection: await Connection.connect({ address: temporal.address }), namespace: 'default', ...testClientOptions });
    await registerSearchAttributes(client);
    const staffFile = join(dataDir, 'staff.yaml');
    writeFileSync(staffFile, `- { id: mira, name: Mira, email: mira@staff.test, roles: [manager, handler, director], tokenSha256: ${sha256Hex(staffToken)} }\n`);
    const env = {
      ...process.env,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: 'default',
      SMTP_URL: sink.url,
      LINK_SECRET: 'confidential-link-secret-0123456789abcdefghij',
      KLACHTFLOW_CODEC_KEYS: testCodecKeysEnv,
      KLACHTFLOW_CODEC_CORS_ORIGIN: uiOrigin,
      KLACHTFLOW_DATA_DIR: dataDir,
      KLACHTFLOW_STAFF_FILE: staffFile,
      KLACHTFLOW_WORKFLOW_BUNDLE: process.env.KLACHTFLOW_TEST_WORKFLOW_BUNDLE,
      PORT: String(apiPort),
      PUBLIC_BASE_URL: apiUrl,
      LOG_LEVEL: 'debug',
    };
    [worker, api] = await Promise.all([
      startService('worker/main.ts', env, { ready: 'worker started' }),
      startService('api/main.ts', env, { ready: 'api listening' }),
    ]);

    // Filed, answered, not satisfied, appealed to the director, decided.
    const filed = await call('POST', `${apiUrl}/api/complaints`, {
      body: { procedure: 'klassewerk', complainant: { name: `Anna ${marker}`, email, phone: '06 12345678' }, description: `De training ging niet door. ${marker} vertrouwelijk.` },
    });
    expect(filed.status).toBe(201);
    const created = (await filed.json()) as { reference: string; dossierUrl: string };
    reference = created.reference;
    const token = (linkToken = new URL(created.dossierUrl).searchParams.get('token')!);
    const staff = (path: string, body: unknown) => call('POST', `${apiUrl}/api/admin/complaints/${reference}/${path}`, { token: staffToken, body });
    const complainant = (path: string, body: unknown) => call('POST', `${apiUrl}/api/complaints/${reference}/${path}`, { token, body });
    for (const step of [
      () => staff('assign', { handler: 'mira' }),
      () => staff('log-contact', { channel: 'phone', summary: `Gebeld met Anna ${marker}` }),
      () => staff('send-position', { text: `Ons standpunt voor ${marker}.` }),
      () => complainant('satisfaction', { satisfied: false, comment: `Niet tevreden, ${marker}` }),
      () => complainant('appeal', { grounds: `Mijn bezwaar: ${marker}` }),
      () => staff('decide-appeal', { level: 1, decision: 'rejected', text: `Besluit over ${marker}`, hearingSkipped: 'afgezien door klager' }),
    ]) {
      const response = await step();
      expect([200, 202]).toContain(response.status);
    }
    await sink.waitFor((m) => (m.subject ?? '').includes(reference) && (m.text ?? '').includes('Besluit over'));
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await worker?.stop();
    await client?.connection.close();
    await Promise.all([temporal?.stop(), sink?.stop()]);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('still shows the marker to staff in the API, to the complainant on their page, and in the register CSV', async () => {
    const dossier = (await (await call('GET', `${apiUrl}/api/admin/complaints/${reference}`, { token: staffToken })).json()) as Dossier;
    expect(dossier.complaint.complainant.name).toBe(`Anna ${marker}`);
    expect(dossier.appeals[0]?.decision?.text).toBe(`Besluit over ${marker}`);
    const csv = await (await call('GET', `${apiUrl}/api/admin/complaints.csv`, { token: staffToken })).text();
    expect(csv).toContain(`Anna ${marker}`);
    const page = await (await fetch(`${apiUrl}/dossier/${reference}?token=${linkToken}`)).text();
    expect(page).toContain(`Ons standpunt voor ${marker}.`);
  });

  it('finds the marker nowhere in the raw history, the description, the list, the database file or the logs', async () => {
    const workflowId = workflowIdFor(reference);
    const history = (await cli('workflow', 'show', '--workflow-id', workflowId, '--output', 'json')).stdout;
    const describe = (await cli('workflow', 'describe', '--workflow-id', workflowId, '--output', 'json')).stdout;
    const list = (await cli('workflow', 'list', '--query', `WorkflowId = '${workflowId}'`, '--output', 'json')).stdout;
    const payloads = payloadsIn(JSON.parse(history));
    expect(payloads.length).toBeGreaterThan(20);
    // Every payload is ciphertext: no marker inside it either, however it were decoded.
    expect(payloads.filter((p) => metadataText(p, 'encoding') !== 'binary/encrypted')).toEqual([]);
    const decoded = payloads.map((p) => Buffer.from(String(p.data ?? ''), 'base64').toString('latin1')).join('\n');
    const database = readdirSync(dataDir).filter((f) => f.startsWith('temporal.db')).map((f) => readFileSync(join(dataDir, f)).toString('latin1'));
    // The search reads the real data: the reference (not personal) is there in the clear.
    expect(database.join('')).toContain(reference);
    const places = {
      'workflow show': history,
      'payloads, base64-decoded': decoded,
      'workflow describe': describe,
      'workflow list': list,
      'the database file': database.join('\n'),
      'the dev server log': readFileSync(join(dataDir, 'temporal.log'), 'latin1'),
      'the worker log': worker.lines.join('\n') + worker.stderr(),
      'the API log': api.lines.join('\n') + api.stderr(),
    };
    expect(api.lines.length).toBeGreaterThan(5);
    for (const [place, text] of Object.entries(places)) {
      for (const secret of [marker, marker.toLowerCase(), email, '06 12345678']) expect({ place, found: text.includes(secret) }).toEqual({ place, found: false });
    }
  });

  it('decodes for the Temporal CLI with a staff token through the codec endpoint, and refuses without one', async () => {
    const workflowId = workflowIdFor(reference);
    const decoded = (await cli('workflow', 'show', '--workflow-id', workflowId, '--output', 'json', '--codec-endpoint', `${apiUrl}/codec`, '--codec-auth', `Bearer ${staffToken}`)).stdout;
    const plain = payloadsIn(JSON.parse(decoded)).filter((p) => metadataText(p, 'encoding') === 'json/plain');
    expect(plain.length).toBeGreaterThan(20);
    expect(plain.map((p) => Buffer.from(String(p.data ?? ''), 'base64').toString()).join('\n')).toContain(`Anna ${marker}`);
    // Who decoded what is on record: the staff id and a count, never the payloads.
    expect(api.lines.some((line) => line.includes('"codec":"decode"') && line.includes('"staff":"mira"'))).toBe(true);
    // Without a token the endpoint answers 401, and the CLI gives up (it reports its deadline).
    await expect(cli('workflow', 'show', '--workflow-id', workflowId, '--output', 'json', '--codec-endpoint', `${apiUrl}/codec`, '--command-timeout', '3s')).rejects.toThrow();
    expect(api.lines.some((line) => line.includes('/codec/decode') && line.includes('"statusCode":401'))).toBe(true);
  });

  it("answers the Temporal UI's own requests: a CORS preflight from the UI's origin, then POST decode with X-Namespace", async () => {
    const preflight = await fetch(`${apiUrl}/codec/decode`, {
      method: 'OPTIONS',
      headers: { Origin: uiOrigin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-namespace,authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(uiOrigin);
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-namespace');
    const elsewhere = await fetch(`${apiUrl}/codec/decode`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' } });
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();

    const { history } = await client.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: workflowIdFor(reference) } });
    const input = history!.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    const body = { payloads: [{ metadata: Object.fromEntries(Object.entries(input.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')])), data: Buffer.from(input.data!).toString('base64') }] };
    const decode = (headers: Record<string, string>) =>
      fetch(`${apiUrl}/codec/decode`, { method: 'POST', headers: { Origin: uiOrigin, 'Content-Type': 'application/json', 'X-Namespace': 'default', ...headers }, body: JSON.stringify(body) });
    const answered = await decode({ Authorization: `Bearer ${staffToken}` });
    expect(answered.status).toBe(200);
    expect(answered.headers.get('access-control-allow-origin')).toBe(uiOrigin);
    const [plain] = ((await answered.json()) as { payloads: { metadata: Record<string, string>; data: string }[] }).payloads;
    expect(Buffer.from(plain!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
    expect(Buffer.from(plain!.data, 'base64').toString()).toContain(`Anna ${marker}`);

    const refused = await decode({});
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await decode({ Authorization: 'Bearer not-a-staff-token-at-all-0123456789' })).status).toBe(401);
    expect((await decode({ Authorization: `Bearer ${staffToken}`, 'X-Namespace': 'elsewhere' })).status).toBe(403);
  });
});
