import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { postgresMajor, serverConfigFile, temporalServerVersion, temporalUiVersion } from '../../dev/cluster';

// No Docker engine runs here, so the production shape is checked as data: the services the
// README promises exist, and the worker and API are wired to Temporal and SMTP.
const root = join(__dirname, '..', '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { image?: string; build?: unknown; environment?: Record<string, unknown>; command?: string[]; volumes?: string[] }>;
};
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The service names in the README's compose table: rows like "| `worker` | …". */
function readmeServices(): string[] {
  const section = readme.split(/^## /m).find((s) => s.startsWith('Deploying with Docker Compose'));
  if (!section) throw new Error('README has no "## Deploying with Docker Compose" section');
  return [...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]!);
}

describe('docker-compose.yml', () => {
  it('has every service the README names, and no other', () => {
    const named = readmeServices();
    expect(named.length).toBeGreaterThanOrEqual(6);
    expect(Object.keys(compose.services).sort()).toEqual([...named].sort());
  });

  it('runs the versions and the configuration file the cluster suites run (dev/cluster.ts)', () => {
    const version = temporalServerVersion.replace(/^v/, '');
    expect(compose.services.postgresql?.image).toBe(`postgres:${postgresMajor}`);
    expect(compose.services.temporal?.image).toBe(`temporalio/server:${version}`);
    expect(compose.services['temporal-schema']?.image).toBe(`temporalio/admin-tools:${version}`);
    expect(compose.services['temporal-namespace']?.image).toBe(`temporalio/admin-tools:${version}`);
    expect(compose.services['temporal-ui']?.image).toBe(`temporalio/ui:${temporalUiVersion.replace(/^v/, '')}`);
    // The one server configuration: mounted here, passed to the server by dev/cluster.ts.
    const mount = compose.services.temporal?.volumes?.find((v) => v.startsWith('./deploy/temporal-server.yaml:'));
    expect(mount).toBeDefined();
    expect(compose.services.temporal?.command?.join(' ')).toContain(`--config-file ${mount!.split(':')[1]}`);
    expect(serverConfigFile).toBe(join(root, 'deploy', 'temporal-server.yaml'));
    expect(readFileSync(serverConfigFile, 'utf8')).toMatch(/^\s+numHistoryShards: 4$/m);
    expect(compose.services.temporal?.environment).toMatchObject({ POSTGRES_HOST: 'postgresql' });
    expect(compose.services['temporal-ui']?.environment).toMatchObject({ TEMPORAL_ADDRESS: 'temporal:7233' });
    expect(compose.services.mailpit?.image).toMatch(/mailpit/);
  });

  it('builds the UI server of the version it runs (dev/temporal-ui/go.mod)', () => {
    const goMod = readFileSync(join(root, 'dev', 'temporal-ui', 'go.mod'), 'utf8');
    expect(goMod).toContain(`github.com/temporalio/ui-server/v2 ${temporalUiVersion}`);
  });

  it.each(['worker', 'api', 'setup', 'mail-in'])('gives %s TEMPORAL_ADDRESS and SMTP_URL pointing at services that exist', (name) => {
    const service = compose.services[name]!;
    expect(service.build).toBe('.');
    const env = service.environment!;
    const temporalHost = String(env.TEMPORAL_ADDRESS).split(':')[0]!;
    const smtpHost = new URL(String(env.SMTP_URL)).hostname;
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining([temporalHost, smtpHost]));
  });

  it('starts the compiled processes the Dockerfile builds', () => {
    expect(existsSync(join(root, 'Dockerfile'))).toBe(true);
    expect(readFileSync(join(root, 'Dockerfile'), 'utf8')).toContain('npm run build');
    expect(compose.services.worker?.command).toEqual(['node', 'dist/worker/main.js']);
    expect(compose.services.api?.command).toEqual(['node', 'dist/api/main.js']);
    expect(compose.services['mail-in']?.command).toEqual(['node', 'dist/mail-in/main.js']);
    for (const script of ['worker/main.ts', 'api/main.ts', 'mail-in/main.ts', 'config/setup-temporal.ts']) expect(existsSync(join(root, script))).toBe(true);
  });
});
