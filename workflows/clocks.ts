// One clock mechanism: every term, every complainant's window and every decision term is a
// list of alarms (planned by the deadlines activity); the loop sleeps until the earliest one
// still to act on, and each alarm kind acts from one table.
import { CancellationScope, condition, sleep } from '@temporalio/workflow';
import type { AlarmKind, ClockAlarm } from '../domain/deadlines';
import type { DossierTerm, TermName } from '../domain/dossier';
import { currentDue, openSuspension, openWindows, pendingAppeal, settled } from '../domain/lifecycle';
import { appealFileTerm } from '../domain/vocabulary';
import type { Mailer } from './effects';
import { positionUndelivered } from './outbox';
import type { ActionContext } from './actions/effect';
import { alarmKey, type ComplaintState, generationOf } from './state';
import { resume } from './suspension';

export interface DueAlarm extends ClockAlarm {
  term: TermName;
  key: string;
}

/**
 * The earliest alarm still to act on: of a term or window not yet settled, not yet fired in its
 * generation, and not about to be met by an e-mail in the outbox (the receipt meets acknowledge).
 */
export function nextAlarm(state: ComplaintState): DueAlarm | undefined {
  let next: DueAlarm | undefined;
  const beingMet = state.beingMet();
  // A question to the complainant holds its terms (their alarms wait) until its answer date.
  const open = openSuspension(state.dossier);
  if (open) next = { kind: 'resume', at: open.answerDueAt, term: open.terms[0]!, key: `resume-${state.dossier.suspensions!.length}` };
  for (const [name, alarms] of Object.entries(state.alarms) as [TermName, ClockAlarm[]][]) {
    const term = state.dossier.terms[name];
    if (!term || settled(term) || beingMet.has(name) || open?.terms.includes(name)) continue;
    for (const alarm of alarms) {
      const key = alarmKey(name, alarm.kind, generationOf(term));
      if (!state.fired.has(key) && (!next || Date.parse(alarm.at) < Date.parse(next.at))) next = { ...alarm, term: name, key };
    }
  }
  return next;
}

const summaries: Record<AlarmKind, string> = {
  reminder: 'reminder to staff',
  'notice-reminder': 'delay-notice reminder to staff',
  breach: 'term ends',
  escalation: 'escalation to the manager',
  target: 'aim ends',
  resume: 'answer date: suspended terms run on',
  'window-reminder': '"satisfied?" reminder',
  'window-closed': 'window closes',
};
/** A one-line summary of a timer for the Temporal UI: never personal data. */
export const alarmSummary = (alarm: Pick<DueAlarm, 'kind' | 'term'>): string => `${summaries[alarm.kind]}: ${alarm.term}`;

/** What each alarm does; a staff reminder that comes too late to help is left out: the breach speaks for itself. */
const acts: Record<AlarmKind, (state: ComplaintState, name: TermName, term: DossierTerm, mail: Mailer) => void> = {
  reminder: (state, name, term, mail) => {
    if (state.clock() <= Date.parse(currentDue(term).dueAt)) mail.staffTerm('reminder', name, currentDue(term).date);
  },
  'notice-reminder': (state, name, term, mail) => {
    const due = currentDue(term);
    if (due.noticeBy && state.clock() <= Date.parse(due.dueAt)) mail.staffTerm('notice-reminder', name, due.noticeBy);
  },
  // Recorded at the due instant, however late the workflow gets to it.
  breach: (state, name, term) => state.breach(name, currentDue(term).dueAt),
  escalation: (_state, name, term, mail) => mail.staffTerm('escalation', name, currentDue(term).date),
  // The answer date passed: handled by the clock loop, which plans the new dates (./suspension.ts).
  resume: () => undefined,
  // The aim's end: a missed target, at its instant (the whole term's, or the aim beside it).
  target: (state, name, term) => state.missTarget(name, term.target ? currentDue(term).dueAt : term.aim!.dueAt),
  'window-reminder': (_state, _name, _term, mail) => mail.positionReminder(),
  'window-closed': (state, name) => {
    state.lapse(name);
    concludeWindows(state);
  },
};

