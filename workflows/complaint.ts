import {
  allHandlersFinished,
  condition,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { DeadlineActivities } from '../activities/deadlines';
import type { EmailActivities, StaffTermEmailKind } from '../activities/email';
import {
  addInvolvedSchema,
  assignSchema,
  closeSchema,
  type ComplaintInput,
  type ComplaintOutcome as Outcome,
  addInformationSchema,
  addNoteSchema,
  logContactSchema,
  type ProcedureRules,
  recordCauseSchema,
  respondSatisfactionSchema,
  sendPositionSchema,
  withdrawSchema,
} from '../domain/complaint';
import type { Dossier, TimedTerm } from '../domain/dossier';
import {
  addInformationUpdate,
  addNoteUpdate,
  recordCauseUpdate,
  addInvolvedUpdate,
  assignUpdate,
  closeUpdate,
  dossierQuery,
  logContactUpdate,
  respondSatisfactionUpdate,
  sendPositionUpdate,
  withdrawUpdate,
} from '../domain/messages';
import { parseOrRefuse, refuse } from '../domain/refusal';
import {
  ComplaintCategory,
  ComplaintClosedAt,
  ComplaintDestroyOn,
  ComplaintHandler,
  ComplaintNextDeadline,
  ComplaintOutcome,
  ComplaintOverdue,
  ComplaintProcedure,
  ComplaintReceivedAt,
  ComplaintStatus,
} from '../domain/search-attributes';

const email = proxyActivities<EmailActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes' },
});

const deadlines = proxyLocalActivities<DeadlineActivities>({ startToCloseTimeout: '10 seconds' });

type TermName = keyof Dossier['terms'];
/** Staff alarms on running terms, and the complainant's windows after the position. */
type AlarmKind = StaffTermEmailKind | 'breach' | 'satisfaction-due' | 'windows-closed';
interface Alarm {
  at: number;
  term: TermName;
  kind: AlarmKind;
}

