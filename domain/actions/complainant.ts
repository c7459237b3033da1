// The complainant's actions, through the personal link: answer "satisfied?", add information,
// withdraw. (Appealing is in ./appeals.ts.)
import type { Dossier } from '../dossier';
import { z } from '../lazy-zod';
import { pendingAppeal, pendingReopening } from '../lifecycle';
import { localDateOf } from '../local-date';
import type { Refusal } from '../refusals';
import { action, limits, line, text } from './define';

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

/** Whether the complainant may ask to reopen now: after a "not satisfied" (no appeal filed), or once closed, up to the procedure's days after. */
export function reopeningRefusal(dossier: Dossier, now: number): Refusal | undefined {
  if (!dossier.rules.reopening) return { code: 'ReopeningNotInProcedure' };
  const pending = pendingReopening(dossier);
  if (pending) return { code: 'ReopeningAlreadyAsked', askedOn: localDateOf(new Date(pending.at), dossier.timezone) };
  // An appeal is the other road: once taken, its body decides.
  if (dossier.appeals.length || dossier.outcome === 'withdrawn') return { code: 'ReopeningNotNow' };
  if (dossier.outcome) {
    if (!dossier.reopenBy || localDateOf(new Date(now), dossier.timezone) > dossier.reopenBy) return { code: 'ReopeningWindowClosed', closedOn: dossier.reopenBy ?? localDateOf(new Date(dossier.closedAt ?? now), dossier.timezone) };
    return undefined;
  }
  return dossier.satisfaction && !dossier.satisfaction.satisfied ? undefined : { code: 'ReopeningNotNow' };
}

export const complainantActions = {
  respondSatisfaction: action({
    audience: 'complainant',
    path: 'satisfaction',
    summary: 'Answer "are you satisfied?"',
    body: () => z.strictObject({ satisfied: z.boolean(), comment: text(limits.text).optional() }),
    guard: (dossier, { satisfied }) => satisfactionRefusal(dossier, satisfied, false),
  }),
  requestReopening: action({
    audience: 'complainant',
    path: 'reopen',
    summary: 'Ask to reopen the complaint: after "not satisfied", or within the procedure\'s days after closure',
    whenClosed: 'also',
    rate: { event: 'reopening-requested', perDay: 3 },
    body: () => z.strictObject({ reason: text(limits.text, 'say why the complaint should be handled again') }),
    guard: (dossier, _body, { now }) => reopeningRefusal(dossier, now),
  }),
  addInformation: action({
    audience: 'complainant',
    path: 'information',
    summary: 'Add information to the complaint',
    rate: { event: 'information-added', perDay: 20 },
    body: () => z.strictObject({ text: text(limits.text, 'write the information to add') }),
  }),
  completeDetails: action({
    audience: 'complainant',
    path: 'details',
    summary: 'Complete the details the procedure needs that the complaint came without (a complaint by e-mail)',
    rate: { event: 'details-completed', perDay: 10 },
    body: () =>
      z.strictObject({
        name: line(200).optional(),
        phone: line(40).optional(),
        address: z.strictObject({ street: line(200), postalCode: line(20), city: line(100) }).optional(),
        whatHappened: text(limits.long).optional(),
        expected: text(limits.long).optional(),
        occurredOn: z.iso.date().optional(),
      }),
    guard: (dossier, body) => {
      const wanted = dossier.complaint.incomplete ?? [];
      if (!wanted.length) return { code: 'NothingToComplete' };
      const lacking = wanted.filter((field) => body[field] === undefined);
      return lacking.length ? { code: 'DetailsMissing', fields: lacking } : undefined;
    },
  }),
  withdraw: action({
    audience: 'complainant',
    linkScope: 'withdraw',
    summary: 'Withdraw the complaint',
    body: () => z.strictObject({ reason: text(limits.text).optional() }),
  }),
};
