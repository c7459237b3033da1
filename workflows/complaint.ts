// One complaint, from receipt to destruction (SPEC §4): the story. The state is in ./state.ts,
// the clocks in ./clocks.ts, what actions do in ./actions/, every e-mail in ./effects.ts.
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { AttachmentActivities } from '../activities/attachments';
import type { DeadlineActivities } from '../activities/deadlines';
import type { ComplaintInput } from '../domain/complaint';
import { destructionEntry } from '../domain/destruction';
import { attachmentsOf, complainantView } from '../domain/dossier';
import { dossierQuery } from '../domain/messages';
import type { ComplaintOutcome } from '../domain/vocabulary';
import { handleActions } from './actions';
import { runClocks } from './clocks';
import { mailer } from './effects';
import { destructions } from './destructions';
import { deliverOutbox } from './outbox';
import { type Carried, ComplaintState } from './state';

const deadlines = proxyLocalActivities<DeadlineActivities>({ startToCloseTimeout: '10 seconds' });
const files = proxyActivities<AttachmentActivities>({ startToCloseTimeout: '1 minute', retry: { maximumInterval: '10 minutes' } });

/** A complaint starts from its intake, or (continued as new) from where the previous run left it. */
export type ComplaintStart = ComplaintInput | { resume: Carried };

/** What the workflow returns: nothing personal, nothing large. */
export interface ComplaintResult {
  reference: string;
  outcome?: ComplaintOutcome;
  closedAt?: string;
  destroyOn?: string;
}

/**
 * A run's history is bounded: it continues as new when Temporal suggests it, or at these
 * bounds on servers that do not suggest (the state travels: every fact, term and queued e-mail).
 */
export const historyBounds = { events: 2_000, bytes: 4 * 1024 * 1024 };
const historyFull = (events: number): boolean => {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= events || info.historySize >= historyBounds.bytes;
};

/** Since 1.1 the register's fields are in the memo; a complaint that started earlier keeps its history's commands until it moves on. */
function registerMemo(fields: Record<string, unknown>): void {
  if (patched('register-memo')) upsertMemo(fields);
}

export async function complaintWorkflow(start: ComplaintStart): Promise<ComplaintResult> {
  const hooks = { now: () => Date.now(), upsert: upsertSearchAttributes, memo: registerMemo, details: setCurrentDetails, nextInMemo: () => patched('memo-next-term'), serviceNorms: () => patched('service-norms') };
  const state = 'resume' in start ? ComplaintState.resume(start.resume, hooks) : ComplaintState.received(start, hooks);
  const mail = mailer(state);
  // Handlers first, so that a query or an update in the first task finds them.
  setHandler(dossierQuery, (options) => (options?.view === 'complainant' ? complainantView(state.dossier) : state.dossier));
  handleActions(state, { mail, deadlines });

  if (!('resume' in start)) {
    // The terms that run from receipt, the rules and the route are fixed now: a later holiday
    // list or procedure edit never moves a date already told to the complainant.
    const facts = await deadlines.intake({ procedure: start.procedure, receivedAt: start.receivedAt });
    state.open(facts);
    mail.receipt();
    mail.newComplaint(facts.rules.notifyManagerOnReceipt);
  }
  state.sync();

  let halting = false;
  const deliver = () => Promise.all([deliverOutbox(state, 'complainant', mail, () => halting), deliverOutbox(state, 'staff', mail, () => halting)]);
  let outbox = deliver();
  let continuing = false;
  const budget = state.historyBudget ?? historyBounds.events;
  const { dossier } = state;
  // Once round, or again for each reopening of the closed complaint (since 1.6).
  for (;;) {
    await runClocks(state, mail, () => (continuing = historyFull(budget)), deadlines);
    if (continuing && !state.closed) {
      halting = true;
      await outbox;
      await condition(allHandlersFinished);
      return continueAsNew<typeof complaintWorkflow>({ resume: state.carry() });
    }

    // Closed: the closure e-mail, the destroy date, and the dossier kept (queries answer, every
    // action is refused) until the history must be gone by the destroy date.
    await condition(allHandlersFinished);
    mail.closure();
    const destroy = await deadlines.destroyDate({ procedure: dossier.procedure, receivedAt: dossier.receivedAt, closedAt: dossier.closedAt! });
    dossier.destroyOn = destroy.date;
    state.record('klachtflow', 'destroy-scheduled', { detail: destroy.date, internal: true });
    // Since 1.6, where the procedure reopens: the last day the complainant may ask.
    const reopening = dossier.rules.reopening;
    if (reopening && patched('reopening')) dossier.reopenBy = (await deadlines.reopenBy({ procedure: dossier.procedure, closedAt: dossier.closedAt!, afterClosure: reopening.afterClosure })).date;
    state.sync();
    await condition(() => state.outbox.length === 0);
    halting = true;
    await outbox;
    state.describe(`${dossier.procedure} · closed (${dossier.outcome}) · destroy on ${destroy.date}`);
    // The retention, until the destroy date or a director's destroyEarly. An e-mail queued meanwhile
    // (staff revoked the links: the new one) goes out, and the wait goes on; a reopening ends it.
    const destroyAt = Date.parse(destroy.completeAt);
    const retention = { summary: `retention: history deleted by the destroy date ${destroy.date}` };
    const mailQueued = () => state.outbox.length > 0;
    while (!dossier.destroyedEarly && Date.now() < destroyAt) {
      const woken = await condition(() => dossier.destroyedEarly !== undefined || mailQueued() || state.reopenedAfterClosure, destroyAt - Date.now(), retention);
      if (!woken || dossier.destroyedEarly || state.reopenedAfterClosure || !mailQueued()) break;
      // Since 1.2: no earlier history reaches this point (nothing could queue an e-mail after closure).
      patched('mail-in-retention');
      halting = false;
      const lanes = deliver();
      await condition(() => !mailQueued() || dossier.destroyedEarly !== undefined, Math.max(1, destroyAt - Date.now()), retention);
      halting = true;
      await lanes;
    }
    if (!state.reopenedAfterClosure) break;
    // Reopened (./reopening.ts): the e-mails flow and the clocks run again.
    state.reopenedAfterClosure = false;
    halting = false;
    outbox = deliver();
  }
  await condition(allHandlersFinished);
  // Since 1.5 the files of its attachments go with the dossier (no earlier complaint has any).
  const kept = attachmentsOf(dossier).flatMap((a) => (a.id ? [a.id] : []));
  if (kept.length && patched('attachments-destroyed')) await files.destroyAttachments({ ids: kept });
  // Since 1.2 the complaint's line goes to its month's destruction log before its history goes.
  if (patched('destruction-log')) await destructions.recordDestruction(destructionEntry(dossier));
  return { reference: dossier.reference, outcome: dossier.outcome, closedAt: dossier.closedAt, destroyOn: dossier.destroyOn };
}
