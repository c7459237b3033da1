// `npm run bench [-- --quick] [--open N] [--intake N] [--throughput N] [--concurrency N] [--only dev|cluster]`:
// what the API adds to Temporal, what one and two workers get through, and how many open
// complaints they carry, measured in one run on the embedded dev server and then on a Temporal
// cluster on PostgreSQL (`npm run cluster`), each with real worker processes and a real SMTP sink.
// Prints one table, the two side by side, and writes the figures to bench/results/. Targets are
// reported here, never asserted in tests.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { createApp } from '../api/app';
import { dataConverter, failureConverterPath, keyRing, newCodecKey } from '../codec';
import { directoryAttachmentStore } from '../codec/attachments';
import { listen } from '../api/listen';
import { loadProcedures } from '../config/procedures';
import { sha256Hex } from '../config/secrets';
import { registerSearchAttributes } from '../config/temporal';
import type { ComplaintInput } from '../domain/complaint';
import { updateOf } from '../domain/actions';
import { complaintWorkflowType, dossierQuery, taskQueue } from '../domain/messages';
import { newReference, workflowIdFor } from '../domain/reference';
import { startCluster, temporalServerVersion } from '../dev/cluster';
import { startEmbeddedTemporal } from '../dev/temporal-server';
import { workflowsPath } from '../worker/worker';
import { freePortBlock, freePorts } from '../test/support/ports';
import { dossierQueryCounter } from '../test/support/query-counter';
import { runDeadlinesBatch } from './deadlines';

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    intake: { type: 'string' },
    open: { type: 'string' },
    concurrency: { type: 'string' },
    throughput: { type: 'string' },
    only: { type: 'string' },
  },
});
if (flags.only !== undefined && flags.only !== 'dev' && flags.only !== 'cluster') throw new Error('--only must be dev or cluster');
const quick = flags.quick;
const settings = {
  mode: quick ? 'quick' : 'full',
  intake: Number(flags.intake ?? (quick ? 100 : 500)),
  concurrency: Number(flags.concurrency ?? 8),
  open: Number(flags.open ?? (quick ? 300 : 10_000)),
  throughput: Number(flags.throughput ?? (quick ? 100 : 1000)),
  openConcurrency: 32,
  deadlines: 10_000,
};

const root = join(__dirname, '..');
const linkSecret = 'bench-link-secret-0123456789abcdefghijklmnop';
const staffToken = 'bench-staff-token-0123456789';
const children: ChildProcess[] = [];
const cleanups: (() => Promise<unknown>)[] = [];

// --- measuring -----------------------------------------------------------------------------

interface LatencyFigures {
  n: number;
  /** Requests that failed (a 503 after the API's 5 s deadline, say): counted, left out of the latencies. */
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  perSecond: number;
}

function figures(ms: number[], seconds: number, errors = 0): LatencyFigures {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length ? Number(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!.toFixed(1)) : NaN);
  return { n: ms.length, errors, p50: at(0.5), p95: at(0.95), p99: at(0.99), perSecond: Number((ms.length / seconds).toFixed(1)) };
}

const failures: string[] = [];
/** A failed request is a figure, not the end of the run: the first few are shown after the table. */
async function attempt(task: () => Promise<void>): Promise<boolean> {
  try {
    await task();
    return true;
  } catch (err) {
    if (failures.length < 5) failures.push(err instanceof Error ? err.message.slice(0, 200) : String(err));
    return false;
  }
}

/**
 * The same operation two ways, interleaved (a then b, b then a, …) by `concurrency` lanes, so
 * both meet the same load from the worker and the server; the latency of each, and the throughput.
 */
async function measurePair(n: number, concurrency: number, a: (i: number) => Promise<void>, b: (i: number) => Promise<void>): Promise<[LatencyFigures, LatencyFigures]> {
  const latencies: [number[], number[]] = [[], []];
  const busy = [0, 0];
  const errors = [0, 0];
  let next = 0;
  const run = async (which: 0 | 1, i: number) => {
    const t = performance.now();
    const ok = await attempt(() => (which === 0 ? a : b)(i));
    const ms = performance.now() - t;
    if (ok) latencies[which].push(ms);
    else errors[which]!++;
    busy[which] = busy[which]! + ms;
  };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) {
        const first = (i % 2) as 0 | 1;
        await run(first, i);
        await run((1 - first) as 0 | 1, i);
      }
    }),
  );
  // Throughput per side: requests over the time the lanes spent on that side.
  return [figures(latencies[0], busy[0]! / 1000 / concurrency, errors[0]), figures(latencies[1], busy[1]! / 1000 / concurrency, errors[1])];
}

