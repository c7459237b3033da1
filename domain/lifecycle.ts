// What the facts of a dossier mean: its status, what it waits for, which windows are open.
// Pure, and shared by the workflow, the guards, the API and the pages: the status is never
// set by hand, it follows from the facts.
import type { AppealRecord, Dossier, DossierTerm, Hearing, Reopening, Suspension, TermName } from './dossier';
import type { AppealLevel } from './procedure';
import { appealFileTerm, type ComplaintStatus } from './vocabulary';

/** The status of SPEC §4 as the facts make it. */
export function statusOf(dossier: Dossier): ComplaintStatus {
  if (dossier.outcome) return 'closed';
  const pending = pendingAppeal(dossier);
  if (pending) return pending.kind === 'internal' ? 'in_appeal' : 'with_external_body';
  if (dossier.position) return 'awaiting_complainant';
  if (takenUp(dossier)) return 'in_progress';
  return 'received';
}

/** Taken up: assigned, staff were in touch with the complainant, or it was reopened (handled before). */
export const takenUp = (dossier: Dossier): boolean =>
  dossier.handler !== undefined || dossier.timeline.some((e) => e.event === 'contact') || reopenedTimes(dossier) > 0;

/** The appeal filed and not yet decided, if any. */
export const pendingAppeal = (dossier: Dossier): AppealRecord | undefined => dossier.appeals.find((a) => !a.decision && !a.externalOutcome);

export const decidedOn = (appeal: AppealRecord): string | undefined => appeal.decision?.at ?? appeal.externalOutcome?.at;

/** The date and due instant a term runs to now: its last extension's, else its own. */
export function currentDue(term: DossierTerm): { date: string; dueAt: string; noticeBy?: string } {
  const last = term.extensions?.at(-1);
  if (!last) return { date: term.date, dueAt: term.dueAt, ...(term.noticeBy ? { noticeBy: term.noticeBy } : {}) };
  return { date: last.to, dueAt: last.dueAt, ...(last.noticeBy ? { noticeBy: last.noticeBy } : {}) };
}

/** The request to reopen that waits for staff's decision, if any. */
export const pendingReopening = (dossier: Dossier): Reopening | undefined => dossier.reopenings?.find((r) => !r.decided);

/** How many times the complaint was reopened: the round its e-mails' steps are numbered in. */
export const reopenedTimes = (dossier: Dossier): number => dossier.reopenings?.filter((r) => r.decided?.accepted).length ?? 0;

/** The question to the complainant that suspends terms now, if any. */
export const openSuspension = (dossier: Dossier): Suspension | undefined => {
  const last = dossier.suspensions?.at(-1);
  // A closed complaint waits for no answer.
  return last && !last.ended && !dossier.outcome ? last : undefined;
};

/** Whether a term stands still now, for the open question's sake. */
export const suspendedNow = (dossier: Dossier, name: TermName): boolean => openSuspension(dossier)?.terms.includes(name) ?? false;

/** Met, or (a window) passed: nothing more to wait for. */
export const settled = (term: DossierTerm): boolean => term.metAt !== undefined || term.lapsedAt !== undefined;

/** The instant a window closes. */
export const closesAt = (term: DossierTerm): string => term.closesAt ?? term.dueAt;

/** The complainant's windows still open at `now`: "satisfied?" and the appeal windows. */
export function openWindows(dossier: Dossier, now: number): [TermName, DossierTerm][] {
  return (Object.entries(dossier.terms) as [TermName, DossierTerm][]).filter(
    ([, term]) => term.kind === 'window' && !settled(term) && now <= Date.parse(closesAt(term)),
  );
}

/** The level the complainant may appeal to next, with its window; undefined where the route ends. */
export function nextAppealLevel(dossier: Dossier): { level: AppealLevel; window?: DossierTerm } | undefined {
  const last = dossier.appeals.at(-1);
  const number = last ? last.level + 1 : 1;
  const level = dossier.route.find((l) => l.level === number);
  if (!level) return undefined;
  return { level, ...(dossier.terms[appealFileTerm(number)] ? { window: dossier.terms[appealFileTerm(number)] } : {}) };
}

/** The latest hearing planned for the complaint itself (no level) or for an appeal level. */
export const latestHearing = (dossier: Dossier, level?: number): Hearing | undefined => dossier.hearings.filter((h) => h.level === level).at(-1);

/** A staff member the complaint is about. */
export const isInvolved = (dossier: Dossier, staffId: string): boolean => dossier.involved.some((p) => p.staffId === staffId);

/** The terms staff run now: not met, with their current dates. */
export function runningTerms(dossier: Dossier): TermName[] {
  return (Object.entries(dossier.terms) as [TermName, DossierTerm][]).filter(([, t]) => t.kind === 'term' && !t.metAt).map(([name]) => name);
}
