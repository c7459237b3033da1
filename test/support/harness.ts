import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import type { ComplaintInput } from '../../domain/complaint';
import type { Dossier } from '../../domain/dossier';
import { dossierQuery, taskQueue } from '../../domain/messages';
import { workflowIdFor } from '../../domain/reference';
import { complaintWorkflow } from '../../workflows';
import { skipTo } from './clock';
import { complaintInput } from './complaints';
import { MailSink } from './mail-sink';
import { timeSkippingEnvironment } from './temporal';
import { startTestWorker } from './worker';

/** What a refused update rejects with: the validator's sentence. */
export const refusal = (message: string | RegExp) => ({ cause: { message } });

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
      // A complaint is filed at the moment it is received (staff may register one later, never earlier).
      if (overrides.receivedAt) await skipTo(env, overrides.receivedAt);
      const handle = await env.client.workflow.start(complaintWorkflow, {
        taskQueue,
        workflowId: workflowIdFor(reference),
        args: [complaintInput({ reference, ...overrides })],
      });
      await mail.waitFor((m) => m.subject === `Ontvangstbevestiging van uw klacht ${reference}`);
      // The e-mail arrives before the activity's completion reaches the workflow.
      await this.until(handle, (d) => d.timeline.some((e) => e.event === 'receipt-sent'));
      return handle;
    },
    /** The e-mail with this subject about this complaint (a subject can repeat across complaints and levels). */
    mailAbout(reference: string, subject: string) {
      return mail.waitFor((m) => m.subject === subject && (m.text ?? '').includes(reference));
    },
    /** The dossier once `predicate` holds, polled in real time (a workflow task takes milliseconds after the event that causes it). */
    async until(handle: WorkflowHandle<typeof complaintWorkflow>, predicate: (dossier: Dossier) => boolean, timeoutMs = 10_000): Promise<Dossier> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const dossier = await handle.query(dossierQuery);
        if (predicate(dossier)) return dossier;
        if (Date.now() > deadline) throw new Error(`dossier of ${dossier.reference} did not reach the expected state within ${timeoutMs} ms (status ${dossier.status})`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}