/** Runs `task(i)` for i < n with `concurrency` at a time; the latency of each, and the throughput. */
async function measure(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<LatencyFigures> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) {
        const t = performance.now();
        if (await attempt(() => task(i))) latencies.push(performance.now() - t);
        else errors++;
      }
    }),
  );
  return figures(latencies, (performance.now() - started) / 1000, errors);
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMiB(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : undefined;
}

// --- the parts -----------------------------------------------------------------------------

/** A real SMTP server that counts what it receives (all of it, and the receipts) and keeps nothing. */
async function smtpSink(): Promise<{ url: string; count: () => number; receipts: () => number }> {
  let received = 0;
  let receipts = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 4096) head += chunk.toString('latin1');
      });
      stream.on('end', () => {
        received++;
        // Staff are told of every new complaint too: the receipts are counted on their own.
        if (head.includes('Subject: Ontvangstbevestiging')) receipts++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`, count: () => received, receipts: () => receipts };
}

interface WorkerProcess {
  pid: number;
  memory(): Promise<{ rssMiB: number; heapUsedMiB: number }>;
  stop(): Promise<void>;
}

/** `worker/main.ts` as its own process, as it runs in production, with the prebuilt bundle. */
async function startWorker(env: NodeJS.ProcessEnv, profileDir?: string): Promise<WorkerProcess> {
  // KLACHTFLOW_BENCH_PROFILE=<dir>: V8 CPU profiles of the restarted worker (every thread), to read in DevTools.
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', '--import', './bench/memory-probe.mjs', 'worker/main.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const lines: string[] = [];
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    lines.push(...parts);
  });
  // The SDK's own log goes to stderr: kept, and shown only if the worker fails to start.
  const errors: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
  let stopping = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      if (!stopping) console.error(`the worker exited unexpectedly (${code ?? signal}):\n${errors.join('').slice(-4000)}`);
      resolve();
    }),
  );
  for (let i = 0; i < 600 && child.exitCode === null && !lines.some((l) => l.includes('worker started')); i++) await new Promise((r) => setTimeout(r, 100));
  if (!lines.some((l) => l.includes('worker started'))) throw new Error(`the worker did not start:\n${lines.join('\n')}\n${errors.join('')}`);
  return {
    pid: child.pid!,
    async memory() {
      const seen = lines.length;
      child.kill('SIGWINCH');
      for (let i = 0; i < 50; i++) {
        const line = lines.slice(seen).find((l) => l.startsWith('KLACHTFLOW_MEMORY '));
        if (line) {
          const usage = JSON.parse(line.slice('KLACHTFLOW_MEMORY '.length)) as NodeJS.MemoryUsage;
          return { rssMiB: Math.round(usage.rss / 2 ** 20), heapUsedMiB: Math.round(usage.heapUsed / 2 ** 20) };
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the worker did not report its memory');
    },
    async stop() {
      stopping = true;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const procedures = loadProcedures(join(root, 'procedures'));
const complaint = (i: number) => ({
  procedure: 'gooiconsult',
  complainant: { name: `Bench ${i}`, email: `bench${i}@example.nl`, address: { street: 'Brink 1', postalCode: '1211 AA', city: 'Hilversum' } },
  description: 'Benchmarkklacht: het advies kwam te laat.',
});
const workflowInput = (i: number, reference: string): ComplaintInput => ({
  ...complaint(i),
  reference,
  language: 'nl',
  receivedAt: new Date().toISOString(),
  channel: 'web',
});
// Unique within a run (a fresh dev server each time): a counter from a random offset, five bits a character.
let referenceCounter = randomInt(2 ** 29);
const reference = () => {
  const value = referenceCounter++ % 2 ** 30;
  return newReference(2026, Uint8Array.from({ length: 6 }, (_, i) => (value >> (5 * i)) & 31));
};

type BackendKind = 'dev' | 'cluster';
const backendNames: Record<BackendKind, string> = { dev: 'dev server (SQLite on disk)', cluster: 'cluster (PostgreSQL 15, 4 history shards)' };

interface Backend {
  address: string;
  /** The Temporal server's process, for its RSS and CPU. */
  pid: number | undefined;
  version: string;
  stop(): Promise<void>;
}

/** Temporal as `npm start` runs it (the dev server on SQLite), or as `npm run cluster` does. */
async function startBackend(kind: BackendKind, dir: string): Promise<Backend> {
  if (kind === 'dev') {
    const ports = await freePorts(2);
    const temporal = await startEmbeddedTemporal({ dataDir: dir, port: ports[0]!, uiPort: ports[1]!, namespace: 'default' });
    const version = execFileSync(process.env.TEMPORAL_CLI_PATH ?? 'temporal', ['--version'], { encoding: 'utf8' }).trim().split('\n')[0]!;
    return { address: temporal.address, pid: temporal.pid, version, stop: () => temporal.stop() };
  }
  chmodSync(dir, 0o755);
  const [frontend, membershipBase] = await Promise.all([freePortBlock(7), freePortBlock(6)]);
  const [postgres] = await freePorts(1);
  const cluster = await startCluster({ dir: join(dir, 'cluster'), ports: { frontend, membershipBase, postgres: postgres! }, namespace: 'default', log: (line) => console.error(line) });
  return { address: cluster.address, pid: cluster.serverPid, version: `Temporal server ${temporalServerVersion}`, stop: () => cluster.stop() };
}

interface Shared {
  bundlePath: string;
  codecKey: ReturnType<typeof newCodecKey>;
}

/** Every figure of one backend. */
async function runOn(kind: BackendKind, shared: Shared) {
  const began = performance.now();
  const dataDir = mkdtempSync(join(tmpdir(), `klachtflow-bench-${kind}-`));
  console.error(`== ${backendNames[kind]}`);
  const backend = await startBackend(kind, dataDir);
  const local: (() => Promise<unknown>)[] = [() => backend.stop(), () => Promise.resolve(rmSync(dataDir, { recursive: true, force: true }))];
  try {
    const connection = await Connection.connect({ address: backend.address });
    local.unshift(() => connection.close());
    const dossierQueries = dossierQueryCounter();
    const client = new Client({ connection, namespace: 'default', dataConverter: dataConverter(keyRing([shared.codecKey])), interceptors: { workflow: [dossierQueries.interceptor] } });
    await registerSearchAttributes(client);
    const mail = await smtpSink();
    const staffFile = join(dataDir, 'staff.yaml');
    writeFileSync(staffFile, `- { id: mira, name: Mira, email: mira@example.nl, roles: [manager, handler], tokenSha256: ${sha256Hex(staffToken)} }\n`);
    const workerEnv: NodeJS.ProcessEnv = {
      ...process.env,
      TEMPORAL_ADDRESS: backend.address,
      TEMPORAL_NAMESPACE: 'default',
      SMTP_URL: mail.url,
      LINK_SECRET: linkSecret,
      KLACHTFLOW_CODEC_KEYS: `${shared.codecKey.id}:${shared.codecKey.key}`,
      KLACHTFLOW_DATA_DIR: dataDir,
      KLACHTFLOW_STAFF_FILE: staffFile,
      KLACHTFLOW_WORKFLOW_BUNDLE: shared.bundlePath,
      LOG_LEVEL: 'info',
    };
    const workers: WorkerProcess[] = [await startWorker(workerEnv)];
    local.unshift(() => Promise.all(workers.map((w) => w.stop())));
    const workerIdle = await workers[0]!.memory();

    const app = createApp({
      client,
      procedures,
      staff: [{ id: 'mira', name: 'Mira', email: 'mira@example.nl', roles: ['manager', 'handler'], tokenSha256: sha256Hex(staffToken) }],
      linkSecret,
      publicBaseUrl: 'http://bench.local',
      logger: pino({ level: 'silent' }),
      intakeRateLimit: 1_000_000,
      attachments: directoryAttachmentStore(join(dataDir, 'attachments'), keyRing([shared.codecKey])),
    });
    const server = await listen(app, 0, '127.0.0.1');
    local.unshift(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const post = async (path: string, body: unknown, token?: string): Promise<unknown> => {
      const response = await fetch(`${api}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return response.json();
    };
    const rawStart = async (i: number): Promise<string> => {
      const ref = reference();
      await client.workflow.start(complaintWorkflowType, { taskQueue, workflowId: workflowIdFor(ref), args: [workflowInput(i, ref)], workflowIdReusePolicy: 'REJECT_DUPLICATE' });
      return ref;
    };
    const apiStart = async (i: number): Promise<string> => ((await post('/api/complaints', complaint(i))) as { reference: string }).reference;
    /** Waits (bounded: 30 minutes) until the sink has `count` receipts, or e-mails of any kind. */
    const untilReceipts = async (count: number) => {
      for (let i = 0; mail.receipts() < count && i < 36_000; i++) await new Promise((r) => setTimeout(r, 50));
    };
    const untilMails = async (count: number) => {
      for (let i = 0; mail.count() < count && i < 36_000; i++) await new Promise((r) => setTimeout(r, 50));
    };

    // 1. Intake: the API against the same start done directly; interleaved warm-up, then each in turn.
    console.error(`intake: ${settings.intake} through the API and ${settings.intake} directly, ${settings.concurrency} at a time …`);
    for (let i = 0; i < 20; i++) {
      await apiStart(i);
      await rawStart(i);
    }
    const apiRefs: string[] = [];
    const rawRefs: string[] = [];
    const [intakeApi, intakeRaw] = await measurePair(
      settings.intake,
      settings.concurrency,
      async (i) => void (apiRefs[i] = await apiStart(i)),
      async (i) => void (rawRefs[i] = await rawStart(i)),
    );

    // 2. A staff action: assign through the API against the same calls done directly: the Workflow
    // Update (it answers a small result), then the dossier query the API answers with.
    console.error(`assign: ${settings.intake} through the API and ${settings.intake} directly …`);
    const [assignApi, assignRaw] = await measurePair(
      settings.intake,
      settings.concurrency,
      async (i) => {
        if (!apiRefs[i]) throw new Error('no complaint: its intake failed');
        await post(`/api/admin/complaints/${apiRefs[i]}/assign`, { handler: 'mira' }, staffToken);
      },
      // The same 5 s deadline the API gives itself, so that neither side can wait longer.
      async (i) => {
        const handle = client.workflow.getHandle(workflowIdFor(rawRefs[i]!));
        const actor = { kind: 'staff' as const, id: 'mira', roles: ['manager', 'handler'] as const };
        await client.connection.withDeadline(Date.now() + 5000, () => handle.executeUpdate(updateOf('assign'), { args: [{ actor, input: { handler: 'mira' } }] }));
        await client.connection.withDeadline(Date.now() + 5000, () => handle.query(dossierQuery, { view: 'staff' }));
      },
    );
    let started = 2 * 20 + apiRefs.length + rawRefs.length;
    await untilMails(2 * started);

    // 3. Throughput of the workers: a batch of complaints started at once, the time until every
    // receipt has gone, with one worker and then with two (the second started for it).
    const throughput: { workers: number; complaints: number; seconds: number; perSecond: number }[] = [];
    for (const count of [1, 2]) {
      if (workers.length < count) workers.push(await startWorker(workerEnv));
      console.error(`throughput: ${settings.throughput} complaints with ${count} worker(s) …`);
      const receiptsBefore = mail.receipts();
      const t = performance.now();
      await measure(settings.throughput, settings.openConcurrency, async (i) => void (await rawStart(i)));
      await untilReceipts(receiptsBefore + settings.throughput);
      const seconds = (performance.now() - t) / 1000;
      started += settings.throughput;
      throughput.push({ workers: count, complaints: settings.throughput, seconds: Number(seconds.toFixed(1)), perSecond: Number((settings.throughput / seconds).toFixed(1)) });
      await untilMails(2 * started);
    }

    // 4. Open complaints, with both workers: start them, wait for every e-mail of their intake (the
    // receipt and the staff's notice), then restart every worker.
    const before = mail.receipts();
    const openRefs: string[] = [];
    console.error(`open complaints: starting ${settings.open} …`);
    const openStarted = performance.now();
    const openStart = await measure(settings.open, settings.openConcurrency, async (i) => void openRefs.push(await rawStart(i)));
    await untilReceipts(before + settings.open);
    const receiptsSeconds = (performance.now() - openStarted) / 1000;
    started += openRefs.length;
    const totalOpen = started;
    // Every complaint's two intake e-mails out, so that the restart below meets no work left over.
    await untilMails(2 * totalOpen);
    await new Promise((r) => setTimeout(r, 2000)); // settle: every e-mail task done, the workers' caches full
    const workerMemory = await Promise.all(workers.map((w) => w.memory()));
    const serverRss = rssMiB(backend.pid);
    const samples = await Promise.all(openRefs.slice(0, 5).map(async (ref) => (await client.workflow.getHandle(workflowIdFor(ref)).fetchHistory()).events?.length ?? 0));
    const eventsPerComplaint = Math.round(samples.reduce((a, b) => a + b, 0) / samples.length);

    console.error('restarting every worker …');
    await Promise.all(workers.map((w) => w.stop()));
    const restarted = performance.now();
    const serverCpuBefore = cpuSeconds(backend.pid);
    const benchCpuBefore = process.cpuUsage();
    const profile = process.env.KLACHTFLOW_BENCH_PROFILE;
    workers.splice(0, workers.length, ...(await Promise.all(workers.map(() => startWorker(workerEnv, profile)))));
    const workerStartSeconds = (performance.now() - restarted) / 1000;
    const queries = await measure(openRefs.length, settings.openConcurrency, async (i) => {
      await client.workflow.getHandle(workflowIdFor(openRefs[i]!)).query(dossierQuery);
    });
    const servedAgainSeconds = (performance.now() - restarted) / 1000;
    // Who worked while every complaint was replayed: the workers, the Temporal server, or this client.
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const restartCpu = {
      workerSeconds: Number(workers.reduce((n, w) => n + cpuSeconds(w.pid), 0).toFixed(1)),
      serverSeconds: Number((cpuSeconds(backend.pid) - serverCpuBefore).toFixed(1)),
      benchClientSeconds: Number(((benchCpu.user + benchCpu.system) / 1e6).toFixed(1)),
    };
    const workerMemoryAfter = await Promise.all(workers.map((w) => w.memory()));

    // 5. The register as CSV and the quarter's report, through the API, from visibility alone (the
    // dossier queries counted by the client's interceptor), against the naive way: list, then
    // one dossier query per complaint (timed on a sample, scaled to the same count).
    const get = async (path: string): Promise<string> => {
      const response = await fetch(`${api}${path}`, { headers: { authorization: `Bearer ${staffToken}` } });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${(await response.text()).slice(0, 200)}`);
      return response.text();
    };
    const timed = async (task: () => Promise<string>): Promise<{ seconds: number; text: string }> => {
      const t = performance.now();
      const text = await task();
      return { seconds: Number(((performance.now() - t) / 1000).toFixed(2)), text };
    };
    const now = new Date();
    const quarter = `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
    console.error(`register: the CSV and the report of ${quarter} over ${totalOpen} complaints …`);
    dossierQueries.reset();
    const csv = await timed(() => get('/api/admin/complaints.csv'));
    const report = await timed(() => get(`/api/admin/reports/${quarter}`));
    const registerQueries = dossierQueries.count();
    const naiveSample = Math.min(500, openRefs.length);
    const naive = await timed(async () => {
      for (let i = 0; i < naiveSample; i += 8) {
        await Promise.all(openRefs.slice(i, i + 8).map((ref) => client.workflow.getHandle(workflowIdFor(ref)).query(dossierQuery, { view: 'staff' })));
      }
      return '';
    });
    const csvRows = csv.text.split('\r\n').filter(Boolean).length - 1;
    const reported = (JSON.parse(report.text) as { complaints: number }).complaints;
    const naiveSeconds = Number(((naive.seconds * csvRows) / naiveSample).toFixed(1));
    return {
      backend: backendNames[kind],
      temporal: backend.version,
      intake: { api: intakeApi, raw: intakeRaw, ratioP50: Number((intakeApi.p50 / intakeRaw.p50).toFixed(2)), ratioP95: Number((intakeApi.p95 / intakeRaw.p95).toFixed(2)) },
      assign: { api: assignApi, raw: assignRaw, ratioP50: Number((assignApi.p50 / assignRaw.p50).toFixed(2)), ratioP95: Number((assignApi.p95 / assignRaw.p95).toFixed(2)) },
      throughput,
      open: {
        complaints: totalOpen,
        workers: workers.length,
        startPerSecond: openStart.perSecond,
        receiptsSentSeconds: Number(receiptsSeconds.toFixed(1)),
        workerIdleRssMiB: workerIdle.rssMiB,
        workerRssMiB: workerMemory.map((m) => m.rssMiB),
        workerHeapUsedMiB: workerMemory.map((m) => m.heapUsedMiB),
        serverRssMiB: serverRss,
        historyEventsPerComplaint: eventsPerComplaint,
        workerStartSeconds: Number(workerStartSeconds.toFixed(1)),
        servedAgainSeconds: Number(servedAgainSeconds.toFixed(1)),
        restartCpu,
        queryAfterRestart: queries,
        workerRssAfterRestartMiB: workerMemoryAfter.map((m) => m.rssMiB),
      },
      register: { csvRows, csvSeconds: csv.seconds, reportComplaints: reported, reportSeconds: report.seconds, dossierQueries: registerQueries, naiveSample, naiveSeconds, ratio: Number((csv.seconds / naiveSeconds).toFixed(3)) },
      seconds: Number(((performance.now() - began) / 1000).toFixed(1)),
    };
  } finally {
    for (const step of local) await step().catch(() => undefined);
  }
}

