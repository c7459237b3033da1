import { spawn } from 'node:child_process';
import { accessSync, constants, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { call } from '../support/api';
import { clusterStaff, startTestCluster, type TestCluster } from '../support/cluster';
import { FormBrowser } from '../support/form-browser';
import { MailSink } from '../support/mail-sink';

/** Schemathesis from SCHEMATHESIS_PATH (`.ci/run` installs the pinned release from PyPI), else on PATH. */
function schemathesis(): string {
  const path = process.env.SCHEMATHESIS_PATH;
  if (path) {
    accessSync(path, constants.X_OK);
    return path;
  }
  return 'schemathesis';
}

/** Runs schemathesis (bounded) and answers its exit code, the cases it sent and its summary. */
async function fuzz(args: string[], boundMs: number): Promise<{ code: number; cases: number; summary: string; text: string }> {
  const output: string[] = [];
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(schemathesis(), [
      'run', ...args,
      '--seed', '20261124',
      // No example database in the working tree: every run starts from the seed alone.
      '--generation-database', 'none',
      // One worker: Hypothesis in several threads trips over CPython 3.11's ast.parse.
      '--workers', '1',
      '--request-timeout', '20',
      '--no-color',
    ], {
      env: { ...process.env, SCHEMATHESIS_HOOKS: 'problem_json', PYTHONPATH: join(__dirname, '..', 'fuzz') },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: boundMs,
    });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('error', reject);
    child.on('close', (exit) => resolve(exit ?? 1));
  });
  const text = output.join('');
  const cases = Number(/(\d+) generated/.exec(text)?.[1] ?? 0);
  const summary = text.split('\n').filter((line) => /^\s+(✅|❌|⏭)\s+\d+ (passed|failed|skipped)/.test(line) || /Operations:|Seed:/.test(line)).join('\n');
  return { code, cases, summary, text };
}

interface HarvestedForm {
  method: 'get' | 'post';
  path: string;
  query: Record<string, string>;
  fields: Map<string, Set<string>>;
}

/** Every form on a page: where it goes, and its fields with the values the page gave them. */
function formsOf(html: string): HarvestedForm[] {
  const forms: HarvestedForm[] = [];
  for (const [, tag, inner] of html.matchAll(/<form([^>]*)>([\s\S]*?)<\/form>/g)) {
    const method = /method="(get|post)"/.exec(tag!)?.[1] as 'get' | 'post' | undefined;
    const action = /action="([^"]+)"/.exec(tag!)?.[1];
    if (!method || !action) continue;
    const url = new URL(action.replace(/&amp;/g, '&'), 'http://x');
    const fields = new Map<string, Set<string>>();
    for (const [element] of inner!.matchAll(/<(?:input|select|textarea)[^>]*>/g)) {
      const name = /\sname="([^"]+)"/.exec(element)?.[1];
      if (!name) continue;
      const value = /\svalue="([^"]*)"/.exec(element)?.[1];
      const values = fields.get(name) ?? new Set<string>();
      if (value !== undefined) values.add(value);
      fields.set(name, values);
    }
    forms.push({ method, path: url.pathname, query: Object.fromEntries(url.searchParams), fields });
  }
  return forms;
}

/**
 * An OpenAPI document of the back office's pages and forms, as the pages themselves offer them
 * (no Swagger for HTML forms exists): each form's fields as free text, the session's CSRF token
 * in `_csrf`, a complaint's reference among the real ones. Signing out and in are left out: the
 * fuzzer keeps its session.
 */
