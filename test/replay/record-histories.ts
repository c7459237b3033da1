// `npm run record:histories -- <version>`: runs the main paths of every seed procedure on the
// time-skipping server and stores their histories as JSON under test/replay/histories/, named
// after the workflow version they were recorded with. Record anew for each release; keep the
// old files: replaying them is what proves a workflow change is safe for complaints running.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { bundleWorkflowCode } from '@temporalio/worker';
import { failureConverterPath } from '../../codec';
import type { ComplaintInput } from '../../domain/complaint';
import { destructionLogId, monthOf } from '../../domain/destruction';
import { dossierQuery, taskQueue } from '../../domain/messages';
import { workflowIdFor } from '../../domain/reference';
import { workflowsPath } from '../../worker/worker';
import { type complaintWorkflow, dossierLinkWorkflow, destructionStatementWorkflow } from '../../workflows';
import { addDays, amsterdam, quietMonday, skipTo } from '../support/clock';
import { complaintInput } from '../support/complaints';
import { act, type Handle, staff } from '../support/harness';
import { MailSink } from '../support/mail-sink';
import { testKeyRing, timeSkippingEnvironment } from '../support/temporal';
import { procedureSchema } from '../../domain/procedure';
import { procedures, startTestWorker } from '../support/worker';

const version = process.argv[2] ?? 'v1.0';
/** Gooiconsult with reopening (1.6): no seed procedure has it. */
const reopening = procedureSchema.parse({ ...procedures.get('gooiconsult')!, id: 'gooiconsult-reopen', reopening: { afterClosure: { within: 10, unit: 'workingDays' } } });
const hanna = staff('hanna');

/** The days of a path, counted from the Monday its complaint came in. */
interface Days {
  /** Skips the server's clock to a time on a day. */
  at: (day: number, time: string) => Promise<void>;
  date: (day: number) => string;
  instant: (day: number, time: string) => string;
}

interface Scenario {
  procedure: string;
  input?: Partial<ComplaintInput>;
  /** How many quiet days (no holiday) the path needs after its Monday. */
  quietDays?: number;
  run: (handle: Handle, days: Days, mail: MailSink) => Promise<void>;
}

