// The appeal route: the complainant appeals; staff decide an internal level, or record the
// referral to an external body and its outcome.
import type { AppealRecord, Dossier } from '../dossier';
import { z } from '../lazy-zod';
import { closesAt, decidedOn, latestHearing, nextAppealLevel, pendingAppeal, settled } from '../lifecycle';
import { localDateOf } from '../local-date';
import type { Refusal } from '../refusals';
import { appealDecisions, deciders, externalOutcomes } from '../vocabulary';
import { action, appealLevel, limits, text } from './define';

const day = (dossier: Dossier, at: string) => localDateOf(new Date(at), dossier.timezone);

/** The appeal at `level`, open, and of the kind (internal or external) the action expects; else why not. */
export function openAppealAt(dossier: Dossier, level: number, kind: 'internal' | 'external'): AppealRecord | Refusal {
  const appeal = dossier.appeals.find((a) => a.level === level);
  if (!appeal) return { code: 'NoAppealAtLevel', level };
  if ((appeal.kind === 'internal') !== (kind === 'internal')) return { code: appeal.kind === 'internal' ? 'AppealIsInternal' : 'AppealIsExternal', level };
  const decided = decidedOn(appeal);
  if (decided) return { code: 'AppealAlreadyDecided', level, decidedOn: day(dossier, decided) };
  return appeal;
}
const refusalOf = (found: AppealRecord | Refusal): Refusal | undefined => ('code' in found ? found : undefined);

/** A hearing that was planned must have been held, or staff say why they go on without it; a required one must exist. */
export function hearingRefusal(dossier: Dossier, level: number | undefined, hearingSkipped: string | undefined): Refusal | undefined {
  if (hearingSkipped) return undefined;
  const hearing = latestHearing(dossier, level);
  if (hearing && !hearing.held) return { code: 'HearingNotHeld', number: hearing.number, at: hearing.at };
  const required = level !== undefined && dossier.route.find((l) => l.level === level)?.hearing === 'required';
  if (required && !hearing) return { code: 'HearingRequired', level };
  return undefined;
}

export const appealActions = {
  fileAppeal: action({
    audience: 'complainant',
    path: 'appeal',
    summary: 'Appeal to the next level of the procedure',
    body: () => z.strictObject({ grounds: text(limits.long, 'write why you disagree with the position') }),
    guard: (dossier, _body, { now }) => {
      if (!dossier.position) return { code: 'NoPositionYet' };
      if (dossier.route.length === 0) return { code: 'NoAppealRoute' };
      const pending = pendingAppeal(dossier);
      if (pending) return { code: 'AppealPending', level: pending.level };
      const next = nextAppealLevel(dossier);
      if (!next?.window) return { code: 'NoFurtherAppeal' };
      const { window } = next;
      if (window.lapsedAt || (!settled(window) && now > Date.parse(closesAt(window)))) return { code: 'AppealWindowClosed', level: next.level.level, closedOn: window.date };
      return undefined;
    },
  }),
  decideAppeal: action({
    audience: 'staff',
    roles: deciders,
    summary: 'Decide an appeal at an internal level',
    body: () =>
      z.strictObject({
        level: appealLevel(),
        decision: z.enum(appealDecisions),
        text: text(limits.letter, 'the decision must be reasoned'),
        hearingSkipped: text(limits.text).optional(),
      }),
    guard: (dossier, { level, decision, hearingSkipped }) => {
      const found = openAppealAt(dossier, level, 'internal');
      const refused = refusalOf(found) ?? hearingRefusal(dossier, level, hearingSkipped);
      if (refused) return refused;
      const closes = decision === 'upheld' || !dossier.route.some((l) => l.level === level + 1);
      if (closes && dossier.rules.requireRootCause && !dossier.cause) return { code: 'RootCauseRequired' };
      return undefined;
    },
  }),
  recordExternalReferral: action({
    audience: 'staff',
    summary: 'Record the referral to an external body',
    body: () => z.strictObject({ level: appealLevel(), caseNumber: text(100).optional() }),
    guard: (dossier, { level }) => {
      const found = openAppealAt(dossier, level, 'external');
      if ('code' in found) return found;
      if (found.referral) return { code: 'ReferralAlreadyRecorded', level, recordedOn: day(dossier, found.referral.at) };
      return undefined;
    },
  }),
  recordExternalOutcome: action({
    audience: 'staff',
    roles: deciders,
    summary: "Record an external body's outcome",
    body: () => z.strictObject({ level: appealLevel(), outcome: z.enum(externalOutcomes), text: text(limits.long, 'summarise the outcome') }),
    guard: (dossier, { level }) => refusalOf(openAppealAt(dossier, level, 'external')),
  }),
};