/** One complaint, from receipt to closure (SPEC §4). */
export async function complaintWorkflow(input: ComplaintInput): Promise<Dossier> {
  const dossier: Dossier = {
    reference: input.reference,
    procedure: input.procedure,
    language: input.language,
    status: 'received',
    receivedAt: input.receivedAt,
    involved: [],
    terms: {},
    timeline: [{ at: input.receivedAt, actor: 'complainant', event: 'received', detail: `channel ${input.channel}` }],
    correspondence: [],
  };
  const now = (): string => new Date(Date.now()).toISOString();
  const toComplainant = {
    reference: input.reference,
    procedure: input.procedure,
    language: input.language,
    to: input.complainant.email,
    name: input.complainant.name,
    receivedAt: input.receivedAt,
  };
  /** The running terms with their timers (v0.3); the dossier shows their dates. */
  const timed = new Map<TermName, TimedTerm>();
  const fired = new Set<string>();
  // Bumped by every update, so the timer loop re-plans when a term is met or moved.
  let changes = 0;

  const closeWith = (outcome: Outcome, actor: string, detail?: string): void => {
    const at = now();
    dossier.status = 'closed';
    dossier.outcome = outcome;
    dossier.closedAt = at;
    dossier.timeline.push({ at, actor, event: 'closed', detail: detail ? `${outcome}: ${detail}` : outcome });
    upsertSearchAttributes([
      { key: ComplaintStatus, value: 'closed' },
      { key: ComplaintOutcome, value: outcome },
      { key: ComplaintClosedAt, value: new Date(at) },
    ]);
    changes++;
  };
  const refuseWhenClosed = (action: string): void => {
    if (dossier.status === 'closed') refuse(action, `the complaint was closed on ${dossier.closedAt?.slice(0, 10)}`);
  };
  /** The procedure's rules, fixed at intake (v0.5); none for complaints that started before. */
  let rules: ProcedureRules | undefined;
  /** The complainant's windows after the position: satisfaction and the level-1 appeal. */
  const windows: { satisfaction?: TimedTerm; appeal?: TimedTerm; writtenSatisfactionRequired?: boolean } = {};

  const takeUp = (): void => {
    if (dossier.status !== 'received') return;
    dossier.status = 'in_progress';
    upsertSearchAttributes([{ key: ComplaintStatus, value: 'in_progress' }]);
  };
  const meet = (name: TermName, at: string): void => {
    const term = dossier.terms[name];
    if (!term || term.metAt) return;
    term.metAt = at;
    // Met late is still a breach, and stays on record as one.
    if (!term.breachedAt && Date.parse(at) > Date.parse(term.dueAt)) recordBreach(name, term.dueAt);
    upsertNextDeadline();
  };
  const recordBreach = (name: TermName, at: string): void => {
    dossier.terms[name]!.breachedAt = at;
    dossier.timeline.push({ at, actor: 'klachtflow', event: 'term-breached', detail: name });
    upsertSearchAttributes([{ key: ComplaintOverdue, value: true }]);
  };
  const upsertNextDeadline = (): void => {
    if (timed.size === 0) return;
    const open = [...timed.entries()].filter(([name]) => !dossier.terms[name]?.metAt && !dossier.terms[name]?.breachedAt);
    const next = open.map(([, t]) => t.dueAt).sort()[0];
    upsertSearchAttributes([{ key: ComplaintNextDeadline, value: next ? new Date(next) : null }]);
  };

  // Handlers first, so that a query or an update in the first task finds them.
  setHandler(dossierQuery, (options) =>
    options?.view === 'complainant'
      ? { ...dossier, timeline: dossier.timeline.filter((entry) => !entry.internal) }
      : dossier,
  );
  setHandler(
    closeUpdate,
    (request) => {
      closeWith(request.outcome, 'staff', request.text);
      return dossier;
    },
    {
      validator: (request) => {
        const { outcome } = parseOrRefuse('close', closeSchema, request);
        refuseWhenClosed('close');
        if (rules?.requireRootCause && !dossier.cause && outcome !== 'withdrawn') {
          refuse('close', 'this procedure needs the cause and the preventive measures recorded first (record-cause)');
        }
        if (rules?.satisfactionRequiredToClose && outcome !== 'withdrawn' && !(outcome === 'satisfied' && dossier.satisfaction?.satisfied)) {
          refuse('close', 'this procedure closes only on the complainant\'s written confirmation of satisfaction, or a withdrawal');
        }
      },
    },
  );
  setHandler(
    addInvolvedUpdate,
    ({ name, staffId, role, by }) => {
      dossier.involved.push({ name, ...(staffId ? { staffId } : {}), ...(role ? { role } : {}) });
      dossier.timeline.push({ at: now(), actor: by, event: 'involved-added', detail: role ? `${name} (${role})` : name, internal: true });
      changes++;
      return dossier;
    },
    {
      validator: (request) => {
        parseOrRefuse('addInvolved', addInvolvedSchema, request);
        refuseWhenClosed('addInvolved');
      },
    },
  );
  setHandler(
    assignUpdate,
    ({ handler, by }) => {
      dossier.handler = handler;
      dossier.timeline.push({ at: now(), actor: by, event: 'assigned', detail: handler });
      upsertSearchAttributes([{ key: ComplaintHandler, value: handler }]);
      takeUp();
      changes++;
      return dossier;
    },
    {
      validator: (request) => {
        const { handler } = parseOrRefuse('assign', assignSchema, request);
        refuseWhenClosed('assign');
        // Nobody handles a complaint about themselves.
        if (dossier.involved.some((person) => person.staffId === handler)) {
          refuse('assign', `${handler} is among the people this complaint is about; assign someone else`);
        }
      },
    },
  );
  setHandler(
    logContactUpdate,
    ({ channel, summary, by }) => {
      const at = now();
      dossier.timeline.push({ at, actor: by, event: 'contact', detail: `${channel}: ${summary}` });
      meet('firstContact', at);
      takeUp();
      changes++;
      return dossier;
    },
    {
      validator: (request) => {
        parseOrRefuse('logContact', logContactSchema, request);
        refuseWhenClosed('logContact');
      },
    },
  );

  setHandler(
    sendPositionUpdate,
    async ({ text, solution, agreements, by }) => {
      const at = now();
      dossier.position = { at, by, text, ...(solution ? { solution } : {}), ...(agreements ? { agreements } : {}) };
      meet('resolve', at);
      meet('maxLeadTime', at);
      takeUp();
      dossier.status = 'awaiting_complainant';
      upsertSearchAttributes([{ key: ComplaintStatus, value: 'awaiting_complainant' }]);
      const { satisfaction, appealWindow, satisfactionRequiredToClose } = await deadlines.termsAfterPosition({ procedure: input.procedure, positionSentAt: at });
      windows.satisfaction = satisfaction;
      windows.appeal = appealWindow;
      windows.writtenSatisfactionRequired = satisfactionRequiredToClose;
      const keep = (term: TimedTerm) => ({ date: term.date, dueAt: term.dueAt, trace: term.trace });
      dossier.terms.satisfaction = keep(satisfaction);
      if (appealWindow) dossier.terms.appeal1File = keep(appealWindow);
      dossier.timeline.push({ at, actor: by, event: 'position-sent' });
      changes++;
      const sent = await email.sendPosition({
        ...toComplainant,
        text,
        solution,
        agreements,
        satisfactionBy: satisfaction.date,
        appealBy: appealWindow?.date,
      });
      dossier.correspondence.push({ at: now(), to: 'complainant', subject: sent.subject, messageId: sent.messageId });
      return dossier;
    },
    {
      validator: (request) => {
        parseOrRefuse('sendPosition', sendPositionSchema, request);
        refuseWhenClosed('sendPosition');
        if (dossier.position) refuse('sendPosition', `the position was sent on ${dossier.position.at.slice(0, 10)}; add a note or extend instead`);
      },
    },
  );
  setHandler(
    respondSatisfactionUpdate,
    ({ satisfied, comment }) => {
      const at = now();
      dossier.satisfaction = { at, satisfied, ...(comment ? { comment } : {}) };
      dossier.timeline.push({ at, actor: 'complainant', event: satisfied ? 'satisfied' : 'not-satisfied', ...(comment ? { detail: comment } : {}) });
      const term = dossier.terms.satisfaction;
      if (term && !term.metAt) term.metAt = at;
      if (satisfied) closeWith('satisfied', 'complainant');
      changes++;
      return dossier;
    },
    {
      validator: (request) => {
        parseOrRefuse('respondSatisfaction', respondSatisfactionSchema, request);
        refuseWhenClosed('respondSatisfaction');
        if (!dossier.position) refuse('respondSatisfaction', 'there is no position to answer yet');
        if (dossier.satisfaction) refuse('respondSatisfaction', `you answered on ${dossier.satisfaction.at.slice(0, 10)}`);
      },
    },
  );
  setHandler(
    recordCauseUpdate,
    ({ cause, measures, by }) => {
      const at = now();
      dossier.cause = { at, by, cause, measures };
      dossier.timeline.push({ at, actor: by, event: 'cause-recorded', internal: true });
      changes++;
      return dossier;
    },
    {
      validator: (request) => {
        parseOrRefuse('recordCause', recordCauseSchema, request);
        refuseWhenClosed('recordCause');
      },
    },
  );
  setHandler(
    addNoteUpdate,
    ({ text, by }) => {
      dossier.timeline.push({ at: now(), actor: by, event: 'note', detail: text, internal: true });
      changes++;
      return dossier;
    },
    { validator: (request) => void parseOrRefuse('addNote', addNoteSchema, request) },
  );
  setHandler(
    addInformationUpdate,
    ({ text }) => {
      dossier.timeline.push({ at: now(), actor: 'complainant', event: 'information-added', detail: text });
      changes++;
      return dossier;
    },
    {
      validator: (request) => {
        parseOrRefuse('addInformation', addInformationSchema, request);
        refuseWhenClosed('addInformation');
      },
    },
  );
  setHandler(
    withdrawUpdate,
    ({ reason }) => {
      closeWith('withdrawn', 'complainant', reason);
      return dossier;
    },
    {
      validator: (request) => {
        parseOrRefuse('withdraw', withdrawSchema, request);
        refuseWhenClosed('withdraw');
      },
    },
  );

  upsertSearchAttributes([
    { key: ComplaintProcedure, value: input.procedure },
    { key: ComplaintStatus, value: dossier.status },
    { key: ComplaintReceivedAt, value: new Date(input.receivedAt) },
    { key: ComplaintOverdue, value: false },
    ...(input.category ? [{ key: ComplaintCategory, value: input.category }] : []),
  ]);

  // The terms that run from receipt are computed once, at intake, and kept: a later holiday
  // list or procedure edit never moves a date already told to the complainant.
  if (patched('term-timers')) {
    // v0.3: with the instants of their reminders and escalations.
    const terms = await deadlines.computeTerms({ procedure: input.procedure, receivedAt: input.receivedAt });
    for (const [name, term] of Object.entries(terms) as [TermName, TimedTerm][]) {
      timed.set(name, term);
      dossier.terms[name] = { date: term.date, dueAt: term.dueAt, ...(term.noticeBy ? { noticeBy: term.noticeBy } : {}), trace: term.trace };
    }
    upsertNextDeadline();
  } else if (patched('terms-at-intake')) {
    // v0.2: dates only.
    const { acknowledge, firstContact, resolve, maxLeadTime } = await deadlines.computeDeadlines({
      procedure: input.procedure,
      receivedAt: input.receivedAt,
    });
    const kept = { acknowledge, firstContact, resolve, maxLeadTime };
    for (const [name, term] of Object.entries(kept)) {
      if (term) dossier.terms[name as keyof typeof kept] = { date: term.date, dueAt: term.dueAt, noticeBy: term.noticeBy, trace: term.trace ?? [] };
    }
  }

  const receipt = await email.sendReceipt({
    ...toComplainant,
    terms: Object.entries(dossier.terms).map(([name, term]) => ({ name, date: term.date })),
  });
  // Workflow time, not the activity's clock: the dossier's times are the ones the timers use.
  const receiptAt = now();
  dossier.correspondence.push({ at: receiptAt, to: 'complainant', subject: receipt.subject, messageId: receipt.messageId });
  dossier.timeline.push({ at: receiptAt, actor: 'klachtflow', event: 'receipt-sent' });
  if (timed.size > 0) meet('acknowledge', receiptAt);

  // v0.5: the procedure's rules, and the manager told of every new complaint where the procedure says so.
  if (patched('procedure-rules')) {
    rules = await deadlines.procedureRules({ procedure: input.procedure });
    if (rules.notifyManagerOnReceipt) {
      const notice = await email.sendStaffTermEmail({
        reference: input.reference,
        procedure: input.procedure,
        kind: 'new-complaint',
        term: 'receipt',
        date: input.receivedAt,
      });
      dossier.correspondence.push({ at: now(), to: 'manager', subject: notice.subject, messageId: notice.messageId });
    }
  }
  log.info('receipt confirmed', { workflowId: workflowInfo().workflowId });

  /** The earliest alarm still to act on: reminders while a term runs, its breach, then the escalation. */
  const nextAlarm = (): Alarm | undefined => {
    const candidates: Alarm[] = [];
    // Every alarm acts once: what has fired is never planned again.
    const add = (term: TermName, kind: AlarmKind, at: string | undefined): void => {
      if (at && !fired.has(`${term}:${kind}`)) candidates.push({ at: Date.parse(at), term, kind });
    };
    for (const [name, term] of timed) {
      const state = dossier.terms[name];
      if (!state || state.metAt) continue;
      if (!state.breachedAt) {
        add(name, 'reminder', term.reminderAt);
        add(name, 'notice-reminder', term.noticeReminderAt);
        add(name, 'breach', term.dueAt);
      } else {
        add(name, 'escalation', term.escalationAt);
      }
    }
    if (windows.satisfaction && !dossier.satisfaction) add('satisfaction', 'satisfaction-due', windows.satisfaction.dueAt);
    if (windows.satisfaction && !dossier.satisfaction?.satisfied) {
      add('appeal1File', 'windows-closed', [windows.satisfaction.dueAt, windows.appeal?.dueAt ?? windows.satisfaction.dueAt].sort()[1]);
    }
    return candidates.sort((a, b) => a.at - b.at)[0];
  };

  /** After the position: one reminder when "satisfied?" goes unanswered; closure once every window has passed. */
  const actOnWindows = async (alarm: Alarm): Promise<void> => {
    if (alarm.kind === 'satisfaction-due') {
      const sent = await email.sendPosition({
        ...toComplainant,
        text: dossier.position!.text,
        solution: dossier.position!.solution,
        agreements: dossier.position!.agreements,
        satisfactionBy: windows.appeal && windows.appeal.date > windows.satisfaction!.date ? windows.appeal.date : windows.satisfaction!.date,
        appealBy: windows.appeal?.date,
        reminder: true,
      });
      const at = now();
      dossier.correspondence.push({ at, to: 'complainant', subject: sent.subject, messageId: sent.messageId });
      dossier.timeline.push({ at, actor: 'klachtflow', event: 'satisfaction-reminder-sent' });
      return;
    }
    // No answer, or "not satisfied" and no appeal: the windows have passed.
    if (!dossier.satisfaction) {
      if (windows.writtenSatisfactionRequired) {
        dossier.timeline.push({ at: now(), actor: 'klachtflow', event: 'no-response', detail: 'staff decide: written satisfaction is required to close', internal: true });
        return;
      }
      closeWith('no_response', 'klachtflow');
    } else if (!dossier.satisfaction.satisfied) {
      closeWith('dissatisfied', 'klachtflow');
    }
  };

  const act = async (alarm: Alarm): Promise<void> => {
    if (alarm.kind === 'satisfaction-due' || alarm.kind === 'windows-closed') return actOnWindows(alarm);
    const term = timed.get(alarm.term)!;
    const state = dossier.terms[alarm.term]!;
    if (alarm.kind === 'breach') {
      // A missed term is a fact for the report: recorded at once, never dropped.
      if (!state.breachedAt) recordBreach(alarm.term, now());
      upsertNextDeadline();
      return;
    }
    // A reminder that comes too late to help is left out; the breach speaks for itself.
    if (alarm.kind !== 'escalation' && Date.now() > Date.parse(term.dueAt)) return;
    const sent = await email.sendStaffTermEmail({
      reference: input.reference,
      procedure: input.procedure,
      kind: alarm.kind,
      term: alarm.term,
      date: alarm.kind === 'notice-reminder' ? term.noticeBy! : term.date,
      ...(dossier.handler ? { handler: dossier.handler } : {}),
    });
    const at = now();
    dossier.correspondence.push({ at, to: alarm.kind === 'escalation' ? 'manager' : 'staff', subject: sent.subject, messageId: sent.messageId });
    dossier.timeline.push({ at, actor: 'klachtflow', event: `${alarm.kind}-sent`, detail: alarm.term, internal: true });
  };

  while (dossier.status !== 'closed') {
    const seen = changes;
    const alarm = nextAlarm();
    if (!alarm) {
      await condition(() => changes !== seen);
      continue;
    }
    const wait = alarm.at - Date.now();
    if (wait > 0 && (await condition(() => changes !== seen, wait))) continue;
    fired.add(`${alarm.term}:${alarm.kind}`);
    await act(alarm);
  }
  // v0.4: the closure e-mail, the destroy date, and the dossier kept until then.
  if (patched('closure-retention')) {
    await condition(allHandlersFinished);
    const closedAt = dossier.closedAt!;
    const sent = await email.sendClosure({ ...toComplainant, outcome: dossier.outcome! });
    dossier.correspondence.push({ at: now(), to: 'complainant', subject: sent.subject, messageId: sent.messageId });
    const destroy = await deadlines.destroyDate({ procedure: input.procedure, receivedAt: input.receivedAt, closedAt });
    dossier.destroyOn = destroy.date;
    dossier.timeline.push({ at: now(), actor: 'klachtflow', event: 'destroy-scheduled', detail: destroy.date, internal: true });
    upsertSearchAttributes([
      { key: ComplaintDestroyOn, value: destroy.date },
      { key: ComplaintNextDeadline, value: null },
    ]);
    // Closed: queries still answer, every update is refused, until the history must go.
    const wait = Date.parse(destroy.completeAt) - Date.now();
    if (wait > 0) await condition(() => false, wait);
  }
  await condition(allHandlersFinished);
  return dossier;
}
