import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
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
  workflows?: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'>;
}

export function createComplaintWorker(options: ComplaintWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue,
    activities: options.activities,
    ...(options.workflows ?? workflowSource()),
  });
}
