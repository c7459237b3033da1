import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { ComplaintInput } from '../../domain/complaint';
import { taskQueue } from '../../domain/messages';
import { workflowIdFor } from '../../domain/reference';
import { complaintWorkflow } from '../../workflows';
import { complaintInput } from './complaints';
import { MailSink } from './mail-sink';
import { timeSkippingEnvironment } from './temporal';
import { startTestWorker } from './worker';

/**
 * One time-skipping server, SMTP sink and running worker for a test file (registered with
 * beforeAll/afterAll), and `start`, which files a complaint and waits for its receipt e-mail.
 */
export function workflowHarness() {
  let env: TestWorkflowEnvironment;
  let mail: MailSink;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    [env, mail] = await Promise.all([timeSkippingEnvironment(), MailSink.start()]);
    worker = await startTestWorker(env.nativeConnection, 'default', mail.url);
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await Promise.all([env?.teardown(), mail?.stop()]);
  });

  return {
    get env(): TestWorkflowEnvironment {
      return env;
    },
    get mail(): MailSink {
      return mail;
    },
    async start(reference: string, overrides: Partial<ComplaintInput>) {
      const handle = await env.client.workflow.start(complaintWorkflow, {
        taskQueue,
        workflowId: workflowIdFor(reference),
        args: [complaintInput({ reference, ...overrides })],
      });
      await mail.waitFor((m) => m.subject === `Ontvangstbevestiging van uw klacht ${reference}`);
      return handle;
    },
  };
}
