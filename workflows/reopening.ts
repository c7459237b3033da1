// Reopening (issue 17): where the procedure allows it, the complainant asks to reopen after a "not
// satisfied" or shortly after closure; staff accept (the handling terms start again from the
// acceptance, the round before kept with the request) or refuse with a reason (the appeal route
// stays as it was). Since 1.6 (patched 'reopening'): no earlier history asked it.
import { patched } from '@temporalio/workflow';
import type { TermName } from '../domain/dossier';
import { pendingReopening } from '../domain/lifecycle';
import type { ActionContext } from './actions/effect';
import type { ComplaintState } from './state';

/** The complainant's request: on file, and the handler is told. */
export function requestReopening(state: ComplaintState, reason: string, { mail }: Pick<ActionContext, 'mail'>): void {
  patched('reopening');
  const { dossier } = state;
  (dossier.reopenings ??= []).push({ at: state.now(), reason });
  state.record('complainant', 'reopening-requested', { detail: reason });
  mail.reopeningRequested(dossier.reopenings.length);
}

/** The windows of the complainant that belong to a position: they close with the round they belong to. */
const windowsOfPosition: TermName[] = ['satisfaction', 'appeal1File'];

/** Staff decide: reopened from now, or refused with the reason. */
export async function decideReopening(state: ComplaintState, accepted: boolean, reason: string | undefined, by: string, { mail, deadlines }: Pick<ActionContext, 'mail' | 'deadlines'>): Promise<void> {
  patched('reopening');
  const { dossier } = state;
  const request = pendingReopening(dossier)!;
  const number = dossier.reopenings!.indexOf(request) + 1;
  const at = state.now();
  if (!accepted) {
    request.decided = { at, by, accepted, ...(reason ? { reason } : {}) };
    state.record(by, 'reopening-refused', { at, detail: reason });
    mail.reopeningDecision(number);
    return;
  }
  const planned = await deadlines.reopenTerms({ procedure: dossier.procedure, at });
  const wasClosed = state.closed;
  const { position, satisfaction, outcome, closedAt } = dossier;
  const handling = Object.fromEntries((Object.keys(planned) as TermName[]).flatMap((name) => (dossier.terms[name] ? [[name, dossier.terms[name]]] : [])));
  request.earlier = { ...(position ? { position } : {}), ...(satisfaction ? { satisfaction } : {}), ...(outcome ? { outcome } : {}), ...(closedAt ? { closedAt } : {}), terms: handling };
  request.decided = { at, by, accepted, ...(reason ? { reason } : {}) };
  delete dossier.position;
  delete dossier.satisfaction;
  delete dossier.outcome;
  delete dossier.closedAt;
  delete dossier.destroyOn;
  delete dossier.reopenBy;
  for (const name of windowsOfPosition) state.forget(name);
  for (const [name, term] of Object.entries(planned) as [TermName, NonNullable<(typeof planned)[TermName]>][]) {
    state.forget(name);
    state.plan(name, term);
  }
  state.record(by, 'reopened', { at, ...(reason ? { detail: reason } : {}) });
  // A closed complaint leaves its retention: its clocks run again (./complaint.ts).
  if (wasClosed) state.reopenedAfterClosure = true;
  mail.reopeningDecision(number);
}
