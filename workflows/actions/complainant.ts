// What the complainant's actions do: their answer to "satisfied?", information, a withdrawal.
import { patched } from '@temporalio/workflow';
import type { complainantActions } from '../../domain/actions/complainant';
import type { SatisfactionAnswer } from '../../domain/dossier';
import { openSuspension } from '../../domain/lifecycle';
import { concludeWindows } from '../clocks';
import { resume } from '../suspension';
import { requestReopening } from '../reopening';
import type { Mailer } from '../effects';
import type { ComplaintState } from '../state';
import type { Effects } from './effect';

/**
 * The complainant's answer, through their link or as staff received it: "satisfied" closes the
 * complaint; "not satisfied" tells the handler, and closes it only once no window is left to appeal in.
 */
export function answerSatisfaction(state: ComplaintState, answer: SatisfactionAnswer, mail: Mailer): void {
  state.dossier.satisfaction = answer;
  state.meet('satisfaction', answer.at);
  const how = answer.channel ? `${answer.channel}, ${answer.receivedAt}` : undefined;
  const detail = [how, answer.comment].filter(Boolean).join(': ');
  state.record(answer.by, answer.satisfied ? 'satisfied' : 'not-satisfied', detail ? { detail } : {});
  if (answer.satisfied) return state.close('satisfied', answer.by);
  mail.notSatisfied();
  concludeWindows(state);
}

export const complainantEffects: Effects<keyof typeof complainantActions> = {
  respondSatisfaction: (state, { satisfied, comment }, { mail }) =>
    answerSatisfaction(state, { at: state.now(), satisfied, ...(comment ? { comment } : {}), by: 'complainant' }, mail),
  requestReopening: (state, { reason }, { mail }) => requestReopening(state, reason, { mail }),
  async addInformation(state, { text }, { mail, deadlines }) {
    state.record('complainant', 'information-added', { detail: text });
    // Their answer to an open question (issue 17): the suspended terms run on.
    if (openSuspension(state.dossier)) await resume(state, 'answered', 'complainant', { mail, deadlines });
  },
  completeDetails(state, details) {
    // Since 1.5 (issue 16): no earlier complaint came in incomplete.
    patched('complete-details');
    const { complaint } = state.dossier;
    const { name, phone, address, ...about } = details;
    Object.assign(complaint.complainant, { ...(name ? { name } : {}), ...(phone ? { phone } : {}), ...(address ? { address } : {}) });
    Object.assign(complaint, about);
    const done = complaint.incomplete ?? [];
    delete complaint.incomplete;
    state.record('complainant', 'details-completed', { detail: done.join(', ') });
  },
  withdraw: (state, { reason }) => state.close('withdrawn', 'complainant', reason),
};