type Results = Awaited<ReturnType<typeof runOn>>;

async function main(): Promise<void> {
  const began = performance.now();
  const bundleDir = mkdtempSync(join(tmpdir(), 'klachtflow-bench-'));
  cleanups.push(() => Promise.resolve(rmSync(bundleDir, { recursive: true, force: true })));
  const bundlePath = join(bundleDir, 'workflow-bundle.js');
  const noop = () => undefined;
  writeFileSync(bundlePath, (await bundleWorkflowCode({ workflowsPath, failureConverterPath, logger: { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: console.error } })).code);
  // Encrypted as in production: the worker processes get the same ring through the environment.
  const shared: Shared = { bundlePath, codecKey: newCodecKey() };
  const backends = (flags.only ? [flags.only] : ['dev', 'cluster']) as BackendKind[];
  const runs: Results[] = [];
  for (const kind of backends) runs.push(await runOn(kind, shared));

  // The deadlines CLI: no Temporal in it.
  console.error(`klachtflow deadlines --batch with ${settings.deadlines} lines …`);
  const deadlines = runDeadlinesBatch(settings.deadlines);

  const sdk = (JSON.parse(readFileSync(join(root, 'node_modules/@temporalio/worker/package.json'), 'utf8')) as { version: string }).version;
  const results = {
    at: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), os: `${platform()} ${release()}` },
    versions: { node: process.version, sdk },
    settings,
    runs,
    deadlines,
    failures,
    totalSeconds: Number(((performance.now() - began) / 1000).toFixed(1)),
  };
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${results.at.slice(0, 19).replace(/[:T]/g, '-')}-${settings.mode}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  writeFileSync(join(dir, `latest-${settings.mode}.json`), JSON.stringify(results, null, 2) + '\n');
  console.log(table(results));
  if (failures.length) console.log(`\nfirst failures:\n${failures.map((f) => `  ${f}`).join('\n')}`);
  console.log(`\nresults: ${file}`);
}