function backofficeSpec(forms: HarvestedForm[], references: string[], csrf: string): { openapi: string; info: object; paths: Record<string, Record<string, unknown>> } {
  const paths: Record<string, Record<string, unknown>> = {};
  const referenceParam = { name: 'reference', in: 'path', required: true, schema: { type: 'string', enum: references } };
  const template = (path: string) => path.replace(/\/beheer\/klachten\/KL-\d{4}-[0-9A-Z]{6}/, '/beheer/klachten/{reference}');
  const merged = new Map<string, HarvestedForm>();
  for (const form of forms) {
    if (/^\/beheer\/(uitloggen|inloggen)/.test(form.path)) continue;
    const key = `${form.method} ${template(form.path)}`;
    const known = merged.get(key);
    if (!known) merged.set(key, { ...form, path: template(form.path), fields: new Map(form.fields) });
    else for (const [name, values] of form.fields) known.fields.set(name, new Set([...(known.fields.get(name) ?? []), ...values]));
  }
  const textField = { type: 'string', maxLength: 4000 };
  for (const form of merged.values()) {
    const operation: Record<string, unknown> = {
      responses: { '200': { description: 'a page' }, '303': { description: 'done: to the dossier' } },
      parameters: [
        ...(form.path.includes('{reference}') ? [referenceParam] : []),
        ...Object.keys(form.query).filter((name) => name !== 'lang').map((name) => ({ name, in: 'query', required: false, schema: textField })),
        ...(form.method === 'get' ? [...form.fields.keys()].map((name) => ({ name, in: 'query', required: false, schema: textField })) : []),
      ],
    };
    if (form.method === 'post') {
      const properties: Record<string, unknown> = { _csrf: { type: 'string', enum: [csrf] } };
      for (const name of form.fields.keys()) if (name !== '_csrf') properties[name] = textField;
      operation.requestBody = { required: true, content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', properties, required: ['_csrf'] } } } };
    }
    paths[form.path] = { ...paths[form.path], [form.method]: operation };
  }
  // The pages themselves, read with every reference.
  for (const page of ['/beheer', '/beheer/klachten/{reference}', '/beheer/klachten/{reference}/inzage']) {
    paths[page] ??= {};
    paths[page].get ??= { parameters: page.includes('{reference}') ? [referenceParam] : [], responses: { '200': { description: 'a page' } } };
  }
  return { openapi: '3.0.3', info: { title: 'klachtflow back office (forms, as its pages offer them)', version: '1' }, paths };
}

// The whole API fuzzed from its own OpenAPI document, positive and negative inputs, with a
// manager's token: no answer may be a 5xx, and every error must be problem+json. Then the back
// office's forms, with a signed-in manager's session: no answer may be a 5xx. Against the
// production shape: the Temporal cluster on PostgreSQL, a worker and an API as processes.
describe('the API and the back-office forms fuzzed with schemathesis, against a Temporal cluster', () => {
  let sink: MailSink;
  let tc: TestCluster;
  let apiUrl: string;
  const sent: number[] = [];
  /** Per operation; the back office's fewer operations get twice as many. */
  const examples = Number(process.env.KLACHTFLOW_FUZZ_EXAMPLES ?? 25);

  beforeAll(async () => {
    sink = await MailSink.start();
    tc = await startTestCluster('fuzz', sink.url);
    // Every failed guess of the fuzzer counts against its address; here it may guess on.
    const [, api] = await Promise.all([tc.startWorker(), tc.startApi({ KLACHTFLOW_AUTH_FAILURE_LIMIT: '1000000', KLACHTFLOW_INTAKE_RATE_LIMIT: '1000000' })]);
    apiUrl = api.url;
  }, 180_000);
  afterAll(async () => {
    await tc?.stop();
    await sink?.stop();
    console.log(`schemathesis against the cluster: ${sent.reduce((a, b) => a + b, 0)} test cases in all (${sent.join(' + ')})`);
  }, 60_000);

  // Some 3,500 requests over 41 operations, then some 2,000 over the back office's 18: about
  // 4 minutes in all on 2 cores beside the cluster's fault suite; each run bounded.
  it('the JSON API: no 5xx and no error outside problem+json', async () => {
    const run = await fuzz([`${apiUrl}/openapi.json`, '--checks', 'not_a_server_error,problem_json', '--max-examples', String(examples), '--header', `Authorization: Bearer ${clusterStaff.mira}`], 420_000);
    sent.push(run.cases);
    console.log(`schemathesis, JSON API: exit ${run.code}, ${run.cases} test cases generated and sent\n${run.summary}`);
    if (run.code !== 0) console.log(run.text.slice(-6000));
    expect(run.code).toBe(0);
  }, 440_000);

  it('the back-office forms and pages, signed in: no 5xx', async () => {
    // Complaints of every seed, one of them taken as far as a position, for forms of more than one state.
    const references: string[] = [];
    for (const body of [
      { procedure: 'gooiconsult', complainant: { name: 'Greet Gooi', email: 'greet@example.nl', address: { street: 'Brink 3', postalCode: '1211 AA', city: 'Hilversum' } }, description: 'Het advies kwam te laat.' },
      { procedure: 'klassewerk', complainant: { name: 'Kim Klas', email: 'kim@example.nl', phone: '06 12345678' }, description: 'De training begon te laat.' },
      { procedure: 'studijob', complainant: { name: 'Sam Studie', email: 'sam@example.nl', type: 'uitzendkracht' }, description: 'Uren niet uitbetaald.' },
      { procedure: 'babbage', complainant: { name: 'Bram Babbage', email: 'bram@example.nl' }, description: 'Cursus verplaatst.' },
    ]) {
      const response = await call('POST', `${apiUrl}/api/complaints`, { body });
      expect(response.status).toBe(201);
      references.push(((await response.json()) as { reference: string }).reference);
    }
    const positioned = await call('POST', `${apiUrl}/api/admin/complaints/${references[0]}/send-position`, { token: clusterStaff.mira, body: { text: 'Ons standpunt.' } });
    expect(positioned.status).toBe(200);

    const browser = new FormBrowser(() => apiUrl);
    await browser.signIn(sink, 'mira@staff.test');
    const pages = ['/beheer', '/beheer/klachten', '/beheer/rapportages', ...['gooiconsult', 'klassewerk', 'studijob', 'babbage', 'thuiswerkdesk'].map((p) => `/beheer/klachten/nieuw?procedure=${p}`), ...references.map((r) => `/beheer/klachten/${r}`)];
    const forms: HarvestedForm[] = [];
    let csrf = '';
    for (const page of pages) {
      const { status, html } = await browser.request('GET', page);
      expect(status).toBe(200);
      forms.push(...formsOf(html));
      csrf ||= FormBrowser.csrf(html);
    }
    const spec = backofficeSpec(forms, references, csrf);
    const operations = Object.values(spec.paths).reduce((n, p) => n + Object.keys(p).length, 0);
    const file = join(tc.dir, 'backoffice-openapi.json');
    writeFileSync(file, JSON.stringify(spec, null, 2));
    const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const run = await fuzz([file, '--url', apiUrl, '--checks', 'not_a_server_error', '--max-examples', String(2 * examples), '--header', `Cookie: ${cookie}`], 420_000);
    sent.push(run.cases);
    console.log(`schemathesis, back office: exit ${run.code}, ${run.cases} test cases over ${operations} operations generated and sent\n${run.summary}`);
    if (run.code !== 0) console.log(run.text.slice(-6000));
    expect(operations).toBeGreaterThanOrEqual(15);
    expect(run.code).toBe(0);
    // Still signed in at the end: the cases above were the back office's, not the sign-in page's.
    expect((await browser.request('GET', '/beheer')).status).toBe(200);
  }, 440_000);

  it('sent at least 5,000 requests in all', () => {
    expect(sent.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5000);
  });
});
