// The complainant's e-mails as text: each activity's template in the complainant's language,
// with the greeting and their dossier link. The e-mail activities send what this renders, and
// the back office's previews show what it renders for an action not yet taken, so what staff
// see before they send is what arrives.
import { ApplicationFailure } from '@temporalio/common';
import { dossierUrl, linkScopes, viewOnly } from '../domain/link-token';
import { dateInWords, instantInWords, localDateOf } from '../domain/local-date';
import type { Procedure } from '../domain/procedure';
import type { ContactChannel, HearingMode, Language } from '../domain/vocabulary';
import { detailLabels, termLabel } from '../domain/words';
import type { EmailTemplates, RenderedEmail } from './templates';

/** Every e-mail to the complainant: who, in which language, and what the dossier link is made from. */
export interface ComplainantEmail {
  reference: string;
  procedure: string;
  language: Language;
  /** Absent: the complainant has no e-mail address, and the e-mail becomes a letter to post. */
  to?: string;
  name?: string;
  receivedAt: string;
  /** The complaint's step this e-mail belongs to: its Message-ID is made from it, so a retry is the same message. */
  step: string;
  /** The link's generation, once staff revoked earlier links (0 where absent). */
  linkGeneration?: number;
  /** Sent once the complaint is closed: the link only shows the dossier. */
  viewOnly?: boolean;
}

export interface ReceiptEmail extends ComplainantEmail {
  /** The terms that run from receipt, with their dates, to state in the e-mail. */
  terms?: { name: string; date: string; aim?: boolean; aimDate?: string }[];
  /** Required details the complaint came without (by e-mail): the receipt asks for them. */
  missing?: string[];
}

export interface PositionEmail extends ComplainantEmail {
  text: string;
  solution?: string;
  agreements?: string;
  /** The last day to answer "satisfied?", and the last day to appeal (YYYY-MM-DD). */
  satisfactionBy: string;
  appealBy?: string;
  /** The one reminder when "satisfied?" went unanswered, and the instant the answer may still come until. */
  reminder?: boolean;
  answerUntil?: string;
}

export interface ClosureEmail extends ComplainantEmail {
  outcome: string;
  /** The external body that decided (outcome external_decided). */
  externalBody?: string;
}

export interface DelayNoticeEmail extends ComplainantEmail {
  term: string;
  /** The due date told before, and the new one (YYYY-MM-DD). */
  fromDate: string;
  newDate: string;
  reason: string;
  /** After the notice date: the e-mail apologises. */
  late: boolean;
}

export interface HearingEmail extends ComplainantEmail {
  at: string;
  mode: HearingMode;
  /** The place, or the Teams link. */
  location?: string;
  attendees?: string[];
  level?: number;
}

/** The agreements of a logged contact, confirmed in writing (issue 17). */
export interface AgreementsEmail extends ComplainantEmail {
  /** When the contact took place, and how. */
  at: string;
  channel: ContactChannel;
  agreements: string;
}

/** A question that suspends terms (issue 17): what we ask, by when, and which terms stand still meanwhile. */
export interface InformationRequestEmail extends ComplainantEmail {
  question: string;
  answerBy: string;
  terms: string[];
}

/** A suspension ended: how, how many working days the terms stood still, and their new dates. */
export interface TermsResumedEmail extends ComplainantEmail {
  how: 'answered' | 'answer-date' | 'staff';
  workingDays: number;
  terms: { name: string; date: string }[];
}

/** Staff's decision on a request to reopen: the new dates, or the reason and the appeal still open. */
export interface ReopeningEmail extends ComplainantEmail {
  accepted: boolean;
  reason?: string;
  terms?: { name: string; date: string }[];
  /** Refused while an appeal window is open: the body and the last day. */
  appeal?: { level: number; by: string };
}

export interface AppealReceivedEmail extends ComplainantEmail {
  level: number;
  /** Internal levels: the decision term; external levels: the last day to file with the body. */
  decideBy?: string;
  fileBy?: string;
}

export interface AppealDecisionEmail extends ComplainantEmail {
  level: number;
  decision: string;
  text: string;
  external: boolean;
  /** The next level, where there is one, and the last day to appeal to it. */
  next?: { level: number; by: string };
}

