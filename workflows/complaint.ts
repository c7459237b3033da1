import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { DeadlineActivities } from '../activities/deadlines';
import type { EmailActivities, SentEmail } from '../activities/email';
import type { ComplaintInput, ComplaintOutcome as Outcome, ComplaintStatus as Status, ProcedureRules } from '../domain/complaint';
import type { AppealRecord, CorrespondenceEntry, Dossier, DossierTermName as TermName, TimedTerm } from '../domain/dossier';
import {
  addInformationUpdate,
  addInvolvedUpdate,
  addNoteUpdate,
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
  withdrawUpdate,
} from '../domain/messages';
import type { AppealLevel } from '../domain/procedure';
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
import { type Alarm, alarmCandidates, alarmKey, alarmSummary, planTerm, type RunningTerm } from './alarms';

const email = proxyActivities<EmailActivities>({
  startToCloseTimeout: '1 minute',
  // Transient SMTP trouble is retried for as long as it lasts; a 5xx refusal is final (non-retryable).
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes' },
});

const deadlines = proxyLocalActivities<DeadlineActivities>({ startToCloseTimeout: '10 seconds' });

const day = (iso: string | undefined): string => iso?.slice(0, 10) ?? '';

/**
 * The update schemas (zod), loaded on a validator's first call. The worker evaluates the
 * workflow's modules for every complaint it creates or replays, and building zod and the
 * schemas was 30% of that work (`npm run bench`, profiled); validators never run on replay.
 */
let loadedSchemas: typeof import('../domain/complaint') | undefined;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const schemas = (): typeof import('../domain/complaint') => (loadedSchemas ??= require('../domain/complaint') as typeof import('../domain/complaint'));