function table(r: {
  machine: { cpu: string; cores: number; memoryGiB: number; os: string };
  versions: { node: string; sdk: string };
  settings: typeof settings;
  runs: Results[];
  deadlines: { requests: number; seconds: number };
  totalSeconds: number;
}): string {
  const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const runs = r.runs;
  const latency = (f: LatencyFigures) => `${f.p50} / ${f.p95} / ${f.p99} ms, ${f.perSecond}/s${f.errors ? `, ${f.errors} failed` : ''}`;
  const row = (name: string, cell: (run: Results) => string, target = '') => `| ${name} | ${runs.map(cell).join(' | ')} | ${target} |`;
  const all = (ok: (run: Results) => boolean) => runs.every(ok);
  return [
    `klachtflow benchmark (${r.settings.mode}) — ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, ${r.machine.os}`,
    `Node ${r.versions.node}, SDK ${r.versions.sdk}; ${runs.map((run) => `${run.backend}: ${run.temporal}`).join('; ')}; concurrency ${r.settings.concurrency}`,
    '',
    `| figure | ${runs.map((run) => run.backend).join(' | ')} | target |`,
    `|---|${runs.map(() => '---').join('|')}|---|`,
    row('intake via API: p50 / p95 / p99, per s', (run) => latency(run.intake.api)),
    row('intake direct (workflow.start)', (run) => latency(run.intake.raw)),
    row('intake API/direct p50 (p95)', (run) => `${run.intake.ratioP50} (${run.intake.ratioP95})`, `≤ 1.10: ${mark(all((run) => run.intake.ratioP50 <= 1.1))}`),
    row('assign via API', (run) => latency(run.assign.api)),
    row('assign direct (executeUpdate + query)', (run) => latency(run.assign.raw)),
    row('assign API/direct p50 (p95)', (run) => `${run.assign.ratioP50} (${run.assign.ratioP95})`, `≤ 1.10: ${mark(all((run) => run.assign.ratioP50 <= 1.1))}`),
    ...[0, 1].map((i) => row(`throughput, ${i + 1} worker${i ? 's' : ''}: ${r.settings.throughput} complaints to their receipts`, (run) => `${run.throughput[i]!.seconds} s, ${run.throughput[i]!.perSecond}/s`)),
    row('throughput 2 workers / 1', (run) => `${(run.throughput[1]!.perSecond / run.throughput[0]!.perSecond).toFixed(2)}`),
    row('open complaints', (run) => String(run.open.complaints)),
    row(`all receipt e-mails sent after (${r.settings.open} started)`, (run) => `${run.open.receiptsSentSeconds} s`),
    row('worker RSS at start', (run) => `${run.open.workerIdleRssMiB} MiB`),
    row('each worker\'s RSS / main heap used, all open', (run) => run.open.workerRssMiB.map((rss, i) => `${rss} / ${run.open.workerHeapUsedMiB[i]}`).join(', ') + ' MiB', `RSS ≤ 1024 MiB: ${mark(all((run) => Math.max(...run.open.workerRssMiB) <= 1024))}`),
    row('Temporal server RSS', (run) => `${run.open.serverRssMiB ?? '?'} MiB`),
    row('history events per complaint (waiting)', (run) => String(run.open.historyEventsPerComplaint)),
    row('all workers restarted: started / every complaint answers', (run) => `${run.open.workerStartSeconds} s / ${run.open.servedAgainSeconds} s`, `≤ 60 s: ${mark(all((run) => run.open.servedAgainSeconds <= 60))}`),
    row('query each after the restart', (run) => latency(run.open.queryAfterRestart)),
    row('CPU meanwhile: workers / Temporal server / bench client', (run) => `${run.open.restartCpu.workerSeconds} / ${run.open.restartCpu.serverSeconds} / ${run.open.restartCpu.benchClientSeconds} s`),
    row('register CSV', (run) => `${run.register.csvRows} rows, ${run.register.csvSeconds} s`, `≤ 5 s: ${mark(all((run) => run.register.csvSeconds <= 5))}`),
    row('report of the quarter', (run) => `${run.register.reportComplaints} complaints, ${run.register.reportSeconds} s`, `≤ 5 s: ${mark(all((run) => run.register.reportSeconds <= 5))}`),
    row('dossier queries made by the CSV and the report', (run) => String(run.register.dossierQueries), `0: ${mark(all((run) => run.register.dossierQueries === 0))}`),
    row('naive: list + a dossier query per row (timed on 500, scaled)', (run) => `${run.register.naiveSeconds} s; CSV/naive ${run.register.ratio}`),
    row('this backend\'s part of the run', (run) => `${run.seconds} s`),
    '',
    `deadlines --batch ${r.deadlines.requests} lines: ${r.deadlines.seconds.toFixed(2)} s (≤ 2 s: ${mark(r.deadlines.seconds <= 2)}); whole run ${r.totalSeconds} s`,
  ].join('\n');
}

async function cleanup(): Promise<void> {
  for (const step of cleanups) await step().catch(() => undefined);
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
}

main()
  .then(cleanup)
  .catch(async (err: unknown) => {
    console.error(err);
    await cleanup();
    process.exit(1);
  });
