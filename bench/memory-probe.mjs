// Preloaded into the benchmark's worker process (`node --import`): on SIGWINCH (the Temporal
// runtime takes SIGUSR2 as a shutdown signal) it prints the
// process's memory as one line, so the benchmark reads heap as well as RSS. Plain JavaScript,
// because the worker's own threads inherit the preload. Not used in production.
import { isMainThread } from 'node:worker_threads';

if (isMainThread) {
  process.on('SIGWINCH', () => {
    process.stdout.write(`KLACHTFLOW_MEMORY ${JSON.stringify(process.memoryUsage())}\n`);
  });
}
