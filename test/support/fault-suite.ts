import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { sha256Hex } from '../../config/secrets';
import { registerSearchAttributes } from '../../config/temporal';
import type { Dossier } from '../../domain/dossier';
import { MailSink } from './mail-sink';
import { freePorts } from './ports';
import { type Service, startService } from './processes';
import { testClientOptions, testCodecKeysEnv } from './temporal';

// What an operator meets at 3 a.m., with every part a process of its own: Temporal (the dev server
// on its database file, or a cluster on PostgreSQL), a real SMTP sink, the workers and the APIs.
// Each fault is bounded in count and time, and prints its figures: answered, lost, doubled by
// Message-ID, slowest answer, answers while down. The same suite runs against either Temporal
// (test/faults, test/cluster); a cluster's own faults are added by its file.

/** Temporal as the suite breaks it: started on a directory, SIGKILLed, started again on the same state. */
export interface FaultBackend {
  /** What it is, in the figures: "dev server", "Temporal server". */
  name: string;
  start(dir: string): Promise<string>;
  kill(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface FaultSuiteOptions {
  /** Intakes in flight while a worker is SIGKILLed, and how many at once. */
  intakes: number;
  lanes: number;
  /** Worker and API processes: with two workers, one is killed and the other carries on. */
  workers: 1 | 2;
  apis: 1 | 2;
}

export interface Answer {
  status: number;
  ms: number;
  body: Record<string, unknown>;
  retryAfter: string | null;
  /** Times a 503 was answered first, and the call made again after its Retry-After. */
  retried: number;
}

/** What a file's own faults get from the suite. */
export interface FaultContext {
  readonly sink: MailSink;
  readonly backend: FaultBackend;
  readonly figures: string[];
  request: (method: 'GET' | 'POST', path: string, body?: unknown, key?: string) => Promise<Answer>;
  file: (tag: string, i: number) => Promise<Answer>;
  act: (reference: string, action: string, body: unknown, key: string) => Promise<Answer>;
  retries: (answers: Answer[]) => number;
  inLanes: <T>(count: number, lanes: number, call: (i: number) => Promise<T>) => Promise<T[]>;
  receiptOf: (reference: string) => string;
  waitForMail: (messageIds: string[], timeoutMs: number) => Promise<string[]>;
  doubles: (messageIds: string[]) => number[];
  doubled: (messageIds: string[]) => string;
  slowest: (answers: Answer[]) => number;
}

const staffToken = 'fault-suite-staff-token-0123456789abcdef';
const linkSecret = 'fault-suite-link-secret-0123456789abcdefghij';

export function describeFaults(backend: FaultBackend, options: FaultSuiteOptions, more?: (ctx: FaultContext) => void): void {
  const figures: string[] = [];
  /** Every answer the APIs gave in this suite, by status. */
  const statuses = new Map<number, number>();
  let dataDir: string;
  let sink: MailSink;
  let workers: Service[] = [];
  const apis: Service[] = [];
  let apiUrls: string[] = [];
  let client: Client;
  let env: NodeJS.ProcessEnv;
  const startWorker = () => startService('worker/main.ts', env, { ready: 'worker started' });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'klachtflow-faults-'));
    // A cluster's PostgreSQL runs as its own user where we are root: it must pass through here.
    chmodSync(dataDir, 0o755);
    const apiPorts = await freePorts(options.apis);
    let address: string;
    [address, sink] = await Promise.all([backend.start(join(dataDir, 'temporal')), MailSink.start()]);
    client = new Client({ connection: await Connection.connect({ address }), namespace: 'default', ...testClientOptions });
    await registerSearchAttributes(client);
    const staffFile = join(dataDir, 'staff.yaml');
    writeFileSync(staffFile, `- { id: mira, name: Mira, email: mira@staff.test, roles: [manager, handler], tokenSha256: ${sha256Hex(staffToken)} }\n`);
    apiUrls = apiPorts.map((port) => `http://127.0.0.1:${port}`);
    env = {
      ...process.env,
      TEMPORAL_ADDRESS: address,
      TEMPORAL_NAMESPACE: 'default',
      SMTP_URL: sink.url,
      MAIL_FROM: 'Klachten <klachten@faults.test>',
      LINK_SECRET: linkSecret,
      KLACHTFLOW_CODEC_KEYS: testCodecKeysEnv,
      KLACHTFLOW_DATA_DIR: dataDir,
      KLACHTFLOW_STAFF_FILE: staffFile,
      KLACHTFLOW_WORKFLOW_BUNDLE: process.env.KLACHTFLOW_TEST_WORKFLOW_BUNDLE,
      KLACHTFLOW_INTAKE_RATE_LIMIT: '100000',
      PUBLIC_BASE_URL: apiUrls[0],
      LOG_LEVEL: 'info',
    };
    // Each process kept as soon as it runs: one that fails to start must not leave the others running.
    await Promise.all([
      ...Array.from({ length: options.workers }, async () => void workers.push(await startWorker())),
      ...apiPorts.map(async (port) => void apis.push(await startService('api/main.ts', { ...env, PORT: String(port) }, { ready: 'api listening' }))),
    ]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(apis.map((api) => api.stop()));
    await Promise.all(workers.map((worker) => worker.stop()));
    await client?.connection.close();
    await backend.stop();
    await sink?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    console.log(`faults, ${backend.name}:\n${figures.map((f) => `  ${f}`).join('\n')}`);
  }, 60_000);

  /** Requests go to the APIs in turn, as a round-robin load balancer sends them. */
  let turn = 0;
  async function once(method: 'GET' | 'POST', path: string, body?: unknown, key?: string): Promise<Omit<Answer, 'retried'>> {
    const started = performance.now();
    const response = await fetch(`${apiUrls[turn++ % apiUrls.length]}${path}`, {
      method,
      headers: { authorization: `Bearer ${staffToken}`, ...(body ? { 'content-type': 'application/json' } : {}), ...(key ? { 'idempotency-key': key } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(30_000),
    });
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    const text = await response.text();
    const parsed = (text.startsWith('{') ? JSON.parse(text) : { text }) as Record<string, unknown>;
    return { status: response.status, ms: performance.now() - started, body: parsed, retryAfter: response.headers.get('retry-after') };
  }
  const request = async (method: 'GET' | 'POST', path: string, body?: unknown, key?: string): Promise<Answer> => ({ ...(await once(method, path, body, key)), retried: 0 });
  const complaint = (tag: string, i: number) => ({
    procedure: 'gooiconsult',
    complainant: { name: `Klager ${i}`, email: `${tag}-${i}@example.nl`, address: { street: 'Brink 3', postalCode: '1211 AA', city: 'Hilversum' } },
    description: `Klacht ${tag} ${i}`,
  });
  /**
   * A call as a well-behaved client makes it: a 503 is asked again after its Retry-After, with the
   * same Idempotency-Key (three times at most); the answer's time is the whole wait.
   */
  async function patiently(method: 'GET' | 'POST', path: string, body: unknown, key: string): Promise<Answer> {
    const started = performance.now();
    let retried = 0;
    for (;;) {
      const answer = await once(method, path, body, key);
      if (answer.status !== 503 || retried === 3) return { ...answer, ms: performance.now() - started, retried };
      retried++;
      await new Promise((r) => setTimeout(r, Number(answer.retryAfter ?? 1) * 1000));
    }
  }
  const file = (tag: string, i: number) => patiently('POST', '/api/complaints', complaint(tag, i), `${tag}-intake-${i}-0123456789`);
  /** A staff action, made patiently (as above). */
  const act = (reference: string, action: string, body: unknown, key: string) => patiently('POST', `/api/admin/complaints/${reference}/${action}`, body, key);
  /** Runs `count` calls, `lanes` at a time. */
  async function inLanes<T>(count: number, lanes: number, call: (i: number) => Promise<T>): Promise<T[]> {
    const results: T[] = [];
    let next = 0;
    await Promise.all(Array.from({ length: lanes }, async () => {
      for (let i = next++; i < count; i = next++) results[i] = await call(i);
    }));
    return results;
  }
  const receiptOf = (reference: string) => `<${reference}.receipt@faults.test>`;
  /** Waits (bounded) until every Message-ID has arrived; answers those still missing. */
  async function waitForMail(messageIds: string[], timeoutMs: number): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    let missing = messageIds;
    while (missing.length && Date.now() < deadline) {
      const seen = new Set(sink.messages.map((m) => m.messageId));
      missing = missing.filter((id) => !seen.has(id));
      if (missing.length) await new Promise((r) => setTimeout(r, 250));
    }
    return missing;
  }
  /** How many of these e-mails arrived more than once, and how far apart (seconds) the copies came. */
  const doubles = (messageIds: string[]): number[] => {
    const wanted = new Set(messageIds);
    const arrivals = new Map<string, number[]>();
    for (const m of sink.messages) if (m.messageId && wanted.has(m.messageId)) arrivals.set(m.messageId, [...(arrivals.get(m.messageId) ?? []), m.arrivedAt]);
    return [...arrivals.values()].filter((at) => at.length > 1).map((at) => Math.round((Math.max(...at) - Math.min(...at)) / 100) / 10);
  };
  const doubled = (messageIds: string[]) => {
    const gaps = doubles(messageIds);
    return gaps.length ? `${gaps.length} doubled (${gaps.join(' s, ')} s apart)` : '0 doubled';
  };
  const slowest = (answers: Answer[]) => Math.round(Math.max(...answers.map((a) => a.ms)));
  const median = (answers: Answer[]) => Math.round(answers.map((a) => a.ms).sort((a, b) => a - b)[Math.floor(answers.length / 2)]!);
  const retries = (answers: Answer[]) => answers.reduce((n, a) => n + a.retried, 0);

  const { intakes, lanes } = options;
  const killTitle = options.workers === 2
    ? `one of two workers SIGKILLed during ${intakes} intakes (${lanes} in flight): the other carries on; every complaint stored, every receipt delivered`
    : `the worker SIGKILLed during ${intakes} in-flight intakes: every complaint stored, every receipt delivered`;
  it(killTitle, async () => {
    let killed: Promise<void> | undefined;
    /** The worker's SMTP connections open at the kill: only their e-mails can have reached the relay unbeknown to Temporal. */
    let inFlight = 0;
    /** Where the run stood at the kill: intakes answered, e-mails received. */
    let at = { answered: 0, mails: 0 };
    let answered = 0;
    const mailsBefore = sink.messages.length;
    const kill = () => {
      inFlight = sink.connections.open;
      at = { answered, mails: sink.messages.length - mailsBefore };
      // One worker: started again two seconds later, intake going on meanwhile (it needs no worker).
      // Two: the other carries the work alone, and the killed one comes back only after the test.
      killed = workers[0]!.stop('SIGKILL').then(async () => {
        if (options.workers === 1) {
          await new Promise((r) => setTimeout(r, 2000));
          workers[0] = await startWorker();
        }
      });
    };
    // All at once: killed when half of them are answered, the workers busy with the rest's first
    // tasks and e-mails; else when the intake at 30 % is sent.
    const busy = lanes >= intakes
      ? (async () => {
        for (let i = 0; i < 1200 && answered < intakes / 2; i++) await new Promise((r) => setTimeout(r, 20));
        kill();
      })()
      : undefined;
    const answers = await inLanes(intakes, lanes, async (i) => {
      if (!busy && i === Math.round(intakes * 0.3)) kill();
      const answer = await file('kill', i);
      answered++;
      return answer;
    });
    await busy;
    await killed;
    const references = answers.filter((a) => a.status === 201).map((a) => String(a.body.reference));
    const mails = references.flatMap((r) => [receiptOf(r), `<${r}.new-complaint@faults.test>`]);
    const missing = await waitForMail(mails, 180_000);
    // Retries of sends the relay had taken when the worker died, found in the ledger the workers share.
    const spared = workers.slice(options.workers === 2 ? 1 : 0).reduce((n, w) => n + w.stderr().split('e-mail sent by an earlier attempt').length - 1, 0);
    if (options.workers === 2) workers[0] = await startWorker();
    figures.push(
      `${options.workers === 2 ? 'one of two workers' : 'worker'} SIGKILL during ${intakes} intakes (${lanes} at once): ${references.length} answered 201 (${retries(answers)} after a 503 and its Retry-After), median ${median(answers)} ms, slowest ${slowest(answers)} ms; ${missing.length} e-mails lost, ${doubled(mails)} of ${mails.length} e-mails (killed with ${at.answered} intakes answered and ${at.mails} e-mails out, ${inFlight} SMTP connections open; ${spared} retries found their e-mail sent already)`,
    );
    expect(answers.filter((a) => a.status !== 201)).toEqual([]);
    expect(missing).toEqual([]);
    // At least once: only an e-mail the crash caught between the relay's 250 and the ledger can go twice,
    // so never more than the connections then open.
    expect(doubles(mails).length).toBeLessThanOrEqual(inFlight);
  }, 420_000);

  it('SMTP refusing connections for 60 s during intake and staff actions: every answer 2xx without waiting on the mail server, nothing lost', async () => {
    sink.pause();
    const outageStarted = Date.now();
    const filed = await inLanes(20, 4, (i) => file('outage', i));
    const references = filed.map((a) => String(a.body.reference));
    const actions = await inLanes(references.length, 4, async (i) => {
      const reference = references[i]!;
      const assigned = await request('POST', `/api/admin/complaints/${reference}/assign`, { handler: 'mira' }, `${reference}-assign-key`);
      const position = await request('POST', `/api/admin/complaints/${reference}/send-position`, { text: 'Ons standpunt, met redenen.' }, `${reference}-position-key`);
      return [assigned, position];
    });
    const answers = [...filed, ...actions.flat()];
    await new Promise((r) => setTimeout(r, Math.max(0, 60_000 - (Date.now() - outageStarted))));
    // Queued meanwhile, not lost: the dossier says so.
    const during = (await request('GET', `/api/admin/complaints/${references[0]}`)).body as unknown as Dossier;
    await sink.resume();
    const wanted = references.flatMap((r) => [receiptOf(r), `<${r}.position@faults.test>`]);
    const missing = await waitForMail(wanted, 150_000);
    figures.push(
      `SMTP refusing connections for 60 s: ${answers.length} intakes and actions, ${answers.filter((a) => a.status >= 200 && a.status < 300).length} answered 2xx, median ${median(answers)} ms, slowest ${slowest(answers)} ms (intake ${slowest(filed)} ms, assign ${slowest(actions.map(([a]) => a!))} ms, send-position ${slowest(actions.map(([, p]) => p!))} ms); ${wanted.length - missing.length}/${wanted.length} e-mails delivered ${Math.round((Date.now() - outageStarted) / 1000)} s after the outage began, ${doubled(wanted)}`,
    );
    expect(filed.map((a) => a.status)).toEqual(filed.map(() => 201));
    expect(actions.flat().map((a) => a.status)).toEqual(actions.flat().map(() => 200));
    // No answer waits on the mail server: each came well inside its 10 s connection timeout (the
    // figures above give the times; a loaded 2-core machine has seen an assign at 1.4 s).
    expect(slowest(answers)).toBeLessThan(5000);
    expect(during.correspondence.find((c) => c.step === 'receipt')?.status).toBe('queued');
    expect(missing).toEqual([]);
  }, 300_000);

  it('SMTP hanging after DATA: connections do not pile up, and the e-mails go once it answers again', async () => {
    sink.faults.hangAfterData = true;
    sink.connections.most = sink.connections.open;
    const filed = await inLanes(10, 4, (i) => file('hang', i));
    const references = filed.map((a) => String(a.body.reference));
    // Three times the socket timeout: each hung connection is given up (closed) and tried again, never piled up.
    const open: number[] = [];
    for (let s = 0; s < 3; s++) {
      await new Promise((r) => setTimeout(r, 15_000));
      open.push(sink.connections.open);
    }
    const most = sink.connections.most;
    sink.faults.hangAfterData = false;
    const wanted = references.flatMap((r) => [receiptOf(r), `<${r}.new-complaint@faults.test>`]);
    const missing = await waitForMail(wanted, 120_000);
    figures.push(
      `SMTP hanging after DATA for 45 s: ${wanted.length} e-mails, connections open after 15/30/45 s ${open.join('/')}, at most ${most} at once; ${missing.length} lost, ${doubled(wanted)} once it answered`,
    );
    // Each e-mail holds at most one connection at a time: the intake's receipt and staff notice.
    expect(most).toBeLessThanOrEqual(wanted.length);
    expect(missing).toEqual([]);
  }, 240_000);

  it(`the ${backend.name} killed and restarted on its database: 503 with Retry-After while down, never a hang; every complaint resumes, its timers fire, and it is acted on`, async () => {
    // A complaint with a timer running across the restart: its receipt waits for a relay that refuses us.
    sink.faults.relayRefuses = 554;
    const held = await file('restart', 0);
    const reference = String(held.body.reference);
    await waitUntil(async () => ((await request('GET', `/api/admin/complaints/${reference}`)).body as unknown as Dossier).correspondence?.some((c) => c.step === 'receipt' && c.held !== undefined) ?? false, 30_000);
    const before = await inLanes(10, 4, (i) => file('restart', i + 1));

    await backend.kill();
    // While it is down: intake, a dossier, a staff action; each asked once (no retry), to see the answer.
    const down = await inLanes(6, 3, (i) => [
      () => request('POST', '/api/complaints', complaint('down', i), `down-intake-${i}-0123456789`),
      () => request('GET', `/api/admin/complaints/${reference}`),
      () => request('POST', `/api/admin/complaints/${reference}/add-note`, { text: 'Gebeld tijdens de storing.' }, `${reference}-note-down-${i}`),
    ][i % 3]!());
    await backend.restart();
    sink.faults.relayRefuses = undefined;
    const restarted = Date.now();
    const references = [reference, ...before.map((a) => String(a.body.reference))];
    // Acted on after the restart: assigned and answered, through either API.
    const acted = await inLanes(references.length, 4, async (i) => {
      const r = references[i]!;
      return [
        await act(r, 'assign', { handler: 'mira' }, `${r}-restart-assign`),
        await act(r, 'send-position', { text: 'Ons standpunt, met redenen.' }, `${r}-restart-position`),
      ];
    });
    const wanted = references.flatMap((r) => [receiptOf(r), `<${r}.position@faults.test>`]);
    const missing = await waitForMail(wanted, 150_000);
    const firedAfter = Math.round((Date.now() - restarted) / 1000);
    figures.push(
      `${backend.name} SIGKILL and restart: ${down.length} requests while down, ${down.filter((a) => a.status === 503 && a.retryAfter).length} answered 503 with Retry-After, slowest ${slowest(down)} ms (${down.map((a) => Math.round(a.ms)).join('/')} ms); ${references.length} complaints acted on after it: ${acted.flat().filter((a) => a.status === 200).length}/${acted.flat().length} actions 200 (${retries(acted.flat())} after a 503 and its Retry-After), slowest ${slowest(acted.flat())} ms; ${wanted.length - missing.length}/${wanted.length} receipts and positions delivered, ${doubled(wanted)}; the held receipt's timer fired, all in ${firedAfter} s after the restart`,
    );
    expect(down.map((a) => a.status)).toEqual(down.map(() => 503));
    expect(down.every((a) => a.retryAfter !== null)).toBe(true);
    // Never a hang: the API's deadline is 5 s, and the client's retries stop inside it (config/temporal.ts).
    expect(slowest(down)).toBeLessThan(10_000);
    expect(acted.flat().map((a) => a.status)).toEqual(acted.flat().map(() => 200));
    expect(missing).toEqual([]);
  }, 300_000);

  it('the workers stopped: a dossier answers 503; the export and the report, from visibility alone, answer whole; never a 500 or a partial 200', async () => {
    const filed = await file('stopped', 0);
    await waitForMail([receiptOf(String(filed.body.reference))], 30_000);
    await Promise.all(workers.map((w) => w.stop('SIGTERM')));
    // Right away (the server waits for a worker), and once it knows no worker polls.
    const answers: Answer[] = [];
    for (const wait of [0, 12_000]) {
      await new Promise((r) => setTimeout(r, wait));
      answers.push(
        await request('GET', `/api/admin/complaints/${String(filed.body.reference)}`),
        await request('GET', '/api/admin/complaints.csv'),
        await request('GET', `/api/admin/reports/${new Date().getUTCFullYear()}`),
      );
    }
    // A note written meanwhile: 503, and Temporal keeps it; the same key again once a worker is back lands it once.
    const reference = String(filed.body.reference);
    const note = () => request('POST', `/api/admin/complaints/${reference}/add-note`, { text: 'Teruggebeld, geen gehoor.' }, `${reference}-note-while-down`);
    const whileDown = await note();
    workers = await Promise.all(workers.map(() => startWorker()));
    const again = await note();
    const notes = ((await request('GET', `/api/admin/complaints/${reference}`)).body as unknown as Dossier).timeline.filter((e) => e.event === 'note');
    figures.push(
      `workers stopped: ${answers.length} reads of a dossier, the export and the report: ${answers.map((a) => a.status).join(', ')}; slowest ${slowest(answers)} ms; a note meanwhile ${whileDown.status}, the same key after the restart ${again.status}, ${notes.length} note in the dossier`,
    );
    // The dossier needs a worker (its query); the register and the report read the memo from visibility.
    expect(answers.map((a) => a.status)).toEqual([503, 200, 200, 503, 200, 200]);
    expect(answers.filter((a) => a.status === 503).every((a) => a.retryAfter !== null)).toBe(true);
    for (const csv of [answers[1]!, answers[4]!]) {
      const row = String(csv.body.text).split('\r\n').find((line) => line.startsWith(reference));
      // Whole, never blank: the name, the address and the subject of the complaint filed above.
      expect(row).toContain(';Klager 0;Brink 3;1211 AA;Hilversum;stopped-0@example.nl;');
      expect(row).toContain(';Klacht stopped 0;');
    }
    for (const report of [answers[2]!, answers[5]!]) expect(report.body.complaints).toBeGreaterThan(0);
    expect(whileDown.status).toBe(503);
    expect(again.status).toBe(200);
    expect(notes).toHaveLength(1);
  }, 120_000);

  more?.({
    get sink() {
      return sink;
    },
    backend,
    figures,
    request,
    file,
    act,
    retries,
    inLanes,
    receiptOf,
    waitForMail,
    doubles,
    doubled,
    slowest,
  });

  it('answered no 500 anywhere, through every fault above', () => {
    const tally = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${n}× ${status}`);
    figures.push(`every answer of the suite: ${tally.join(', ')}`);
    expect([...statuses.keys()].filter((s) => s >= 500 && s !== 503)).toEqual([]);
  });
}

export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not so within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
