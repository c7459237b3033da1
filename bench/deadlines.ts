// `npm run bench:deadlines [-- N]`: N (default 10,000) batch requests through the real
// `klachtflow deadlines --batch` process, as a user runs it; prints the wall time. Also one
// part of `npm run bench`.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export interface DeadlinesBatchResult {
  requests: number;
  seconds: number;
  perSecond: number;
  errors: number;
}

/** The same N requests every run (a fixed pseudo-random sequence), through a fresh process. */
export function runDeadlinesBatch(n: number): DeadlinesBatchResult {
  const procedures = ['gooiconsult', 'babbage', 'studijob', 'klassewerk', 'thuiswerkdesk'];
  let seed = 42;
  const next = (max: number): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % max;
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const at = new Date(Date.UTC(2026, 0, 1) + next(3 * 365 * 24) * 3_600_000).toISOString();
    lines.push(JSON.stringify({ procedure: procedures[i % procedures.length], receivedAt: at, positionSentAt: at, appealFiledAt: at, closedAt: at }));
  }
  const bin = join(__dirname, '..', 'bin', 'klachtflow.cjs');
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [bin, 'deadlines', '--batch'], { input: lines.join('\n') + '\n', encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`klachtflow deadlines --batch failed: ${result.stderr}`);
  const out = result.stdout.trim().split('\n');
  const errors = out.filter((l) => l.startsWith('{"error"')).length + Math.abs(out.length - n);
  return { requests: n, seconds, perSecond: Math.round(n / seconds), errors };
}

if (require.main === module) {
  const result = runDeadlinesBatch(Number(process.argv[2] ?? 10_000));
  console.log(
    `klachtflow deadlines --batch: ${result.requests} requests in ${result.seconds.toFixed(2)} s (${result.perSecond} /s, process start included), ${result.errors} errors`,
  );
  if (result.errors) process.exit(1);
}
