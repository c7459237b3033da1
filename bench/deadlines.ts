// `npm run bench:deadlines [-- N]`: N (default 10,000) batch requests through the real
// `klachtflow deadlines --batch` process, as a user runs it; prints the wall time.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const n = Number(process.argv[2] ?? 10_000);
const procedures = ['gooiconsult', 'babbage', 'studijob', 'klassewerk', 'thuiswerkdesk'];
// A fixed pseudo-random sequence: the same input every run.
let seed = 42;
const next = (max: number): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % max;

const lines: string[] = [];
for (let i = 0; i < n; i++) {
  const at = new Date(Date.UTC(2026, 0, 1) + next(3 * 365 * 24) * 3_600_000).toISOString();
  lines.push(JSON.stringify({ procedure: procedures[i % procedures.length], receivedAt: at, positionSentAt: at, appealFiledAt: at, closedAt: at }));
}
const input = lines.join('\n') + '\n';

const bin = join(__dirname, '..', 'bin', 'klachtflow.cjs');
const started = process.hrtime.bigint();
const result = spawnSync(process.execPath, [bin, 'deadlines', '--batch'], { input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
const ms = Number(process.hrtime.bigint() - started) / 1e6;
if (result.status !== 0) {
  console.error(result.stderr);
  process.exit(1);
}
const out = result.stdout.trim().split('\n');
const errors = out.filter((l) => l.startsWith('{"error"')).length;
console.log(`klachtflow deadlines --batch: ${n} requests in ${(ms / 1000).toFixed(2)} s (${Math.round(n / (ms / 1000))} /s, process start included), ${out.length} results, ${errors} errors`);
if (out.length !== n || errors) process.exit(1);
