import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

// No Docker engine runs here, so the production shape is checked as data: the services the
// README promises exist, and the worker and API are wired to Temporal and SMTP.
const root = join(__dirname, '..', '..');
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { image?: string; build?: unknown; environment?: Record<string, unknown>; command?: string[] }>;
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

  it('runs Temporal on PostgreSQL, the Temporal UI and a mail catcher', () => {
    expect(compose.services.temporal?.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
    expect(compose.services['temporal-ui']?.environment).toMatchObject({ TEMPORAL_ADDRESS: 'temporal:7233' });
    expect(compose.services.mailpit?.image).toMatch(/mailpit/);
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
