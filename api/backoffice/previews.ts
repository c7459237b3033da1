// The e-mail an action will send, before staff send it: the workflow's own inputs (workflows/
// mail-inputs.ts) from the dossier as the action would leave it, the dates from the same
// functions the workflow's activities use, rendered by the same templates as the e-mail
// activities. The link's token is masked, as in the correspondence.
import { type ComplainantMail, complainantMail, maskLinks } from '../../activities/complainant-mail';
import { createDeadlineActivities } from '../../activities/deadlines';
import { createEmailTemplates, type RenderedEmail } from '../../activities/templates';
import type { ActionName, BodyOf } from '../../domain/actions';
import type { AppealRecord, Dossier, TermName } from '../../domain/dossier';
import { currentDue } from '../../domain/lifecycle';
import type { Procedure } from '../../domain/procedure';
import { appealFileTerm } from '../../domain/vocabulary';
import { appealDecisionInput, delayNoticeInput, hearingInput, positionInput } from '../../workflows/mail-inputs';

/** The actions whose e-mail staff see first. */
export const previewed = ['sendPosition', 'extendTerm', 'scheduleHearing', 'decideAppeal'] as const satisfies readonly ActionName[];
export type PreviewedAction = (typeof previewed)[number];
export const isPreviewed = (name: ActionName): name is PreviewedAction => (previewed as readonly string[]).includes(name);

/** What staff see before an e-mail goes: its subject and text (the HTML says the same). */
export type Preview = Pick<RenderedEmail, 'subject' | 'text'>;

export interface PreviewDependencies {
  procedures: ReadonlyMap<string, Procedure>;
  publicBaseUrl: string;
  linkSecret: string;
}

export function previewer(deps: PreviewDependencies) {
  const mail: ComplainantMail = complainantMail({ ...deps, templates: createEmailTemplates() });
  const deadlines = createDeadlineActivities({ procedures: deps.procedures, namespaceRetentionMs: 0 });
  const masked = async (rendering: Promise<RenderedEmail>): Promise<Preview> => {
    const { subject, text } = await rendering;
    return { subject, text: maskLinks(text) };
  };

  const previews: { [K in PreviewedAction]: (dossier: Dossier, input: BodyOf<K>, by: string, at: string) => Promise<Preview> } = {
    async sendPosition(dossier, { text, solution, agreements }, by, at) {
      const after = await deadlines.afterPosition({ procedure: dossier.procedure, at, satisfactionTerm: dossier.satisfactionTerm, ...(dossier.route[0] ? { level1: dossier.route[0] } : {}) });
      const terms = { ...dossier.terms, satisfaction: after.satisfaction.term, ...(after.appeal1File ? { appeal1File: after.appeal1File.term } : {}) };
      const position = { at, by, text, ...(solution ? { solution } : {}), ...(agreements ? { agreements } : {}) };
      return masked(mail.sendPosition(positionInput({ ...dossier, position, terms }, false)));
    },
    async extendTerm(dossier, { term: termName, newDate, reason }, by, at) {
      const name = termName as TermName;
      const term = dossier.terms[name]!;
      const planned = await deadlines.extendTerm({
        procedure: dossier.procedure,
        term: name,
        from: currentDue(term),
        newDate,
        at,
        ...(term.noticeWorkingDaysBefore ? { noticeWorkingDaysBefore: term.noticeWorkingDaysBefore } : {}),
      });
      const extension = { ...planned.extension, by, reason };
      const extended = { ...dossier, terms: { ...dossier.terms, [name]: { ...term, extensions: [...(term.extensions ?? []), extension] } } };
      return masked(mail.sendDelayNotice(delayNoticeInput(extended, name, extension)));
    },
    scheduleHearing(dossier, { at: when, mode, location, attendees, level }, by, at) {
      const hearing = {
        number: dossier.hearings.length + 1,
        at: new Date(when).toISOString(),
        mode,
        ...(location ? { location } : {}),
        ...(attendees?.length ? { attendees } : {}),
        ...(level ? { level } : {}),
        scheduledAt: at,
        by,
      };
      return masked(mail.sendHearingInvitation(hearingInput(dossier, hearing)));
    },
    async decideAppeal(dossier, { level, decision, text }, by, at) {
      const appeal = dossier.appeals.find((a) => a.level === level)!;
      const decided: AppealRecord = { ...appeal, decision: { at, by, decision, text } };
      const next = dossier.route.find((l) => l.level === level + 1);
      // Upheld, or the last level: the complaint closes with it, and the link in the e-mail only views.
      if (decision === 'upheld' || !next) return masked(mail.sendAppealDecision(appealDecisionInput({ ...dossier, outcome: 'appeal_decided' }, decided)));
      const window = await deadlines.levelTerm({ procedure: dossier.procedure, kind: 'window', term: next.fileWithin ?? dossier.satisfactionTerm, anchorLabel: `level ${level} decided`, at });
      const terms = { ...dossier.terms, [appealFileTerm(next.level)]: window.term };
      return masked(mail.sendAppealDecision(appealDecisionInput({ ...dossier, terms }, decided, { level: next.level, by: window.term.date })));
    },
  };

  /** The e-mail `name` sends with `input`, taken by `by` at `at`. */
  return <K extends PreviewedAction>(name: K, dossier: Dossier, input: BodyOf<K>, by: string, at: Date): Promise<Preview> =>
    (previews[name] as (d: Dossier, i: BodyOf<K>, b: string, a: string) => Promise<Preview>)(dossier, input, by, at.toISOString());
}