export interface ComplainantMailDependencies {
  templates: EmailTemplates;
  procedures: ReadonlyMap<string, Procedure>;
  publicBaseUrl: string;
  linkSecret: string;
}

/** The link's token in a text replaced by "…": what the dossier keeps and the back office shows, so staff never hold a complainant's link. */
export const maskLinks = (text: string): string => text.replace(/(\/dossier\/[A-Z0-9-]+\?token=)[\w.~-]+/g, '$1…');

/** Each complainant e-mail, by the activity that sends it, rendered to subject and text. */
export function complainantMail(deps: ComplainantMailDependencies) {
  const procedureOf = (id: string): Procedure => {
    const procedure = deps.procedures.get(id);
    if (!procedure) throw ApplicationFailure.nonRetryable(`unknown procedure "${id}"`, 'UnknownProcedure');
    return procedure;
  };
  const levelOf = (procedure: Procedure, level: number) => {
    const found = procedure.appeals.find((l) => l.level === level);
    if (!found) throw ApplicationFailure.nonRetryable(`procedure ${procedure.id} has no appeal level ${level}`, 'UnknownAppealLevel');
    return found;
  };
  const linkOf = (input: ComplainantEmail) =>
    dossierUrl(deps.publicBaseUrl, deps.linkSecret, input.reference, new Date(input.receivedAt), {
      generation: input.linkGeneration ?? 0,
      scopes: input.viewOnly ? viewOnly : linkScopes,
    });
  /** Its template in their language, with what every complainant e-mail starts and ends with. */
  const render = (input: ComplainantEmail, template: string, values: Record<string, unknown>): Promise<RenderedEmail> =>
    deps.templates.render(
      template,
      input.language,
      {
        reference: input.reference,
        name: input.name ?? null,
        organisation: procedureOf(input.procedure).organisation,
        dossierUrl: linkOf(input),
        ...values,
      },
      procedureOf(input.procedure).signature,
    );

  return {
    sendDelayNotice(input: DelayNoticeEmail): Promise<RenderedEmail> {
      const procedure = procedureOf(input.procedure);
      return render(input, 'delay-notice', {
        label: termLabel(input.language, input.term, procedure.appeals),
        from: dateInWords(input.language, input.fromDate),
        to: dateInWords(input.language, input.newDate),
        reason: input.reason,
        late: input.late,
      });
    },

    sendInformationRequest(input: InformationRequestEmail): Promise<RenderedEmail> {
      const procedure = procedureOf(input.procedure);
      return render(input, 'information-request', {
        question: input.question,
        answerBy: dateInWords(input.language, input.answerBy),
        terms: input.terms.map((name) => termLabel(input.language, name, procedure.appeals)),
      });
    },

    sendTermsResumed(input: TermsResumedEmail): Promise<RenderedEmail> {
      const procedure = procedureOf(input.procedure);
      return render(input, 'terms-resumed', {
        how: input.how,
        workingDays: input.workingDays,
        terms: input.terms.map((t) => ({ label: termLabel(input.language, t.name, procedure.appeals), date: dateInWords(input.language, t.date) })),
      });
    },

    sendReopeningDecision(input: ReopeningEmail): Promise<RenderedEmail> {
      const procedure = procedureOf(input.procedure);
      const level = input.appeal ? procedure.appeals.find((l) => l.level === input.appeal!.level) : undefined;
      return render(input, 'reopening', {
        accepted: input.accepted,
        reason: input.reason ?? null,
        terms: (input.terms ?? []).map((t) => ({ label: termLabel(input.language, t.name, procedure.appeals), date: dateInWords(input.language, t.date) })),
        appeal: level && input.appeal ? { name: level.body.name, where: level.body.url ?? level.body.contact ?? null, by: dateInWords(input.language, input.appeal.by) } : null,
      });
    },

    sendAgreements(input: AgreementsEmail): Promise<RenderedEmail> {
      const procedure = procedureOf(input.procedure);
      return render(input, 'agreements', { when: instantInWords(input.language, input.at, procedure.timezone), channel: input.channel, agreements: input.agreements });
    },

    sendHearingInvitation(input: HearingEmail): Promise<RenderedEmail> {
      const procedure = procedureOf(input.procedure);
      return render(input, 'hearing', {
        when: instantInWords(input.language, input.at, procedure.timezone),
        mode: input.mode,
        location: input.location ?? null,
        attendees: input.attendees ?? [],
        level: input.level ?? null,
      });
    },

    sendAppealReceived(input: AppealReceivedEmail): Promise<RenderedEmail> {
      const procedure = procedureOf(input.procedure);
      const level = levelOf(procedure, input.level);
      return render(input, 'appeal-received', {
        internal: level.body.kind === 'internal',
        body: level.body.name,
        contact: level.body.contact ?? level.body.url ?? null,
        binding: level.body.binding,
        hearing: level.hearing,
        decideBy: input.decideBy ? dateInWords(input.language, input.decideBy) : null,
        fileBy: input.fileBy ? dateInWords(input.language, input.fileBy) : null,
      });
    },

    sendAppealDecision(input: AppealDecisionEmail): Promise<RenderedEmail> {
      const procedure = procedureOf(input.procedure);
      const level = levelOf(procedure, input.level);
      const next = input.next ? levelOf(procedure, input.next.level) : undefined;
      return render(input, 'appeal-decision', {
        body: level.body.name,
        external: input.external,
        decision: input.decision,
        text: input.text,
        next: next
          ? { body: next.body.name, contact: next.body.contact ?? next.body.url ?? null, binding: next.body.binding, by: dateInWords(input.language, input.next!.by) }
          : null,
      });
    },

    sendPosition(input: PositionEmail): Promise<RenderedEmail> {
      const procedure = procedureOf(input.procedure);
      const link = linkOf(input);
      const level1 = procedure.appeals[0];
      return render(input, 'position', {
        position: input.text,
        solution: input.solution ?? null,
        agreements: input.agreements ?? null,
        satisfiedUrl: `${link}&satisfied=yes`,
        dissatisfiedUrl: `${link}&satisfied=no`,
        satisfactionBy: dateInWords(input.language, input.answerUntil ? localDateOf(new Date(input.answerUntil), procedure.timezone) : input.satisfactionBy),
        appeal: level1
          ? { name: level1.body.name, contact: level1.body.contact ?? level1.body.url ?? null, binding: level1.body.binding, by: input.appealBy ? dateInWords(input.language, input.appealBy) : null }
          : null,
        reminder: input.reminder ?? false,
      });
    },

    sendClosure(input: ClosureEmail): Promise<RenderedEmail> {
      const procedure = procedureOf(input.procedure);
      // An unresolved complaint is pointed to the external body that remains (thuiswerkdesk: the EU ODR platform).
      const external = ['dissatisfied', 'no_response'].includes(input.outcome) ? procedure.appeals.find((l) => l.body.kind !== 'internal') : undefined;
      return render(input, 'closure', {
        outcome: input.outcome,
        external_body: input.externalBody ?? null,
        external: external ? { name: external.body.name, where: external.body.url ?? external.body.contact ?? null } : null,
      });
    },

    sendNewLink: (input: ComplainantEmail): Promise<RenderedEmail> => render(input, 'new-link', { closed: input.viewOnly ?? false }),

    /** The link the complainant asked for on /dossier/nieuwe-link: the earlier ones keep working. */
    sendRequestedLink: (input: ComplainantEmail): Promise<RenderedEmail> => render(input, 'link-requested', { closed: input.viewOnly ?? false }),

    sendReceipt(input: ReceiptEmail): Promise<RenderedEmail> {
      const procedure = procedureOf(input.procedure);
      const receivedOn = dateInWords(input.language, localDateOf(new Date(input.receivedAt), procedure.timezone));
      // An aim is said as one: "wij streven naar", never "uiterlijk".
      const terms = (input.terms ?? []).map((t) => ({ name: t.name, date: dateInWords(input.language, t.date), aim: t.aim ?? false, aimDate: t.aimDate ? dateInWords(input.language, t.aimDate) : null }));
      const missing = (input.missing ?? []).map((field) => detailLabels[input.language][field] ?? field);
      return render(input, 'receipt', { receivedOn, terms, missing });
    },
  };
}

export type ComplainantMail = ReturnType<typeof complainantMail>;
