import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { type KeyRing, dataConverter } from '../codec';
import { taskQueue } from '../domain/messages';

// index.ts under tsx, index.js in dist/: whichever this process runs from.
export const workflowsPath = require.resolve('../workflows');

/** A prebuilt bundle (`npm run build`, production) or the workflow sources bundled at start (development). */
export function workflowSource(bundlePath = process.env.KLACHTFLOW_WORKFLOW_BUNDLE): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  return bundlePath ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath };
}

export interface ComplaintWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  activities: object;
  /** The payload codec's keys: everything the worker hands Temporal is encrypted with the newest. */
  keyRing: KeyRing;
  workflows?: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'>;
  /** Workflows kept in memory between their tasks (KLACHTFLOW_WORKER_CACHE). */
  maxCachedWorkflows?: number;
}

/**
 * Complaints wait days between their tasks, so keeping many in memory buys nothing: a complaint
 * out of the cache replays its short history (a few dozen events) when its next timer or action
 * comes. Each cached complaint costs about 2.8 MiB of worker RSS (measured by `npm run bench`),
 * and the SDK's default sizes the cache from the heap limit (about 2,300 on a 24 GiB machine):
 * this bound keeps a worker under 1 GiB however many complaints are open.
 */
export const defaultWorkflowCache = 100;

export function createComplaintWorker(options: ComplaintWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue,
    activities: options.activities,
    maxCachedWorkflows: options.maxCachedWorkflows ?? defaultWorkflowCache,
    dataConverter: dataConverter(options.keyRing),

    ...(options.workflows ?? workflowSource()),
  });
}
