// klachtflow's own processes (`worker/main.ts`, `api/main.ts`) started as production starts them:
// separate Node processes, configured by their environment, stopped (or killed) by their PID.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

export interface Service {
  readonly pid: number;
  /** Every line it wrote to stdout (its JSON log). */
  readonly lines: string[];
  /** What it wrote to stderr (the Temporal SDK's log, activities' own included). */
  stderr(): string;
  /** SIGTERM and wait (a clean stop), or SIGKILL (a crash). */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

/**
 * Starts `node [nodeArgs] --import tsx <script>` in the checkout and waits until it logs `ready`;
 * a process that exits first, or does not get there in a minute, fails with what it said.
 */
export async function startService(script: string, env: NodeJS.ProcessEnv, options: { ready: string; nodeArgs?: string[] }): Promise<Service> {
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', script], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    lines.push(...parts);
  });
  // The SDK's own log goes to stderr: kept, and shown only if the process fails to start.
  const errors: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (let i = 0; i < 600 && child.exitCode === null && !lines.some((l) => l.includes(options.ready)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!lines.some((l) => l.includes(options.ready))) {
    child.kill('SIGKILL');
    throw new Error(`${script} did not start:\n${lines.join('\n')}\n${errors.join('').slice(-4000)}`);
  }
  return {
    pid: child.pid!,
    lines,
    stderr: () => errors.join(''),
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
