// `npm run record:histories`: runs the main paths on the time-skipping server and stores
// their histories as JSON under test/replay/histories/, named after the workflow version
// they were recorded with. Record anew for each release; keep the old files: replaying
// them is what proves a workflow change is safe for complaints already running.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ComplaintInput } from '../../domain/complaint';
import {
  addInvolvedUpdate,
  assignUpdate,
  closeUpdate,
  decideAppealUpdate,
  dossierQuery,
  extendTermUpdate,
  fileAppealUpdate,
  logContactUpdate,
  recordCauseUpdate,
  recordExternalOutcomeUpdate,
  recordExternalReferralUpdate,
  respondSatisfactionUpdate,
  scheduleHearingUpdate,
  sendPositionUpdate,
  taskQueue,
  withdrawUpdate,
} from '../../domain/messages';
import { addDays, amsterdam, quietMonday, skipTo } from '../support/clock';
import { workflowIdFor } from '../../domain/reference';
import { workflowsPath } from '../../worker/worker';
import type { complaintWorkflow } from '../../workflows';
import { complaintInput } from '../support/complaints';
import { MailSink } from '../support/mail-sink';
import { timeSkippingEnvironment } from '../support/temporal';
import { startTestWorker } from '../support/worker';

const version = process.argv[2] ?? 'v0.1';
interface Scenario {
  input: (env: TestWorkflowEnvironment) => Promise<Partial<ComplaintInput>>;
  run: (handle: WorkflowHandle<typeof complaintWorkflow>, env: TestWorkflowEnvironment, input: ComplaintInput) => Promise<void>;
}
const mondayOf = (input: ComplaintInput): string => input.receivedAt.slice(0, 10);
const scenarios: Record<string, Scenario> = {
  'receipt-then-withdrawn': {
    input: () => Promise.resolve({}),
    run: async (handle, env) => {
      await env.sleep('3 days');
      await handle.query(dossierQuery);
      await handle.executeUpdate(closeUpdate, { args: [{ outcome: 'withdrawn', text: 'opgelost per telefoon' }] });
    },
  },
  'babbage-first-contact-breached': {
    input: async (env) => ({ procedure: 'babbage', receivedAt: amsterdam(await quietMonday(env), '10:00') }),
    run: async (handle, env, input) => {
      await skipTo(env, amsterdam(addDays(mondayOf(input), 4), '10:00'));
      await handle.executeUpdate(closeUpdate, { args: [{ outcome: 'withdrawn' }] });
    },
  },
  'babbage-assigned-and-called': {
    input: async (env) => ({ procedure: 'babbage', receivedAt: amsterdam(await quietMonday(env), '10:00') }),
    run: async (handle, env, input) => {
      await handle.executeUpdate(addInvolvedUpdate, { args: [{ name: 'Henk Handler', staffId: 'henk', by: 'mira' }] });
      await handle.executeUpdate(assignUpdate, { args: [{ handler: 'hanna', by: 'mira' }] });
      await skipTo(env, amsterdam(addDays(mondayOf(input), 1), '08:00'));
      await handle.executeUpdate(logContactUpdate, { args: [{ channel: 'phone', summary: 'gebeld', by: 'hanna' }] });
      await skipTo(env, amsterdam(addDays(mondayOf(input), 9), '10:00'));
      await handle.executeUpdate(closeUpdate, { args: [{ outcome: 'satisfied' }] });
    },
  },
  'gooiconsult-position-satisfied': {
    input: async (env) => ({ procedure: 'gooiconsult', receivedAt: amsterdam(await quietMonday(env), '10:00') }),
    run: async (handle, env, input) => {
      await skipTo(env, amsterdam(addDays(mondayOf(input), 2), '14:00'));
      await handle.executeUpdate(sendPositionUpdate, { args: [{ text: 'Standpunt', solution: 'Creditnota', by: 'hanna' }] });
      await skipTo(env, amsterdam(addDays(mondayOf(input), 3), '09:30'));
      await handle.executeUpdate(respondSatisfactionUpdate, { args: [{ satisfied: true }] });
    },
  },
  'gooiconsult-position-no-response': {
    input: async (env) => ({ procedure: 'gooiconsult', receivedAt: amsterdam(await quietMonday(env), '10:00') }),
    run: async (handle, env, input) => {
      await skipTo(env, amsterdam(addDays(mondayOf(input), 1), '10:00'));
      await handle.executeUpdate(sendPositionUpdate, { args: [{ text: 'Standpunt', by: 'hanna' }] });
    },
  },
  // v0.6: delay notices, appeal levels, hearings, external bodies.
  'gooiconsult-delay-then-committee': {
    input: async (env) => ({ procedure: 'gooiconsult', receivedAt: amsterdam(await quietMonday(env, 35), '10:00') }),
    run: async (handle, env, input) => {
      const monday = mondayOf(input);
      await skipTo(env, amsterdam(addDays(monday, 15), '10:00'));
      await handle.executeUpdate(extendTermUpdate, { args: [{ term: 'maxLeadTime', newDate: addDays(monday, 28), reason: 'Stukken ontbreken', by: 'hanna' }] });
      await skipTo(env, amsterdam(addDays(monday, 26), '10:00'));
      await handle.executeUpdate(sendPositionUpdate, { args: [{ text: 'Standpunt', by: 'hanna' }] });
      await handle.executeUpdate(respondSatisfactionUpdate, { args: [{ satisfied: false }] });
      await handle.executeUpdate(fileAppealUpdate, { args: [{ grounds: 'Naar de commissie' }] });
      await handle.executeUpdate(recordExternalReferralUpdate, { args: [{ level: 1, caseNumber: 'NRTO-1', by: 'mira' }] });
      await handle.executeUpdate(recordExternalOutcomeUpdate, { args: [{ level: 1, outcome: 'rejected', text: 'Ongegrond', by: 'mira' }] });
    },
  },
  'klassewerk-director-hearing-committee': {
    input: async (env) => ({ procedure: 'klassewerk', receivedAt: amsterdam(await quietMonday(env, 70), '10:00') }),
    run: async (handle, env, input) => {
      const monday = mondayOf(input);
      await skipTo(env, amsterdam(addDays(monday, 2), '10:00'));
      await handle.executeUpdate(sendPositionUpdate, { args: [{ text: 'Standpunt', by: 'mira' }] });
      await handle.executeUpdate(fileAppealUpdate, { args: [{ grounds: 'Oneens' }] });
      await handle.executeUpdate(scheduleHearingUpdate, { args: [{ at: amsterdam(addDays(monday, 9), '14:00'), mode: 'in-person', level: 1, by: 'mira' }] });
      await skipTo(env, amsterdam(addDays(monday, 14), '10:00'));
      await handle.executeUpdate(decideAppealUpdate, { args: [{ level: 1, decision: 'rejected', text: 'Ongegrond', by: 'mira' }] });
      await handle.executeUpdate(fileAppealUpdate, { args: [{ grounds: 'Naar de commissie' }] });
      await handle.executeUpdate(recordExternalOutcomeUpdate, { args: [{ level: 2, outcome: 'upheld', text: 'Gegrond', by: 'mira' }] });
    },
  },
  'studijob-level-window-closes': {
    input: async (env) => ({ procedure: 'studijob', receivedAt: amsterdam(await quietMonday(env, 42), '10:00') }),
    run: async (handle, env, input) => {
      const monday = mondayOf(input);
      await skipTo(env, amsterdam(addDays(monday, 2), '10:00'));
      await handle.executeUpdate(recordCauseUpdate, { args: [{ cause: 'Oorzaak', measures: 'Maatregel', by: 'hanna' }] });
      await handle.executeUpdate(sendPositionUpdate, { args: [{ text: 'Standpunt', by: 'hanna' }] });
      await handle.executeUpdate(fileAppealUpdate, { args: [{ grounds: 'Oneens' }] });
      await handle.executeUpdate(decideAppealUpdate, { args: [{ level: 1, decision: 'rejected', text: 'Ongegrond', by: 'mira' }] });
      await skipTo(env, amsterdam(addDays(monday, 20), '10:00'));
    },
  },
  'babbage-hearing-then-withdrawn': {
    input: async (env) => ({ procedure: 'babbage', receivedAt: amsterdam(await quietMonday(env), '10:00') }),
    run: async (handle, env, input) => {
      const monday = mondayOf(input);
      await handle.executeUpdate(scheduleHearingUpdate, { args: [{ at: amsterdam(addDays(monday, 3), '15:00'), mode: 'teams', by: 'hanna' }] });
      await skipTo(env, amsterdam(addDays(monday, 4), '10:00'));
      await handle.executeUpdate(withdrawUpdate, { args: [{ reason: 'Opgelost in het gesprek' }] });
    },
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
        const input = complaintInput({ reference: 'KL-2026-REPLAY', ...(await scenario.input(env)) });
        // Filed at the moment of receipt, as the API does.
        await skipTo(env, input.receivedAt);
        const handle = await env.client.workflow.start<typeof complaintWorkflow>('complaintWorkflow', {
          taskQueue,
          workflowId: `${workflowIdFor(input.reference)}-${name}`,
          args: [input],
        });
        await mail.waitFor((m) => m.subject?.includes(input.reference) ?? false);
        await scenario.run(handle, env, input);
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
