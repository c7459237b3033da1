import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { dataConverter } from '../../codec';
import { requireLocalBinary, temporalCli } from '../../config/binaries';
import { loadConfig } from '../../config/env';
import { codecKeyRing } from '../../config/secrets';
import { workflowIdFor } from '../../domain/reference';
import { complaintSearchAttributes } from '../../domain/search-attributes';
import { postJson } from '../support/api';
import { freePorts, isListening } from '../support/ports';

// `npm start` exactly as a newcomer runs it: the embedded dev server, mail catcher,
// worker and API in one command, stopped by Ctrl-C or SIGTERM without leftovers.
const root = join(__dirname, '..', '..');
const dataDir = mkdtempSync(join(tmpdir(), 'klachtflow-stack-'));

interface Stack {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

let ports: { api: number; temporal: number; ui: number; smtp: number; mailUi: number };

function startStack(): Stack {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KLACHTFLOW_DATA_DIR: dataDir,
    PORT: String(ports.api),
    KLACHTFLOW_TEMPORAL_PORT: String(ports.temporal),
    KLACHTFLOW_TEMPORAL_UI_PORT: String(ports.ui),
    KLACHTFLOW_MAIL_SMTP_PORT: String(ports.smtp),
    KLACHTFLOW_MAIL_UI_PORT: String(ports.mailUi),
  };
  for (const name of ['TEMPORAL_ADDRESS', 'SMTP_URL', 'PUBLIC_BASE_URL', 'KLACHTFLOW_STAFF_FILE']) delete env[name];
  // Its own process group, so that a "Ctrl-C" can go to the whole group as a terminal sends it.
  const child = spawn('npm', ['start'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitUntilReady(stack: Stack, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (stack.child.exitCode !== null) throw new Error(`npm start exited early:\n${stack.output()}`);
    try {
      if ((await fetch(`http://127.0.0.1:${ports.api}/readyz`)).status === 200) return Date.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`not ready within ${timeoutMs} ms:\n${stack.output()}`);
}

/** Every process whose command line mentions the data dir (the dev server does: --db-filename). */
function processesUsing(dir: string): string[] {
  return execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(dir) && !line.includes('ps -eo'));
}

async function expectNothingLeft(stack: Stack): Promise<void> {
  const code = await Promise.race([stack.exited, new Promise((r) => setTimeout(() => r('timeout'), 30_000).unref())]);
  expect(code).not.toBe('timeout');
  const left = processesUsing(dataDir);
  if (left.length) throw new Error(`left running after npm exited with ${String(code)}:\n${left.join('\n')}\n--- output ---\n${stack.output()}`);
  for (const port of Object.values(ports)) expect(await isListening(port)).toBe(false);
}

async function mailSubjects(): Promise<string[]> {
  const response = await fetch(`http://127.0.0.1:${ports.mailUi}/api/email`);
  return ((await response.json()) as { subject: string }[]).map((m) => m.subject);
}

describe('npm start: the embedded stack', () => {
  let reference: string;

  beforeAll(async () => {
    const [api, temporal, ui, smtp, mailUi] = await freePorts(5);
    ports = { api: api!, temporal: temporal!, ui: ui!, smtp: smtp!, mailUi: mailUi! };
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts, takes a complaint, e-mails the receipt to the mail catcher, and stops cleanly on Ctrl-C', async () => {
    const stack = startStack();
    try {
      const readyMs = await waitUntilReady(stack, 90_000);
      console.log(`npm start (cold, empty data dir): /readyz 200 after ${(readyMs / 1000).toFixed(1)} s`);
      expect(stack.output()).toContain(`Temporal UI      http://localhost:${ports.ui}`);
      expect(stack.output()).toMatch(/Staff token {6}\S{32}/);

      const ui = await fetch(`http://127.0.0.1:${ports.ui}/`);
      expect(ui.status).toBe(200);

      const cli = requireLocalBinary(temporalCli);
      const listed = execFileSync(
        cli.type === 'existing-path' ? cli.path : 'temporal',
        ['operator', 'search-attribute', 'list', '--address', `127.0.0.1:${ports.temporal}`],
        { encoding: 'utf8' },
      );
      for (const key of complaintSearchAttributes) expect(listed).toContain(key.name);

      const response = await postJson(`http://127.0.0.1:${ports.api}/api/complaints`, {
        procedure: 'gooiconsult',
        complainant: { name: 'Piet Pieters', email: 'piet@example.nl', address: { street: 'Laan 2', postalCode: '1234 AB', city: 'Bussum' } },
        description: 'Geen reactie op mijn e-mail.',
      });
      expect(response.status).toBe(201);
      reference = ((await response.json()) as { reference: string }).reference;
      for (let i = 0; i < 80 && !(await mailSubjects()).some((s) => s.includes(reference)); i++) {
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(await mailSubjects()).toContain(`Ontvangstbevestiging van uw klacht [${reference}]`);
      // The newcomer's way into the back office: its address in the banner, the first sign-in link in the mail catcher.
      expect(stack.output()).toContain(`Back office      http://localhost:${ports.api}/beheer/inloggen   (a sign-in link for klachten@klachtflow.local is in the mail catcher)`);
      expect(await mailSubjects()).toContain('Inloggen bij klachtflow');
    } finally {
      process.kill(-stack.child.pid!, 'SIGINT');
    }
    await expectNothingLeft(stack);
  });

  it('finds the workflows of the last run after a restart, and stops cleanly on SIGTERM', async () => {
    const stack = startStack();
    try {
      const readyMs = await waitUntilReady(stack, 90_000);
      console.log(`npm start (warm, existing data dir): /readyz 200 after ${(readyMs / 1000).toFixed(1)} s`);
      const connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
      try {
        // The key ring `npm start` made in its data directory on first start.
        const codec = dataConverter(codecKeyRing(loadConfig({ KLACHTFLOW_DATA_DIR: dataDir })));
        const description = await new Client({ connection, dataConverter: codec }).workflow
.getHandle(workflowIdFor(reference)).describe();

        expect(description.status.name).toBe('RUNNING');
      } finally {
        await connection.close();
      }
    } finally {
      // SIGTERM to npm alone, as a process manager sends it: the stack must pass it on.
      stack.child.kill('SIGTERM');
    }
    await expectNothingLeft(stack);
  });
});
