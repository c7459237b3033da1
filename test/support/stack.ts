import { Client, type WorkflowClientInterceptor } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { startTestApi } from './api';
import { MailSink } from './mail-sink';
import { devServerEnvironment, testClientOptions, testKeyRing } from './temporal';
import { startTestWorker } from './worker';

/**
 * A real dev server, SMTP sink, worker and API for a test file (registered with
 * beforeAll/afterAll): what the API tests, the intake end-to-end test and the fuzzer run against.
 */
export function devStack(options: Parameters<typeof startTestApi>[1] & { clientInterceptors?: WorkflowClientInterceptor[] } = {}) {
  let env: TestWorkflowEnvironment;
  let mail: MailSink;
  let worker: Worker;
  let running: Promise<void>;
  let api: Awaited<ReturnType<typeof startTestApi>>;

  beforeAll(async () => {
    [env, mail] = await Promise.all([devServerEnvironment(), MailSink.start()]);
    worker = await startTestWorker(env.nativeConnection, env.namespace ?? 'default', mail.url, testKeyRing, options.attachments ? { attachments: options.attachments } : {});
    running = worker.run();
    const client = options.clientInterceptors
      ? new Client({ connection: env.connection, namespace: env.namespace ?? 'default', ...testClientOptions, interceptors: { workflow: options.clientInterceptors } })
      : env.client;
    api = await startTestApi(client, options);
  });
  afterAll(async () => {
    await api?.stop();
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
    get api(): Awaited<ReturnType<typeof startTestApi>> {
      return api;
    },
  };
}
