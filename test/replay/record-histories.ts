// `npm run record:histories`: runs the main paths on the time-skipping server and stores
// their histories as JSON under test/replay/histories/, named after the workflow version
// they were recorded with. Record anew for each release; keep the old files: replaying
// them is what proves a workflow change is safe for complaints already running.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import { closeUpdate, dossierQuery, taskQueue } from '../../domain/messages';
import { workflowIdFor } from '../../domain/reference';
import { workflowsPath } from '../../worker/worker';
import type { complaintWorkflow } from '../../workflows';
import { complaintInput } from '../support/complaints';
import { MailSink } from '../support/mail-sink';
import { timeSkippingEnvironment } from '../support/temporal';
import { startTestWorker } from '../support/worker';

const version = process.argv[2] ?? 'v0.1';
const scenarios: Record<string, (handle: WorkflowHandle<typeof complaintWorkflow>, sleep: (d: string) => Promise<void>) => Promise<void>> = {
  'receipt-then-withdrawn': async (handle, sleep) => {
    await sleep('3 days');
    await handle.query(dossierQuery);
    await handle.executeUpdate(closeUpdate, { args: [{ outcome: 'withdrawn', text: 'opgelost per telefoon' }] });
  },
};

async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath });
  const bundleDir = join(__dirname, '..', '..', 'dist');
  mkdirSync(bundleDir, { recursive: true });
  process.env.KLACHTFLOW_TEST_WORKFLOW_BUNDLE = join(bundleDir, 'record-bundle.js');
  writeFileSync(process.env.KLACHTFLOW_TEST_WORKFLOW_BUNDLE, code);

  const [env, mail] = await Promise.all([timeSkippingEnvironment(), MailSink.start()]);
  try {
    const worker = await startTestWorker(env.nativeConnection, 'default', mail.url);
    await worker.runUntil(async () => {
      for (const [name, scenario] of Object.entries(scenarios)) {
        const input = complaintInput({ reference: 'KL-2026-REPLAY' });
        const handle = await env.client.workflow.start<typeof complaintWorkflow>('complaintWorkflow', {
          taskQueue,
          workflowId: `${workflowIdFor(input.reference)}-${name}`,
          args: [input],
        });
        await mail.waitFor((m) => m.subject?.includes(input.reference) ?? false);
        await scenario(handle, (d) => env.sleep(d));
        await handle.result();
        const file = join(__dirname, 'histories', `${version}-${name}.json`);
        writeFileSync(file, historyToJSON(await handle.fetchHistory()) + '\n');
        console.log(`recorded ${file}`);
        mail.messages.length = 0;
      }
    });
  } finally {
    await Promise.all([env.teardown(), mail.stop()]);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