/** One complaint, from receipt to destruction (SPEC §4). */
export async function complaintWorkflow(input: ComplaintInput): Promise<Dossier> {
  const dossier: Dossier = {
    reference: input.reference,
    procedure: input.procedure,
    language: input.language,
    complaint: {
      complainant: input.complainant,
      description: input.description,
      channel: input.channel,
      ...(input.category ? { category: input.category } : {}),
      ...(input.whatHappened ? { whatHappened: input.whatHappened } : {}),
      ...(input.expected ? { expected: input.expected } : {}),
      ...(input.occurredOn ? { occurredOn: input.occurredOn } : {}),
      ...(input.registeredBy ? { registeredBy: input.registeredBy } : {}),
    },
    status: 'received',
    receivedAt: input.receivedAt,
    involved: [],
    terms: {},
    timeline: [{ at: input.receivedAt, actor: input.registeredBy ?? 'complainant', event: 'received', detail: `channel ${input.channel}` }],
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
  const timed = new Map<TermName, RunningTerm>();
  const fired = new Set<string>();
  // Bumped by every update, so the timer loop re-plans when a term is met or moved.
  let changes = 0;
  /** The procedure's rules and appeal route, fixed at intake (v0.5, v0.6); looked up later for complaints that started before. */
  let rules: ProcedureRules | undefined;
  let route: AppealLevel[] | undefined;
  /** The complainant's windows after the position: satisfaction and the level-1 appeal. */
  const windows: {
    satisfaction?: TimedTerm;
    appeal?: TimedTerm;
    writtenSatisfactionRequired?: boolean;
    /** v0.6: the reminder goes out at 09:00 the working day after the term, and the answer may come until this date. */
    reminderAnswerBy?: { date: string; dueAt: string };
  } = {};
  /** After a decision that leaves a further level open: the window to appeal to it. */
  let levelWindow: { level: number; term: TimedTerm; afterExternal: boolean } | undefined;
  const appeals: AppealRecord[] = [];
  dossier.appeals = appeals;
  dossier.hearings = [];

  const setStatus = (status: Status): void => {
    dossier.status = status;
    upsertSearchAttributes([{ key: ComplaintStatus, value: status }]);
  };
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
    if (dossier.status === 'closed') refuse(action, `the complaint was closed on ${day(dossier.closedAt)}`);
  };
  const takeUp = (): void => {
    if (dossier.status === 'received') setStatus('in_progress');
  };
  const recordBreach = (name: TermName, at: string): void => {
    dossier.terms[name]!.breachedAt = at;
    dossier.timeline.push({ at, actor: 'klachtflow', event: 'term-breached', detail: name });
    upsertSearchAttributes([{ key: ComplaintOverdue, value: true }]);
  };
  const upsertNextDeadline = (): void => {
    if (timed.size === 0) return;
    const open = [...timed.entries()].filter(([name, running]) => !dossier.terms[name]?.metAt && running.breachedInGeneration !== running.generation);
    const next = open.map(([, running]) => running.term.dueAt).sort()[0];
    upsertSearchAttributes([{ key: ComplaintNextDeadline, value: next ? new Date(next) : null }]);
  };
  const meet = (name: TermName, at: string): void => {
    const term = dossier.terms[name];
    if (!term || term.metAt) return;
    term.metAt = at;
    // Met late is still a breach, and stays on record as one; an extension moved the due instant.
    const dueAt = timed.get(name)?.term.dueAt ?? term.dueAt;
    if (!term.breachedAt && Date.parse(at) > Date.parse(dueAt)) recordBreach(name, dueAt);
    upsertNextDeadline();
  };
  const keepTerm = (name: TermName, term: TimedTerm): void => {
    dossier.terms[name] = { date: term.date, dueAt: term.dueAt, ...(term.noticeBy ? { noticeBy: term.noticeBy } : {}), trace: term.trace };
  };
  /**
   * Sends an e-mail and files it under correspondence. An e-mail that cannot be delivered
   * (the server refused it for good) is recorded, never fatal: the complaint goes on.
   */
  const deliver = async (to: CorrespondenceEntry['to'], what: string, send: () => Promise<SentEmail>): Promise<string | undefined> => {
    try {
      const sent = await send();
      const at = now();
      dossier.correspondence.push({ at, to, subject: sent.subject, messageId: sent.messageId });
      return at;
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      const at = now();
      dossier.correspondence.push({ at, to, subject: what, messageId: '', failed: err.cause?.message ?? err.message });
      dossier.timeline.push({ at, actor: 'klachtflow', event: 'mail-failed', detail: what, internal: true });
      return undefined;
    }
  };
  const notifyManagers = (kind: 'new-complaint' | 'appeal-filed', term: string, date: string) =>
    deliver('manager', `${kind} ${term}`, () => email.sendStaffTermEmail({ reference: input.reference, procedure: input.procedure, kind, term, date }));
  const routeOf = async (): Promise<AppealLevel[]> => (route ??= await deadlines.appealRoute({ procedure: input.procedure }));

  /** The appeal level the complainant may file now, and until when; or why not. */
  const openAppealLevel = (): { level: number; window: TimedTerm; term: TermName } | { refusal: string } => {
    const last = appeals.at(-1);
    if (!last) {
      if (!windows.appeal) return { refusal: dossier.position ? 'this procedure has no appeal route' : 'there is no position to appeal against yet' };
      if (dossier.satisfaction?.satisfied) return { refusal: `you said on ${day(dossier.satisfaction.at)} that you are satisfied` };
      return { level: 1, window: windows.appeal, term: 'appeal1File' };
    }
    if (!last.decision && !last.externalOutcome) return { refusal: `the appeal at level ${last.level} is still being handled` };
    if (!levelWindow || levelWindow.level !== last.level + 1) return { refusal: 'there is no further appeal in this procedure' };
    return { level: levelWindow.level, window: levelWindow.term, term: `appeal${levelWindow.level}File` };
  };
  const openAppeal = (action: string, level: number, kind: 'internal' | 'external'): AppealRecord => {
    const appeal = appeals.find((a) => a.level === level);
    if (!appeal) refuse(action, `there is no appeal at level ${level}`);
    if ((appeal.kind === 'internal') !== (kind === 'internal')) {
      refuse(action, appeal.kind === 'internal' ? `level ${level} is decided internally (decide-appeal)` : `level ${level} is ${appeal.body}, an external body (record-external-outcome)`);
    }
    if (appeal.decision || appeal.externalOutcome) refuse(action, `the appeal at level ${level} was decided on ${day(appeal.decision?.at ?? appeal.externalOutcome?.at)}`);
    return appeal;
  };
  /** After a decision at `level`: the next level's window opens, or the complaint closes. */
  const afterDecision = async (appeal: AppealRecord, final: boolean, at: string): Promise<{ level: number; by: string } | undefined> => {
    const external = appeal.kind !== 'internal';
    const next = (await routeOf()).find((l) => l.level === appeal.level + 1);
    if (final || !next) {
      closeWith(external ? 'external_decided' : 'appeal_decided', 'klachtflow');
      return undefined;
    }
    // A level without its own term is open as long as the satisfaction term (SPEC §4).
    const window = await deadlines.termFrom({ procedure: input.procedure, term: next.fileWithin, anchorLabel: `level ${appeal.level} decided`, at });
    levelWindow = { level: next.level, term: window, afterExternal: external };
    keepTerm(`appeal${next.level}File`, window);
    setStatus('awaiting_complainant');
    // The timer loop planned while the window was being computed: it plans again now.
    changes++;
    return { level: next.level, by: window.date };
  };

  // Handlers first, so that a query or an update in the first task finds them.
  // The complainant reads their own file, without what is internal to the staff: notes, the
  // cause and measures, the people the complaint is about, and mail between staff.
  setHandler(dossierQuery, (options) => {
    if (options?.view !== 'complainant') return dossier;
    const { cause: _cause, involved: _involved, ...shared } = dossier;
    return {
      ...shared,
      involved: [],
      timeline: dossier.timeline.filter((entry) => !entry.internal),
      correspondence: dossier.correspondence.filter((entry) => entry.to === 'complainant'),
    };
  });
  setHandler(
    closeUpdate,
    (request) => {
      closeWith(request.outcome, request.by ?? 'staff', request.text);
      return dossier;
    },
    {
      validator: (request) => {
        const { outcome } = parseOrRefuse('close', schemas().closeSchema, request);
        refuseWhenClosed('close');
        if (outcome === 'withdrawn') return;
        if (outcome === 'appeal_decided' || outcome === 'external_decided') {
          refuse('close', `${outcome} is recorded by ${outcome === 'appeal_decided' ? 'decide-appeal' : 'record-external-outcome'}, which closes the complaint`);
        }
        const pending = appeals.find((a) => !a.decision && !a.externalOutcome);
        if (pending) refuse('close', `the appeal at level ${pending.level} (${pending.body}) is open; record its decision first`);
        if (outcome === 'dissatisfied' && dossier.satisfaction?.satisfied !== false) refuse('close', 'dissatisfied needs the complainant\'s "not satisfied"; they have not said so');
        if (outcome === 'no_response' && !dossier.position) refuse('close', 'no_response needs a position the complainant did not answer; send the position first');
        if (rules?.requireRootCause && !dossier.cause) {
          refuse('close', 'this procedure needs the cause and the preventive measures recorded first (record-cause)');
        }
        const satisfiedInWriting = outcome === 'satisfied' && dossier.satisfaction?.satisfied;
        const unanswered = outcome === 'no_response' && dossier.timeline.some((e) => e.event === 'no-response');
        if (rules?.satisfactionRequiredToClose && !satisfiedInWriting && !unanswered) {
          refuse('close', "this procedure closes only on the complainant's written confirmation of satisfaction, or a withdrawal (or as no_response once the answer period passed unanswered)");
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
        parseOrRefuse('addInvolved', schemas().addInvolvedSchema, request);
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
        const { handler } = parseOrRefuse('assign', schemas().assignSchema, request);
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
        parseOrRefuse('logContact', schemas().logContactSchema, request);
        refuseWhenClosed('logContact');
      },
    },
  );
  setHandler(
    scheduleHearingUpdate,
    async ({ at, mode, location, level, by }) => {
      const hearings = dossier.hearings!;
      const scheduledAt = now();
      const when = new Date(at).toISOString();
      hearings.push({ at: when, mode, ...(location ? { location } : {}), ...(level ? { level } : {}), scheduledAt, by });
      dossier.timeline.push({ at: scheduledAt, actor: by, event: 'hearing-scheduled', detail: `${when} ${mode}${level ? ` (appeal level ${level})` : ''}` });
      changes++;
      await deliver('complainant', 'hearing invitation', () =>
        email.sendHearingInvitation({ ...toComplainant, at: when, mode, ...(location ? { location } : {}), ...(level ? { level } : {}), occurrence: hearings.length }),
      );
      return dossier;
    },
    {
      validator: (request) => {
        const { at, level } = parseOrRefuse('scheduleHearing', schemas().scheduleHearingSchema, request);
        refuseWhenClosed('scheduleHearing');
        if (Date.parse(at) <= Date.now()) refuse('scheduleHearing', `the hearing time ${at} has passed; choose a time ahead`);
        if (level !== undefined) openAppeal('scheduleHearing', level, 'internal');
      },
    },
  );
  setHandler(
    extendTermUpdate,
    async ({ term: termName, newDate, reason, by }) => {
      const name = termName as TermName;
      const running = timed.get(name)!;
      const state = dossier.terms[name]!;
      const at = now();
      const from = running.term;
      const { term, notice } = await deadlines.extendedTerm({
        procedure: input.procedure,
        term: name,
        from: { date: from.date, dueAt: from.dueAt, ...(from.noticeBy ? { noticeBy: from.noticeBy } : {}) },
        newDate,
        at,
        ...(from.noticeWorkingDaysBefore ? { noticeWorkingDaysBefore: from.noticeWorkingDaysBefore } : {}),
        target: from.target,
      });
      // A new generation: the new date's reminders, notice and breach fire anew; a breach already recorded stays.
      timed.set(name, { ...running, term, generation: running.generation + 1 });
      state.extendedTo = term.date;
      state.trace = [...state.trace, ...term.trace];
      (state.extensions ??= []).push({ at, by, from: from.date, to: term.date, reason, notice });
      dossier.timeline.push({ at, actor: by, event: 'term-extended', detail: `${name}: ${from.date} → ${term.date} (notice ${notice})` });
      upsertNextDeadline();
      changes++;
      await deliver('complainant', `delay notice ${name}`, () =>
        email.sendDelayNotice({ ...toComplainant, term: name, fromDate: from.date, newDate: term.date, reason, late: notice !== 'in-time', occurrence: state.extensions!.length }),
      );
      return dossier;
    },
    {
      validator: (request) => {
        const { term, newDate } = parseOrRefuse('extendTerm', schemas().extendTermSchema, request);
        refuseWhenClosed('extendTerm');
        const running = timed.get(term as TermName);
        const state = dossier.terms[term as TermName];
        if (!running || !state) refuse('extendTerm', `${term} is not a term that runs for this complaint (running: ${[...timed.keys()].join(', ') || 'none'})`);
        if (state.metAt) refuse('extendTerm', `${term} was met on ${day(state.metAt)}`);
        if (newDate <= running.term.date) refuse('extendTerm', `the new date ${newDate} is not after the current due date ${running.term.date}`);
        if (newDate < day(now())) refuse('extendTerm', `the new date ${newDate} has passed`);
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
      setStatus('awaiting_complainant');
      const after = await deadlines.termsAfterPosition({ procedure: input.procedure, positionSentAt: at });
      windows.satisfaction = after.satisfaction;
      windows.appeal = after.appealWindow;
      windows.writtenSatisfactionRequired = after.satisfactionRequiredToClose;
      // v0.6: the "satisfied?" reminder in working hours, with a few days more to answer; a level
      // open "as long as the satisfaction term" stays open through those days too.
      if (patched('satisfaction-reminder-hours') && after.reminderAnswerBy) {
        const answerBy = after.reminderAnswerBy;
        windows.reminderAnswerBy = answerBy;
        const level1 = (await routeOf())[0];
        if (windows.appeal && level1 && !level1.fileWithin) {
          windows.appeal = { ...windows.appeal, date: answerBy.date, dueAt: answerBy.dueAt, trace: [...windows.appeal.trace, `open as long as "satisfied?" may be answered: until ${answerBy.date}`] };
        }
      }
      const keep = (term: TimedTerm) => ({ date: term.date, dueAt: term.dueAt, trace: term.trace });
      dossier.terms.satisfaction = keep(after.satisfaction);
      if (windows.appeal) dossier.terms.appeal1File = keep(windows.appeal);
      dossier.timeline.push({ at, actor: by, event: 'position-sent' });
      changes++;
      await deliver('complainant', 'position', () =>
        email.sendPosition({ ...toComplainant, text, solution, agreements, satisfactionBy: after.satisfaction.date, appealBy: windows.appeal?.date }),
      );
      return dossier;
    },
    {
      validator: (request) => {
        parseOrRefuse('sendPosition', schemas().sendPositionSchema, request);
        refuseWhenClosed('sendPosition');
        if (dossier.position) refuse('sendPosition', `the position was sent on ${day(dossier.position.at)}; add a note or extend instead`);
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
        parseOrRefuse('respondSatisfaction', schemas().respondSatisfactionSchema, request);
        refuseWhenClosed('respondSatisfaction');
        if (!dossier.position) refuse('respondSatisfaction', 'there is no position to answer yet');
        if (dossier.satisfaction) refuse('respondSatisfaction', `you answered on ${day(dossier.satisfaction.at)}`);
        if (appeals.length) refuse('respondSatisfaction', `you appealed on ${day(appeals[0]!.filedAt)}; the appeal answers it`);
      },
    },
  );
  setHandler(
    fileAppealUpdate,
    async ({ grounds }) => {
      const open = openAppealLevel() as Exclude<ReturnType<typeof openAppealLevel>, { refusal: string }>;
      const at = now();
      const level = (await routeOf()).find((l) => l.level === open.level)!;
      const internal = level.body.kind === 'internal';
      appeals.push({ level: level.level, kind: level.body.kind, body: level.body.name, filedAt: at, grounds });
      dossier.terms[open.term]!.metAt = at;
      const satisfaction = dossier.terms.satisfaction;
      if (level.level === 1 && satisfaction && !satisfaction.metAt) satisfaction.metAt = at;
      dossier.timeline.push({ at, actor: 'complainant', event: 'appeal-filed', detail: `level ${level.level}: ${level.body.name}` });
      setStatus(internal ? 'in_appeal' : 'with_external_body');
      let decideBy: string | undefined;
      if (internal && level.decideWithin) {
        const decide = await deadlines.termFrom({ procedure: input.procedure, term: level.decideWithin, anchorLabel: 'appeal filed', at });
        const name: TermName = `appeal${level.level}Decide`;
        timed.set(name, { term: decide, generation: 0 });
        keepTerm(name, decide);
        upsertNextDeadline();
        decideBy = decide.date;
      }
      changes++;
      await deliver('complainant', `appeal ${level.level} received`, () =>
        email.sendAppealReceived({ ...toComplainant, level: level.level, ...(decideBy ? { decideBy } : {}), ...(internal ? {} : { fileBy: open.window.date }) }),
      );
      await notifyManagers('appeal-filed', `appeal${level.level}`, at);
      return dossier;
    },
    {
      validator: (request) => {
        parseOrRefuse('fileAppeal', schemas().fileAppealSchema, request);
        refuseWhenClosed('fileAppeal');
        const open = openAppealLevel();
        if ('refusal' in open) refuse('fileAppeal', open.refusal);
        if (Date.now() > Date.parse(open.window.dueAt)) refuse('fileAppeal', `the appeal window closed on ${open.window.date}`);
      },
    },
  );
  setHandler(
    decideAppealUpdate,
    async ({ level, decision, text, by }) => {
      const appeal = appeals.find((a) => a.level === level)!;
      const at = now();
      appeal.decision = { at, by, decision, text };
      meet(`appeal${level}Decide`, at);
      dossier.timeline.push({ at, actor: by, event: 'appeal-decided', detail: `level ${level}: ${decision}` });
      changes++;
      // Upheld: the complainant is proven right, and the procedure ends there.
      const next = await afterDecision(appeal, decision === 'upheld', at);
      await deliver('complainant', `appeal ${level} decision`, () =>
        email.sendAppealDecision({ ...toComplainant, level, decision, text, external: false, ...(next ? { next } : {}) }),
      );
      return dossier;
    },
    {
      validator: (request) => {
        const { level, decision } = parseOrRefuse('decideAppeal', schemas().decideAppealSchema, request);
        refuseWhenClosed('decideAppeal');
        const appeal = openAppeal('decideAppeal', level, 'internal');
        const closes = decision === 'upheld' || (route !== undefined && !route.some((l) => l.level === level + 1));
        if (closes && rules?.requireRootCause && !dossier.cause) {
          refuse('decideAppeal', 'this decision closes the complaint, and this procedure needs the cause and the preventive measures recorded first (record-cause)');
        }
        const hearing = route?.find((l) => l.level === level)?.hearing;
        if (hearing === 'required' && !dossier.hearings!.some((h) => h.level === level)) {
          refuse('decideAppeal', `level ${level} (${appeal.body}) requires a hearing first (schedule-hearing)`);
        }
      },
    },
  );
  setHandler(
    recordExternalReferralUpdate,
    ({ level, caseNumber, by }) => {
      const appeal = appeals.find((a) => a.level === level)!;
      const at = now();
      appeal.referral = { at, by, ...(caseNumber ? { caseNumber } : {}) };
      dossier.timeline.push({ at, actor: by, event: 'external-referral', detail: `level ${level}: ${appeal.body}${caseNumber ? `, case ${caseNumber}` : ''}` });
      changes++;
      return dossier;
    },
    {
      validator: (request) => {
        const { level } = parseOrRefuse('recordExternalReferral', schemas().recordExternalReferralSchema, request);
        refuseWhenClosed('recordExternalReferral');
        const appeal = openAppeal('recordExternalReferral', level, 'external');
        if (appeal.referral) refuse('recordExternalReferral', `the referral to ${appeal.body} was recorded on ${day(appeal.referral.at)}`);
      },
    },
  );
  setHandler(
    recordExternalOutcomeUpdate,
    async ({ level, outcome, text, by }) => {
      const appeal = appeals.find((a) => a.level === level)!;
      const at = now();
      appeal.externalOutcome = { at, by, outcome, text };
      dossier.timeline.push({ at, actor: by, event: 'external-outcome', detail: `level ${level}: ${outcome}` });
      changes++;
      const binding = (await routeOf()).find((l) => l.level === level)?.body.binding ?? false;
      const next = await afterDecision(appeal, binding || outcome === 'upheld' || outcome === 'settled', at);
      await deliver('complainant', `appeal ${level} outcome`, () =>
        email.sendAppealDecision({ ...toComplainant, level, decision: outcome, text, external: true, ...(next ? { next } : {}) }),
      );
      return dossier;
    },
    {
      validator: (request) => {
        const { level } = parseOrRefuse('recordExternalOutcome', schemas().recordExternalOutcomeSchema, request);
        refuseWhenClosed('recordExternalOutcome');
        openAppeal('recordExternalOutcome', level, 'external');
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
        parseOrRefuse('recordCause', schemas().recordCauseSchema, request);
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
    { validator: (request) => void parseOrRefuse('addNote', schemas().addNoteSchema, request) },
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
        parseOrRefuse('addInformation', schemas().addInformationSchema, request);
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
        parseOrRefuse('withdraw', schemas().withdrawSchema, request);
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
      timed.set(name, { term, generation: 0 });
      keepTerm(name, term);
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

  // Workflow time, not the activity's clock: the dossier's times are the ones the timers use.
  const receiptAt = await deliver('complainant', 'receipt', () =>
    email.sendReceipt({ ...toComplainant, terms: Object.entries(dossier.terms).map(([name, term]) => ({ name, date: term!.date })) }),
  );
  if (receiptAt) {
    dossier.timeline.push({ at: receiptAt, actor: 'klachtflow', event: 'receipt-sent' });
    if (timed.size > 0) meet('acknowledge', receiptAt);
  }

  if (patched('appeal-route')) {
    // v0.6: the rules and the appeal route fixed at intake, like the terms.
    ({ rules, appeals: route } = await deadlines.procedureAtIntake({ procedure: input.procedure }));
    if (rules.notifyManagerOnReceipt) await notifyManagers('new-complaint', 'receipt', input.receivedAt);
  } else if (patched('procedure-rules')) {
    // v0.5: the rules, and the manager told of every new complaint where the procedure says so.
    rules = await deadlines.procedureRules({ procedure: input.procedure });
    if (rules.notifyManagerOnReceipt) await notifyManagers('new-complaint', 'receipt', input.receivedAt);
  }
  log.info('receipt confirmed', { workflowId: workflowInfo().workflowId });

  /** The earliest alarm still to act on: reminders while a term runs, its breach, then the escalation; then the complainant's windows. */
  const nextAlarm = (): Alarm | undefined => {
    const candidates = alarmCandidates(fired);
    for (const [name, running] of timed) {
      if (!dossier.terms[name]?.metAt) planTerm(candidates, name, running);
    }
    const { satisfaction, appeal, reminderAnswerBy } = windows;
    if (satisfaction && !dossier.satisfaction && appeals.length === 0) {
      candidates.add('satisfaction', 'satisfaction-due', reminderAnswerBy ? satisfaction.escalationAt : satisfaction.dueAt);
    }
    if (satisfaction && !dossier.satisfaction?.satisfied && appeals.length === 0) {
      // Unanswered, the complaint stays open until the answer after the reminder was due too (v0.6).
      const answerDue = reminderAnswerBy && !dossier.satisfaction ? reminderAnswerBy.dueAt : satisfaction.dueAt;
      candidates.add('appeal1File', 'windows-closed', [answerDue, appeal?.dueAt ?? answerDue].sort()[1]);
    }
    if (levelWindow && !appeals.some((a) => a.level === levelWindow!.level)) {
      candidates.add(`appeal${levelWindow.level}File`, 'level-window-closed', levelWindow.term.dueAt);
    }
    return candidates.earliest();
  };

  /** After the position: one reminder when "satisfied?" goes unanswered; closure once every window has passed. */
  const actOnWindows = async (alarm: Alarm): Promise<void> => {
    if (alarm.kind === 'satisfaction-due') {
      const position = dossier.position!;
      const sat = windows.satisfaction!;
      const answerBy = windows.reminderAnswerBy?.date ?? (windows.appeal && windows.appeal.date > sat.date ? windows.appeal.date : sat.date);
      const at = await deliver('complainant', 'satisfaction reminder', () =>
        email.sendPosition({
          ...toComplainant,
          text: position.text,
          solution: position.solution,
          agreements: position.agreements,
          satisfactionBy: answerBy,
          appealBy: windows.appeal?.date,
          reminder: true,
        }),
      );
      if (at) dossier.timeline.push({ at, actor: 'klachtflow', event: 'satisfaction-reminder-sent' });
      return;
    }
    if (alarm.kind === 'level-window-closed') {
      const window = levelWindow!;
      closeWith(window.afterExternal ? 'external_decided' : 'appeal_decided', 'klachtflow', `no appeal to level ${window.level} by ${window.term.date}`);
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
    if (alarm.kind === 'satisfaction-due' || alarm.kind === 'windows-closed' || alarm.kind === 'level-window-closed') return actOnWindows(alarm);
    const running = timed.get(alarm.term)!;
    const { term } = running;
    const state = dossier.terms[alarm.term]!;
    if (alarm.kind === 'breach') {
      // A missed term is a fact for the report: recorded at once, never dropped. A missed
      // extended date is recorded in the timeline too; the first breach stays the term's.
      if (!state.breachedAt) recordBreach(alarm.term, now());
      else dossier.timeline.push({ at: now(), actor: 'klachtflow', event: 'term-breached', detail: `${alarm.term} (extended to ${term.date})` });
      running.breachedInGeneration = running.generation;
      upsertNextDeadline();
      return;
    }
    // A reminder that comes too late to help is left out; the breach speaks for itself.
    if (alarm.kind !== 'escalation' && Date.now() > Date.parse(term.dueAt)) return;
    const at = await deliver(alarm.kind === 'escalation' ? 'manager' : 'staff', `${alarm.kind} ${alarm.term}`, () =>
      email.sendStaffTermEmail({
        reference: input.reference,
        procedure: input.procedure,
        kind: alarm.kind as 'reminder' | 'notice-reminder' | 'escalation',
        term: alarm.term,
        date: alarm.kind === 'notice-reminder' ? term.noticeBy! : term.date,
        ...(dossier.handler ? { handler: dossier.handler } : {}),
        ...(running.generation ? { occurrence: running.generation } : {}),
      }),
    );
    if (at) dossier.timeline.push({ at, actor: 'klachtflow', event: `${alarm.kind}-sent`, detail: alarm.term, internal: true });
  };

  /** The operator's one line in the Temporal UI: never personal data. */
  const describe = (next?: Alarm): void => {
    const missed = Object.entries(dossier.terms).filter(([, t]) => t?.breachedAt).map(([name]) => name);
    const parts = [`${dossier.procedure} · ${dossier.status}${dossier.outcome ? ` (${dossier.outcome})` : ''}`];
    if (dossier.handler) parts.push(`handler ${dossier.handler}`);
    if (next) parts.push(`next: ${alarmSummary(next)} at ${new Date(next.at).toISOString()}`);
    if (missed.length) parts.push(`missed: ${missed.join(', ')}`);
    if (dossier.destroyOn) parts.push(`destroy on ${dossier.destroyOn}`);
    setCurrentDetails(parts.join(' · '));
  };

  while (dossier.status !== 'closed') {
    const seen = changes;
    const alarm = nextAlarm();
    describe(alarm);
    if (!alarm) {
      await condition(() => changes !== seen);
      continue;
    }
    const wait = alarm.at - Date.now();
    if (wait > 0 && (await condition(() => changes !== seen, wait, { summary: alarmSummary(alarm) }))) continue;
    fired.add(alarmKey(alarm));
    await act(alarm);
  }
  // v0.4: the closure e-mail, the destroy date, and the dossier kept until then.
  if (patched('closure-retention')) {
    await condition(allHandlersFinished);
    const closedAt = dossier.closedAt!;
    const decidedBy = dossier.outcome === 'external_decided' ? appeals.at(-1)?.body : undefined;
    await deliver('complainant', 'closure', () => email.sendClosure({ ...toComplainant, outcome: dossier.outcome!, ...(decidedBy ? { externalBody: decidedBy } : {}) }));
    const destroy = await deadlines.destroyDate({ procedure: input.procedure, receivedAt: input.receivedAt, closedAt });
    dossier.destroyOn = destroy.date;
    dossier.timeline.push({ at: now(), actor: 'klachtflow', event: 'destroy-scheduled', detail: destroy.date, internal: true });
    upsertSearchAttributes([
      { key: ComplaintDestroyOn, value: destroy.date },
      { key: ComplaintNextDeadline, value: null },
    ]);
    describe();
    // Closed: queries still answer, every update is refused, until the history must go.
    const wait = Date.parse(destroy.completeAt) - Date.now();
    if (wait > 0) await condition(() => false, wait, { summary: `retention: history deleted by the destroy date ${destroy.date}` });
  }
  await condition(allHandlersFinished);
  return dossier;
}
