import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowHandle } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { type ActionName, audienceOf, type BodyOf, updateOf } from '../../domain/actions';
import type { ComplaintInput } from '../../domain/complaint';
import type { Dossier } from '../../domain/dossier';
import type { Procedure } from '../../domain/procedure';
import { dossierQuery, taskQueue } from '../../domain/messages';
import { workflowIdFor } from '../../domain/reference';
import type { RefusalCode } from '../../domain/refusals';
import type { Actor } from '../../domain/vocabulary';
import { complaintWorkflow } from '../../workflows';
import { skipTo } from './clock';
import { complaintInput } from './complaints';
import { MailSink } from './mail-sink';
import { testKeyRing, timeSkippingEnvironment } from './temporal';
import { startTestWorker, testStaff } from './worker';

export type Handle = WorkflowHandle<typeof complaintWorkflow>;

/** A refused update rejects with the refusal's code as the failure type, and its data as the details. */
export const refusal = (code: RefusalCode, data: Record<string, unknown> = {}) => ({ cause: { type: code, details: [expect.objectContaining(data)] } });

/** A test staff member as an actor, with the roles the staff file gives them. */
export function staff(id: 'hanna' | 'henk' | 'mira'): Actor {
  return { kind: 'staff', id, roles: testStaff.find((m) => m.id === id)!.roles };
}
export const complainant: Actor = { kind: 'complainant' };

/** Takes an action through its update (the complainant's by the complainant, staff's by Mira unless told), and answers with its small result. */
export function act<K extends ActionName>(handle: Handle, name: K, input: BodyOf<K>, actor: Actor = audienceOf(name) === 'complainant' ? complainant : staff('mira')) {
  return handle.executeUpdate(updateOf(name), { args: [{ actor, input }] });
}

/** Takes an action and reads the dossier after it. */
export async function actAndRead<K extends ActionName>(handle: Handle, name: K, input: BodyOf<K>, actor?: Actor): Promise<Dossier> {
  await act(handle, name, input, actor);
  return handle.query(dossierQuery);
}

/**
 * One time-skipping server, SMTP sink and running worker for a test file (registered with
 * beforeAll/afterAll), and `start`, which files a complaint and waits for its receipt e-mail.
 */
export function workflowHarness(options: { procedures?: ReadonlyMap<string, Procedure> } = {}) {
  let env: TestWorkflowEnvironment;
  let mail: MailSink;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    [env, mail] = await Promise.all([timeSkippingEnvironment(), MailSink.start()]);
    worker = await startTestWorker(env.nativeConnection, 'default', mail.url, testKeyRing, options.procedures ? { procedures: options.procedures } : {});
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
      const input = complaintInput({ reference, ...overrides });
      const handle = await env.client.workflow.start(complaintWorkflow, { taskQueue, workflowId: workflowIdFor(reference), args: [input] });
      // Without an e-mail address the receipt is a letter, ready to post.
      if (!input.complainant.email) {
        await this.until(handle, (d) => d.correspondence.some((c) => c.step === 'receipt' && c.status === 'to-post'));
        return handle;
      }
      await mail.waitFor((m) => m.subject === `Ontvangstbevestiging van uw klacht [${reference}]`);
      // The e-mail arrives before the activity's completion reaches the workflow.
      await this.until(handle, (d) => d.timeline.some((e) => e.event === 'receipt-sent'));
      return handle;
    },
    /** The e-mail with this subject about this complaint (a subject can repeat across complaints and levels). */
    mailAbout(reference: string, subject: string) {
      return mail.waitFor((m) => m.subject === subject && (m.text ?? '').includes(reference));
    },
    /** The dossier once `predicate` holds, polled in real time (a workflow task takes milliseconds after the event that causes it). */
    async until(handle: Handle, predicate: (dossier: Dossier) => boolean, timeoutMs = 10_000): Promise<Dossier> {
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
