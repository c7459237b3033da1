// Suspension (opschorting, issue 17): a question to the complainant holds the terms the procedure
// names; its answer, staff recording one, or the answer date passing lets them run on with the
// working days they had left. Each move is a new generation of the term (its alarms fire anew),
// kept apart from extensions. Since 1.6 (patched 'suspension'): no earlier history asked one.
import { patched } from '@temporalio/workflow';
import type { Suspension } from '../domain/dossier';
import { currentDue, openSuspension, settled } from '../domain/lifecycle';
import type { ActionContext } from './actions/effect';
import type { ComplaintState } from './state';

type Services = Pick<ActionContext, 'mail' | 'deadlines'>;

/** Asks the question: the running terms the procedure names stand still from now. */
export async function suspend(state: ComplaintState, question: string, answerBy: string | undefined, by: string, { mail, deadlines }: Services): Promise<void> {
  patched('suspension');
  const { dossier } = state;
  const rule = dossier.rules.suspension!;
  const at = state.now();
  const answer = await deadlines.answerDate({ procedure: dossier.procedure, at, answerWithin: rule.answerWithin, ...(answerBy ? { answerBy } : {}) });
  const terms = rule.terms.filter((name) => dossier.terms[name] && !settled(dossier.terms[name]));
  const suspension: Suspension = { at, by, question, answerBy: answer.date, answerDueAt: answer.dueAt, terms };
  (dossier.suspensions ??= []).push(suspension);
  state.record(by, 'suspended', { at, detail: `${terms.join(', ')} until the answer, by ${answer.date}` });
  mail.informationRequest(dossier.suspensions.length);
}

/** Ends the open question (answered, recorded by staff, or its date passed): its terms run on. */
export async function resume(state: ComplaintState, how: NonNullable<Suspension['ended']>['how'], by: string, { mail, deadlines }: Services): Promise<void> {
  const { dossier } = state;
  const open = openSuspension(dossier);
  if (!open || state.resuming) return;
  patched('suspension');
  state.resuming = true;
  try {
    const at = state.now();
    const held = open.terms.filter((name) => dossier.terms[name] && !settled(dossier.terms[name]));
    const terms = Object.fromEntries(
      held.map((name) => {
        const term = dossier.terms[name]!;
        return [name, { date: currentDue(term).date, ...(term.noticeWorkingDaysBefore ? { noticeWorkingDaysBefore: term.noticeWorkingDaysBefore } : {}), ...(term.target ? { target: true } : {}) }];
      }),
    );
    // The answer date passed: the terms run on from that day, however late after midnight the timer is handled.
    const resumedAt = how === 'answer-date' ? open.answerDueAt : at;
    if (!held.length) {
      // Its terms were met meanwhile (the position went out): nothing to move, nothing to tell.
      open.ended = { at, by, how, workingDays: 0 };
      state.record(by, 'resumed', { at, detail: `${how}; no term left to move` });
      return;
    }
    const moved = await deadlines.resumeTerms({ procedure: dossier.procedure, suspendedAt: open.at, resumedAt, terms });
    for (const name of held) {
      const next = moved.terms[name]!;
      const from = currentDue(dossier.terms[name]!).date;
      const extension = { at, by, from, to: next.to, dueAt: next.dueAt, ...(next.noticeBy ? { noticeBy: next.noticeBy } : {}), reason: 'suspension', notice: 'in-time' as const, suspended: { from: moved.from, to: moved.to, workingDays: moved.workingDays } };
      state.extend(name, extension, next.trace, next.alarms);
    }
    open.ended = { at, by, how, workingDays: moved.workingDays };
    state.record(by, 'resumed', { at, detail: `${how}; ${moved.workingDays} working days` });
    mail.termsResumed(dossier.suspensions!.length);
  } finally {
    state.resuming = false;
  }
}
