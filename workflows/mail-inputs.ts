// What each e-mail to the complainant is made from, as pure functions of the dossier: the
// workflow queues them (./effects.ts), and the back office renders the same inputs for the
// preview of an action not yet taken (api/backoffice/previews.ts). No workflow API here.
import type { AppealDecisionEmail, ComplainantEmail, DelayNoticeEmail, HearingEmail, PositionEmail } from '../activities/complainant-mail';
import type { AppealRecord, Dossier, Hearing, TermExtension, TermName } from '../domain/dossier';
import { reopenedTimes } from '../domain/lifecycle';

/** Who it goes to, in which language, and the link it carries: of the current generation, and once closed only to view. */
export const complainantEnvelope = (dossier: Dossier, step: string): ComplainantEmail => ({
  reference: dossier.reference,
  procedure: dossier.procedure,
  language: dossier.language,
  ...(dossier.complaint.complainant.email ? { to: dossier.complaint.complainant.email } : {}),
  ...(dossier.complaint.complainant.name ? { name: dossier.complaint.complainant.name } : {}),
  receivedAt: dossier.receivedAt,
  step,
  ...(dossier.linkGeneration ? { linkGeneration: dossier.linkGeneration } : {}),
  ...(dossier.outcome ? { viewOnly: true } : {}),
});

/** A reopened complaint's e-mails of its next round carry its number in their steps (and so their Message-IDs): `-r2`, … */
export const roundSuffix = (dossier: Dossier): string => (reopenedTimes(dossier) ? `-r${reopenedTimes(dossier) + 1}` : '');

/** The position (or its one reminder), once the dossier holds it and its "satisfied?" window. */
export function positionInput(dossier: Dossier, reminder: boolean): PositionEmail {
  const { text, solution, agreements } = dossier.position!;
  const satisfaction = dossier.terms.satisfaction!;
  return {
    ...complainantEnvelope(dossier, `${reminder ? 'position-reminder' : 'position'}${roundSuffix(dossier)}`),
    text,
    ...(solution ? { solution } : {}),
    ...(agreements ? { agreements } : {}),
    satisfactionBy: satisfaction.date,
    ...(reminder && satisfaction.closesAt ? { answerUntil: satisfaction.closesAt, reminder } : {}),
    ...(dossier.terms.appeal1File ? { appealBy: dossier.terms.appeal1File.date } : {}),
  };
}

/** The notice of a term's new date, once the extension is on the term. */
export function delayNoticeInput(dossier: Dossier, term: TermName, extension: TermExtension): DelayNoticeEmail {
  const step = `delay-${term}-${dossier.terms[term]!.extensions!.length}`;
  return { ...complainantEnvelope(dossier, step), term, fromDate: extension.from, newDate: extension.to, reason: extension.reason, late: extension.notice !== 'in-time' };
}

export function hearingInput(dossier: Dossier, { number, at, mode, location, attendees, level }: Hearing): HearingEmail {
  return { ...complainantEnvelope(dossier, `hearing-${number}`), at, mode, ...(location ? { location } : {}), ...(attendees ? { attendees } : {}), ...(level ? { level } : {}) };
}

/** A level's decision (internal) or outcome (external), with the next level and its last day where the route goes on. */
export function appealDecisionInput(dossier: Dossier, appeal: AppealRecord, next?: { level: number; by: string }): AppealDecisionEmail {
  const decided = appeal.decision ?? appeal.externalOutcome!;
  const decision = appeal.decision?.decision ?? appeal.externalOutcome!.outcome;
  return {
    ...complainantEnvelope(dossier, `appeal-${appeal.level}-decision`),
    level: appeal.level,
    decision,
    text: decided.text,
    external: appeal.kind !== 'internal',
    ...(next ? { next } : {}),
  };
}