/**
 * Once the complainant's last window has passed: a decision stands, "not satisfied" without an
 * appeal closes as dissatisfied, silence as no_response (or, where only a written "satisfied"
 * closes, staff decide).
 */
export function concludeWindows(state: ComplaintState): void {
  const dossier = state.dossier;
  if (state.closed || pendingAppeal(dossier) || openWindows(dossier, state.clock()).length) return;
  const decided = dossier.appeals.at(-1);
  if (decided) {
    const window = dossier.terms[appealFileTerm(decided.level + 1)];
    state.close(decided.kind === 'internal' ? 'appeal_decided' : 'external_decided', 'klachtflow', `no appeal to level ${decided.level + 1} by ${window?.date}`);
  } else if (dossier.satisfaction) {
    state.close(dossier.satisfaction.satisfied ? 'satisfied' : 'dissatisfied', 'klachtflow');
  } else if (dossier.rules.satisfactionRequiredToClose || positionUndelivered(state)) {
    // Only a written "satisfied" closes, or the position never reached the complainant: staff decide.
    if (!dossier.timeline.some((e) => e.event === 'no-response')) {
      const why = positionUndelivered(state) ? 'the position could not be delivered' : 'written satisfaction is required to close';
      state.record('klachtflow', 'no-response', { detail: `staff decide: ${why}`, internal: true });
    }
  } else if (dossier.position) {
    state.close('no_response', 'klachtflow');
  }
}

/** Acts on an alarm whose instant has come. */
export function fire(state: ComplaintState, alarm: DueAlarm, mail: Mailer): void {
  state.fired.add(alarm.key);
  acts[alarm.kind](state, alarm.term, state.dossier.terms[alarm.term]!, mail);
  state.sync();
}

/** The operator's one line in the Temporal UI: never personal data. */
function describe(state: ComplaintState, next?: DueAlarm): void {
  const { dossier } = state;
  const missed = Object.entries(dossier.terms).filter(([, t]) => t?.breachedAt).map(([name]) => name);
  const parts = [`${dossier.procedure} · ${dossier.status}${dossier.outcome ? ` (${dossier.outcome})` : ''}`];
  if (dossier.handler) parts.push(`handler ${dossier.handler}`);
  if (next) parts.push(`next: ${alarmSummary(next)} at ${next.at}`);
  if (missed.length) parts.push(`missed: ${missed.join(', ')}`);
  if (dossier.destroyOn) parts.push(`destroy on ${dossier.destroyOn}`);
  state.describe(parts.join(' · '));
}

/** A timer for one alarm, kept while that alarm stays the next one: an unrelated action starts no new timer. */
interface Armed {
  key: string;
  rang: boolean;
  scope: CancellationScope;
}
function arm(alarm: DueAlarm): Armed {
  const armed: Armed = { key: `${alarm.key}@${alarm.at}`, rang: false, scope: new CancellationScope() };
  armed.scope.run(() => sleep(Date.parse(alarm.at) - Date.now(), { summary: alarmSummary(alarm) })).then(
    () => (armed.rang = true),
    () => undefined, // cancelled: another alarm came first
  );
  return armed;
}

/** Runs the clocks until the complaint is closed or `stop()` holds (the history is to continue as new). */
export async function runClocks(state: ComplaintState, mail: Mailer, stop: () => boolean, deadlines?: ActionContext['deadlines']): Promise<void> {
  let armed: Armed | undefined;
  while (!state.closed && !stop()) {
    const alarm = nextAlarm(state);
    describe(state, alarm);
    if (alarm && Date.parse(alarm.at) <= state.clock()) {
      if (alarm.kind === 'resume' && deadlines) {
        // An answer being filed this moment ends it first; else the answer date does.
        if (state.resuming) await condition(() => !state.resuming);
        else await resume(state, 'answer-date', 'klachtflow', { mail, deadlines });
        state.sync();
      } else fire(state, alarm, mail);
      continue;
    }
    if (armed && (!alarm || armed.key !== `${alarm.key}@${alarm.at}`)) {
      armed.scope.cancel();
      armed = undefined;
    }
    if (alarm && !armed) armed = arm(alarm);
    const seen = state.version;
    await condition(() => armed?.rang === true || state.version !== seen || stop());
  }
  armed?.scope.cancel();
  describe(state);
}
