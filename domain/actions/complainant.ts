// The complainant's actions, through the personal link: answer "satisfied?", add information,
// withdraw. (Appealing is in ./appeals.ts.)
import type { Dossier } from '../dossier';
import { z } from '../lazy-zod';
import { pendingAppeal } from '../lifecycle';
import { localDateOf } from '../local-date';
import type { Refusal } from '../refusals';
import { action, limits, text } from './define';

/**
 * Whether a "satisfied?" answer can be taken now, through the link or as staff received it: after
 * the position (a "satisfied" that staff hear of may come earlier: the complaint solved at once),
 * not while an appeal runs (its decision answers it), and a "not satisfied" may still turn into
 * "satisfied", never the other way round.
 */
export function satisfactionRefusal(dossier: Dossier, satisfied: boolean, beforePosition: boolean): Refusal | undefined {
  if (!dossier.position && !(satisfied && beforePosition)) return { code: 'NoPositionYet' };
  const pending = pendingAppeal(dossier);
  if (pending) return { code: 'AppealPending', level: pending.level };
  const previous = dossier.satisfaction;
  if (previous && (previous.satisfied || !satisfied)) {
    return { code: 'AlreadyAnswered', answeredOn: localDateOf(new Date(previous.at), dossier.timezone), satisfied: previous.satisfied };
  }
  return undefined;
}

export const complainantActions = {
  respondSatisfaction: action({
    audience: 'complainant',
    path: 'satisfaction',
    summary: 'Answer "are you satisfied?"',
    body: () => z.strictObject({ satisfied: z.boolean(), comment: text(limits.text).optional() }),
    guard: (dossier, { satisfied }) => satisfactionRefusal(dossier, satisfied, false),
  }),
  addInformation: action({
    audience: 'complainant',
    path: 'information',
    summary: 'Add information to the complaint',
    rate: { event: 'information-added', perDay: 20 },
    body: () => z.strictObject({ text: text(limits.text, 'write the information to add') }),
  }),
  withdraw: action({
    audience: 'complainant',
    linkScope: 'withdraw',
    summary: 'Withdraw the complaint',
    body: () => z.strictObject({ reason: text(limits.text).optional() }),
  }),
};
