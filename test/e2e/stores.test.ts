import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Workers share the sent-mail ledger, and API processes the back office's store, through one
// SQLite file in the data directory. Two processes opening a new file at the same instant (two
// APIs started together, as the cluster suites and a Compose scale-out do) must both get it: one
// once failed with "database is locked". Processes of their own, released at one instant, 5 times.
const root = join(__dirname, '..', '..');
const opener = (module: string, fn: string) => `
  const { ${fn} } = require(${JSON.stringify(join(root, module))});
  const at = Number(process.argv[1]);
  while (Date.now() < at);
  ${fn}(process.argv[2]);
  console.log('opened');
`;

async function openTogether(script: string, file: string, processes: number): Promise<string[]> {
  const at = Date.now() + 1500;
  return Promise.all(
    Array.from({ length: processes }, () => new Promise<string>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '-e', script, String(at), file], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.on('close', () => resolve(out.trim().split('\n').at(-1) ?? ''));
    })),
  );
}

describe('the SQLite files processes share', () => {
  const dir = mkdtempSync(join(tmpdir(), 'klachtflow-stores-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['the back office store', 'api/backoffice/sessions.ts', 'openBackofficeStore'],
    ['the sent-mail ledger', 'activities/sent-ledger.ts', 'openSentLedger'],
  ])('%s opens in three processes at once, a new file each round', async (_name, module, fn) => {
    const results: string[] = [];
    for (let round = 0; round < 5; round++) results.push(...(await openTogether(opener(module, fn), join(dir, `${fn}-${round}.db`), 3)));
    expect(results.filter((r) => r !== 'opened')).toEqual([]);
  }, 60_000);
});