const scenarios: Record<string, Scenario> = {
  'gooiconsult-position-satisfied': {
    procedure: 'gooiconsult',
    run: async (h, { at }) => {
      await at(2, '14:00');
      await act(h, 'sendPosition', { text: 'Standpunt', solution: 'Creditnota' }, hanna);
      await at(3, '09:30');
      await act(h, 'respondSatisfaction', { satisfied: true });
    },
  },
  'gooiconsult-delay-notice-no-response': {
    procedure: 'gooiconsult',
    quietDays: 56,
    run: async (h, { at, date }) => {
      await act(h, 'assign', { handler: 'hanna' });
      await at(15, '10:00');
      await act(h, 'extendTerm', { term: 'maxLeadTime', newDate: date(28), reason: 'Stukken ontbreken' }, hanna);
      await at(25, '10:00');
      await act(h, 'sendPosition', { text: 'Standpunt' }, hanna);
      // Unanswered: one reminder, then closed as no_response.
      await at(55, '10:00');
    },
  },
  'gooiconsult-committee': {
    procedure: 'gooiconsult',
    run: async (h, { at }) => {
      await at(1, '10:00');
      await act(h, 'sendPosition', { text: 'Standpunt' }, hanna);
      await act(h, 'respondSatisfaction', { satisfied: false, comment: 'Te weinig' });
      await act(h, 'fileAppeal', { grounds: 'Naar de commissie' });
      await act(h, 'recordExternalReferral', { level: 1, caseNumber: 'NRTO-1' });
      await act(h, 'recordExternalOutcome', { level: 1, outcome: 'rejected', text: 'Ongegrond' });
    },
  },
  'babbage-hearing-mediator': {
    procedure: 'babbage',
    run: async (h, { at, instant }) => {
      await act(h, 'addInvolved', { name: 'Henk Handler', staffId: 'henk', role: 'consultant' });
      await act(h, 'assign', { handler: 'hanna' });
      await at(1, '09:00');
      await act(h, 'logContact', { channel: 'phone', summary: 'Gebeld' }, hanna);
      await act(h, 'scheduleHearing', { at: instant(3, '15:00'), mode: 'teams', attendees: ['Hanna Handler'] }, hanna);
      await at(2, '10:00');
      await act(h, 'sendPosition', { text: 'Standpunt', agreements: 'Nieuwe planning', hearingSkipped: 'Opgelost aan de telefoon' }, hanna);
      await act(h, 'respondSatisfaction', { satisfied: false });
      await act(h, 'fileAppeal', { grounds: 'Mediator graag' });
      await act(h, 'recordExternalOutcome', { level: 1, outcome: 'settled', text: 'Regeling' });
    },
  },
  'babbage-breached-withdrawal-recorded': {
    procedure: 'babbage',
    run: async (h, { at, instant }) => {
      await at(4, '10:00');
      await act(h, 'recordWithdrawal', { channel: 'phone', receivedAt: instant(4, '09:45'), statement: 'Ik trek hem in' }, hanna);
    },
  },
  'studijob-two-levels': {
    procedure: 'studijob',
    input: { complainant: { name: 'Sam', email: 'sam@example.nl', type: 'uitzendkracht' } },
    run: async (h, { at }) => {
      await at(2, '10:00');
      await act(h, 'recordCause', { cause: 'Oorzaak', measures: 'Maatregel', communicatedHow: 'In het teamoverleg', communicatedOn: '2026-06-01' }, hanna);
      await act(h, 'sendPosition', { text: 'Standpunt' }, hanna);
      await act(h, 'fileAppeal', { grounds: 'Oneens' });
      await act(h, 'decideAppeal', { level: 1, decision: 'rejected', text: 'Ongegrond' });
      await act(h, 'fileAppeal', { grounds: 'Naar de directie' });
      await act(h, 'decideAppeal', { level: 2, decision: 'partly-upheld', text: 'Deels' });
    },
  },
  'studijob-level-window-closes': {
    procedure: 'studijob',
    input: { complainant: { name: 'Sam', email: 'sam@example.nl', type: 'opdrachtgever' } },
    quietDays: 42,
    run: async (h, { at }) => {
      await at(2, '10:00');
      await act(h, 'sendPosition', { text: 'Standpunt' }, hanna);
      await act(h, 'fileAppeal', { grounds: 'Oneens' });
      await act(h, 'decideAppeal', { level: 1, decision: 'rejected', text: 'Ongegrond' });
      await at(20, '10:00');
    },
  },
  'klassewerk-director-hearing-committee': {
    procedure: 'klassewerk',
    quietDays: 70,
    run: async (h, { at, instant }) => {
      // Logged at 11:00, the call was at 09:10 (from 1.3, patched 'contact-moment').
      await at(1, '11:00');
      await act(h, 'logContact', { channel: 'phone', summary: 'Gebeld', at: instant(1, '09:10') }, hanna);
      await at(2, '10:00');
      await act(h, 'sendPosition', { text: 'Standpunt' });
      await act(h, 'respondSatisfaction', { satisfied: false });
      await act(h, 'fileAppeal', { grounds: 'Oneens' });
      await act(h, 'scheduleHearing', { at: instant(4, '14:00'), mode: 'in-person', location: 'Utrecht', level: 1 });
      await at(7, '10:00');
      await act(h, 'recordHearing', { hearing: 1, report: 'Toegelicht' });
      await act(h, 'decideAppeal', { level: 1, decision: 'rejected', text: 'Ongegrond' });
      await act(h, 'fileAppeal', { grounds: 'Naar de commissie' });
      await act(h, 'recordExternalOutcome', { level: 2, outcome: 'upheld', text: 'Gegrond' });
    },
  },
  'klassewerk-satisfied-after-decision': {
    procedure: 'klassewerk',
    run: async (h, { at }) => {
      await at(1, '10:00');
      await act(h, 'sendPosition', { text: 'Standpunt' });
      await act(h, 'fileAppeal', { grounds: 'Oneens' });
      await act(h, 'decideAppeal', { level: 1, decision: 'partly-upheld', text: 'Extra dag' });
      await act(h, 'respondSatisfaction', { satisfied: true });
    },
  },
  'klassewerk-unanswered-staff-close': {
    procedure: 'klassewerk',
    quietDays: 56,
    run: async (h, { at }) => {
      await at(1, '10:00');
      await act(h, 'sendPosition', { text: 'Standpunt' });
      await at(40, '10:00');
      await act(h, 'close', { outcome: 'no_response', text: 'Geen gehoor' });
    },
  },
  'thuiswerkdesk-dissatisfied-odr': {
    procedure: 'thuiswerkdesk',
    input: { complainant: { email: 'lisa@example.nl' }, category: 'vacature', whatHappened: 'x', expected: 'y', occurredOn: '2026-11-01' },
    quietDays: 42,
    run: async (h, { at }) => {
      await at(2, '10:00');
      await act(h, 'sendPosition', { text: 'Standpunt' }, hanna);
      await act(h, 'respondSatisfaction', { satisfied: false });
      await at(30, '10:00');
    },
  },
  'gooiconsult-mail-held-and-undeliverable': {
    procedure: 'gooiconsult',
    input: { complainant: { name: 'Bo', email: 'bo@example.nl' } },
    run: async (h, { at, instant }, mail) => {
      await act(h, 'assign', { handler: 'hanna' });
      // Our relay refuses the position for a while: held, retried, sent.
      mail.faults.relayRefuses = 554;
      await at(1, '10:00');
      await act(h, 'sendPosition', { text: 'Standpunt' }, hanna);
      await at(1, '10:10');
      delete mail.faults.relayRefuses;
      await at(1, '11:00');
      // Then the complainant's server refuses the address: the reminder is undelivered, staff decide.
      mail.refuse.set('bo@example.nl', 550);
      await at(30, '10:00');
      mail.refuse.delete('bo@example.nl');
      await act(h, 'recordSatisfaction', { satisfied: true, channel: 'phone', receivedAt: instant(30, '09:45') }, hanna);
    },
  },
  // Since 1.2: links revoked while open and again in retention (the new link mailed then), and a
  // director's destruction before the date.
  'babbage-links-revoked-destroyed-early': {
    procedure: 'babbage',
    run: async (h, { at }, mail) => {
      await act(h, 'revokeLinks', { reason: 'Doorgestuurd' }, hanna);
      await act(h, 'addInformation', { text: 'Met de nieuwe link' }, { kind: 'complainant', link: { generation: 1, scopes: ['view', 'answer', 'withdraw'] } });
      await at(1, '10:00');
      await act(h, 'withdraw', { reason: 'Opgelost' }, { kind: 'complainant', link: { generation: 1, scopes: ['view', 'answer', 'withdraw'] } });
      await at(2, '10:00');
      await act(h, 'revokeLinks', { reason: 'Opnieuw doorgestuurd' }, hanna);
      await mail.waitFor((m) => m.subject?.includes('nieuwe link') === true && m.text?.includes('vernietigd') === true);
      await at(3, '10:00');
      await act(h, 'destroyEarly', { reason: 'Verzoek tot verwijdering' }, { kind: 'staff', id: 'dirk', roles: ['director'] });
    },
  },
  // Since 1.5: a complainant without an e-mail address, registered by phone: letters, posted by staff (patched 'letters').
  'gooiconsult-letters-by-post': {
    procedure: 'gooiconsult',
    input: { channel: 'phone', registeredBy: 'hanna', complainant: { name: 'Els', address: { street: 'Postweg 3', postalCode: '1211 AA', city: 'Hilversum' } } },
    run: async (h, { at, instant }) => {
      const letter = async (step: string) => (await h.query(dossierQuery)).correspondence.findIndex((c) => c.step === step && c.status === 'to-post');
      await at(1, '10:00');
      await act(h, 'markPosted', { letter: await letter('receipt'), at: instant(0, '16:30') }, hanna);
      await act(h, 'sendPosition', { text: 'Standpunt' }, hanna);
      await act(h, 'recordSatisfaction', { satisfied: true, channel: 'letter', receivedAt: instant(1, '10:00') }, hanna);
      for (let i = 0; i < 100 && (await letter('closure')) < 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      await act(h, 'markPosted', { letter: await letter('closure') }, hanna);
    },
  },
  // Since 1.5: e-mails that came in, an answer and an out-of-office (patched 'mail-in').
  'gooiconsult-mail-in': {
    procedure: 'gooiconsult',
    input: {
      channel: 'email',
      mail: { messageId: '<klacht@example.nl>', auth: { spf: 'pass', dkim: 'pass', dmarc: 'pass' } },
      // Kept and refused attachments: the kept one's file goes with the dossier (patched 'attachments-destroyed').
      attachments: [
        { id: '0123456789abcdef0123456789abcdef', name: 'factuur.pdf', type: 'application/pdf', size: 2048 },
        { name: 'setup.exe', type: 'application/octet-stream', size: 4096, refused: 'refused-type' },
      ],
      // Came without the address Gooiconsult needs: the complainant completes it (patched 'complete-details').
      incomplete: ['address'],
    },
    run: async (h, { at, instant }) => {
      const mail = (n: number, automatic: boolean) => ({
        messageId: `<antwoord-${n}@example.nl>`,
        from: 'jan@example.nl',
        subject: 'Re: Ontvangstbevestiging van uw klacht KL-2026-REPLAY',
        text: automatic ? 'Ik ben afwezig' : 'Aanvulling',
        receivedAt: instant(1, '09:00'),
        matchedBy: 'thread' as const,
        automatic,
      });
      await at(1, '09:05');
      await act(h, 'completeDetails', { address: { street: 'Brink 3', postalCode: '1211 AA', city: 'Hilversum' } });
      await act(h, 'receiveMail', mail(1, false), { kind: 'mailbox' });
      await act(h, 'receiveMail', mail(2, true), { kind: 'mailbox' });
      // From another address, naming the reference: staff judge it (patched 'judge-mail').
      await act(h, 'receiveMail', { ...mail(3, false), from: 'partner@elders.nl', matchedBy: 'subject' }, { kind: 'mailbox' });
      const other = (await h.query(dossierQuery)).correspondence.findIndex((c) => c.from?.address === 'partner@elders.nl');
      await act(h, 'judgeMail', { mail: other, belongs: true }, hanna);
      // A delivery status notification for the receipt, later (patched 'mail-bounced').
      const receipt = (await h.query(dossierQuery)).correspondence.find((c) => c.step === 'receipt')!;
      await act(h, 'mailBounced', { messageId: receipt.messageId!, status: '5.1.1' }, { kind: 'mailbox' });
      await act(h, 'sendPosition', { text: 'Standpunt' }, hanna);
      await act(h, 'respondSatisfaction', { satisfied: true });
    },
  },
  // 1.6 (issue 17): a missed aim and agreements in writing; suspensions ended by an answer, by the
  // answer date and by staff; agreements confirmed on request.
  'babbage-aim-missed-agreements': {
    procedure: 'babbage',
    run: async (h, { at, instant }) => {
      await at(1, '11:00');
      await act(h, 'logContact', { channel: 'phone', summary: 'Gebeld', at: instant(1, '09:30'), agreements: 'Nieuwe datum voor de cursus' }, hanna);
      await at(9, '10:00');
      await act(h, 'sendPosition', { text: 'Standpunt' }, hanna);
      await act(h, 'respondSatisfaction', { satisfied: true });
    },
  },
  'gooiconsult-suspended-three-ways': {
    procedure: 'gooiconsult',
    quietDays: 49,
    run: async (h, { at, date }) => {
      await at(6, '10:00');
      await act(h, 'suspend', { question: 'Welke factuur?' }, hanna);
      await at(8, '10:00');
      await act(h, 'addInformation', { text: 'Die van april' });
      await at(9, '10:00');
      await act(h, 'suspend', { question: 'En de offerte?', answerBy: date(11) }, hanna);
      await at(14, '10:00');
      await act(h, 'suspend', { question: 'Nog één vraag' }, hanna);
      await at(15, '10:00');
      await act(h, 'endSuspension', { note: 'Telefonisch beantwoord' }, hanna);
      await act(h, 'sendPosition', { text: 'Standpunt' }, hanna);
      await act(h, 'respondSatisfaction', { satisfied: true });
    },
  },
  'klassewerk-agreements-on-request': {
    procedure: 'klassewerk',
    run: async (h, { at }) => {
      await at(1, '10:00');
      await act(h, 'logContact', { channel: 'phone', summary: 'Opgelost', agreements: 'Training op 12 mei', confirmInWriting: true }, hanna);
      await act(h, 'sendPosition', { text: 'Standpunt' }, hanna);
      await act(h, 'respondSatisfaction', { satisfied: true });
    },
  },
  // 1.6: reopened after "not satisfied" and refused, then closed, asked again and reopened; a
  // procedure with reopening (no seed has it: Gooiconsult's terms, 10 working days after closure).
  'reopening-refused-then-reopened-after-closure': {
    procedure: 'gooiconsult-reopen',
    quietDays: 49,
    run: async (h, { at }) => {
      await at(1, '10:00');
      await act(h, 'sendPosition', { text: 'Standpunt' }, hanna);
      await act(h, 'respondSatisfaction', { satisfied: false });
      await act(h, 'requestReopening', { reason: 'Niet opgelost' });
      await act(h, 'decideReopening', { accept: false, reason: 'Wij blijven erbij' }, hanna);
      await act(h, 'respondSatisfaction', { satisfied: true });
      await at(4, '10:00');
      await act(h, 'requestReopening', { reason: 'Toch weer mis' });
      await act(h, 'decideReopening', { accept: true }, hanna);
      await at(6, '10:00');
      await act(h, 'sendPosition', { text: 'Nieuw standpunt' }, hanna);
      await act(h, 'respondSatisfaction', { satisfied: true });
    },
  },
  'gooiconsult-continued-as-new': {
    procedure: 'gooiconsult',
    input: { historyBudget: 40 },
    run: async (h, { at }) => {
      for (let i = 0; i < 10; i++) await act(h, 'addNote', { text: `notitie ${i}` }, hanna);
      await act(h, 'addInformation', { text: 'Aanvulling' });
      await at(12, '10:00');
      await act(h, 'withdraw', { reason: 'Opgelost' });
    },
  },
};

async function main(): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath, failureConverterPath });

  const bundleDir = join(__dirname, '..', '..', 'dist');
  mkdirSync(bundleDir, { recursive: true });
  process.env.KLACHTFLOW_TEST_WORKFLOW_BUNDLE = join(bundleDir, 'record-bundle.js');
  writeFileSync(process.env.KLACHTFLOW_TEST_WORKFLOW_BUNDLE, code);

  const historiesDir = join(__dirname, 'histories');
  mkdirSync(historiesDir, { recursive: true });
  const [env, mail] = await Promise.all([timeSkippingEnvironment(), MailSink.start()]);
  try {
    const worker = await startTestWorker(env.nativeConnection, 'default', mail.url, testKeyRing, { procedures: new Map([...procedures, ['gooiconsult-reopen', reopening]]) });
    const months = new Set<string>();
    const save = async (workflowId: string, name: string) => {
      const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
      const file = join(historiesDir, `${version}-${name}.json`);
      writeFileSync(file, historyToJSON(history) + '\n');
      console.log(`recorded ${file} (${history.events?.length} events)`);
    };
    await worker.runUntil(async () => {
      for (const [name, scenario] of Object.entries(scenarios)) {
        const monday = await quietMonday(env, scenario.quietDays ?? 35);
        const input = complaintInput({ reference: 'KL-2026-REPLAY', procedure: scenario.procedure, receivedAt: amsterdam(monday, '10:00'), ...scenario.input });
        // Filed at the moment of receipt, as the API does.
        await skipTo(env, input.receivedAt);
        const handle = await env.client.workflow.start<typeof complaintWorkflow>('complaintWorkflow', {
          taskQueue,
          workflowId: `${workflowIdFor(input.reference)}-${name}`,
          args: [input],
        });
        for (let i = 0; i < 100 && !(await handle.query(dossierQuery)).correspondence.some((c) => c.step === 'receipt' && (c.status === 'sent' || c.status === 'to-post')); i++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const instant = (day: number, time: string) => amsterdam(addDays(monday, day), time);
        await scenario.run(handle, { at: (day, time) => skipTo(env, instant(day, time)), date: (day) => addDays(monday, day), instant }, mail);
        const { destroyOn } = await handle.result();
        if (destroyOn) months.add(monthOf(destroyOn));
        // Every run of the complaint: the last of a continued-as-new chain ends it.
        let runId: string | undefined = handle.firstExecutionRunId;
        for (let run = 1; runId; run++) {
          const history = await env.client.workflow.getHandle(handle.workflowId, runId).fetchHistory();
          const file = join(historiesDir, `${version}-${name}${run > 1 ? `-run${run}` : ''}.json`);
          writeFileSync(file, historyToJSON(history) + '\n');
          console.log(`recorded ${file} (${history.events?.length} events)`);
          runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
        }
        mail.messages.length = 0;
      }
      // The month's destruction log the complaints handed their lines to, and that month's statement.
      const month = [...months].sort()[0]!;
      await save(destructionLogId(month), 'destruction-log');
      await env.client.workflow.execute(destructionStatementWorkflow, { taskQueue, workflowId: `statement-${month}`, args: [{ month }] });
      await save(`statement-${month}`, 'destruction-statement');
      // Since 1.6: a dossier link asked for again on /dossier/nieuwe-link, its own short workflow.
      const link = complaintInput({ reference: 'KL-2026-REPLAY', procedure: 'gooiconsult', receivedAt: new Date(await env.currentTimeMs()).toISOString() });
      await env.client.workflow.execute(dossierLinkWorkflow, {
        taskQueue,
        workflowId: 'dossier-link-KL-2026-REPLAY-link-request-replay',
        args: [{ reference: link.reference, procedure: link.procedure, language: 'nl', to: link.complainant.email!, receivedAt: link.receivedAt, step: 'link-request-replay' }],
      });
      await save('dossier-link-KL-2026-REPLAY-link-request-replay', 'dossier-link');
    });
  } finally {
    await Promise.all([env.teardown(), mail.stop()]);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
