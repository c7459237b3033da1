import { ApplicationFailure } from '@temporalio/activity';
import type { Transporter } from 'nodemailer';
import { dossierUrl } from '../domain/link-token';
import { dateInWords, instantInWords, localDateOf } from '../domain/local-date';
import type { Procedure } from '../domain/procedure';
import type { HearingMode, Language } from '../domain/vocabulary';
import { appealLabel, termLabel } from '../domain/words';
import type { StaffMember } from '../config/staff';
import type { EmailTemplates, RenderedEmail } from './templates';

export interface EmailDependencies {
  transport: Transporter;
  templates: EmailTemplates;
  procedures: ReadonlyMap<string, Procedure>;
  mailFrom: string;
  publicBaseUrl: string;
  linkSecret: string;
  staff: readonly StaffMember[];
}

/** Staff e-mail: about a term (reminder, notice, escalation), or about an event (new complaint, an appeal, "not satisfied"). */
export type StaffEmailKind = 'reminder' | 'notice-reminder' | 'escalation' | 'new-complaint' | 'appeal-filed' | 'not-satisfied';

export interface StaffEmail {
  reference: string;
  procedure: string;
  kind: StaffEmailKind;
  /** The complaint's step this e-mail belongs to: its Message-ID is made from it. */
  step: string;
  term?: string;
  level?: number;
  /** A term's due date (a notice reminder: its notice date) as YYYY-MM-DD; an event's instant. */
  date: string;
  handler?: string;
  /** A new complaint: the managers are told too (rules.notifyManagerOnReceipt). */
  managersToo?: boolean;
}

/** Every e-mail to the complainant: who, in which language, and what the dossier link is made from. */
export interface ComplainantEmail {
  reference: string;
  procedure: string;
  language: Language;
  to: string;
  name?: string;
  receivedAt: string;
  /** The complaint's step this e-mail belongs to: its Message-ID is made from it, so a retry is the same message. */
  step: string;
}

export interface ReceiptEmail extends ComplainantEmail {
  /** The terms that run from receipt, with their dates, to state in the e-mail. */
  terms?: { name: string; date: string }[];
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

export interface SentEmail {
  messageId: string;
  subject: string;
  sentAt: string;
}

/** E-mail activities, built from their dependencies so tests can hand in a real SMTP transport. */
export function createEmailActivities(deps: EmailDependencies) {
  const domain = deps.mailFrom.replace(/^.*@/, '').replace(/>.*$/, '') || 'klachtflow.local';
  // One Message-ID per (complaint, step): a retried send is recognisably the same message.
  const messageIdFor = (reference: string, step: string): string => `<${reference}.${step}@${domain}>`;

  async function send(to: string, { step, reference }: { step: string; reference: string }, { subject, text }: RenderedEmail): Promise<SentEmail> {
    const messageId = messageIdFor(reference, step);
    try {
      await deps.transport.sendMail({ from: deps.mailFrom, to, subject, text, messageId });
    } catch (err) {
      const { responseCode, code } = err as { responseCode?: number; code?: string };
      // A 5xx answer is the receiving server's final word, and an envelope nodemailer could not
      // even address stays invalid: retrying cannot help; a 4xx answer asks to try later. The
      // failure names the step and the code only: the server's own text often quotes the address.
      const permanent = responseCode !== undefined ? responseCode >= 500 : code === 'EENVELOPE';
      if (permanent) {
        throw ApplicationFailure.nonRetryable(`SMTP refused the ${step} e-mail (${responseCode ?? code})`, 'SmtpPermanentFailure');
      }
      throw ApplicationFailure.retryable(`SMTP could not take the ${step} e-mail now (${responseCode ?? code ?? 'no answer'})`, 'SmtpTransientFailure');
    }
    return { messageId, subject, sentAt: new Date().toISOString() };
  }

  const procedureOf = (id: string): Procedure => {
    const procedure = deps.procedures.get(id);
    if (!procedure) throw ApplicationFailure.nonRetryable(`unknown procedure "${id}"`, 'UnknownProcedure');
    return procedure;
  };

  const managers = () => deps.staff.filter((m) => m.roles.includes('manager')).map((m) => m.email);
  /** The handler, else the procedure's staff mailbox, else every handler. */
  const handlerOrMailbox = (procedure: Procedure, handler?: string): string[] => {
    const assigned = handler ? deps.staff.find((m) => m.id === handler) : undefined;
    if (assigned) return [assigned.email];
    if (procedure.staffMailbox) return [procedure.staffMailbox];
    return deps.staff.filter((m) => m.roles.includes('handler')).map((m) => m.email);
  };
  /** Staff e-mail goes to whoever the step concerns. */
  function staffRecipients(procedure: Procedure, input: StaffEmail): string[] {
    switch (input.kind) {
      case 'escalation':
        return managers();
      case 'new-complaint':
        return [...new Set([...handlerOrMailbox(procedure, input.handler), ...(input.managersToo ? managers() : [])])];
      case 'appeal-filed': {
        // An internal level goes to its decision maker; for an external body, the handler records the referral.
        const level = procedure.appeals.find((l) => l.level === input.level);
        if (level?.body.kind !== 'internal') return handlerOrMailbox(procedure, input.handler);
        return level.body.email ? [level.body.email] : managers();
      }
      default:
        return handlerOrMailbox(procedure, input.handler);
    }
  }

  /** What every complainant e-mail starts and ends with. */
  const greeting = (input: ComplainantEmail, procedure: Procedure) => ({
    reference: input.reference,
    name: input.name ?? null,
    organisation: procedure.organisation,
    dossierUrl: dossierUrl(deps.publicBaseUrl, deps.linkSecret, input.reference, new Date(input.receivedAt)),
  });

  /** A complainant's e-mail: its template in their language, with the greeting and the dossier link, to them. */
  const toComplainant = async (input: ComplainantEmail, template: string, values: Record<string, unknown>): Promise<SentEmail> =>
    send(input.to, input, await deps.templates.render(template, input.language, { ...greeting(input, procedureOf(input.procedure)), ...values }));

  const levelOf = (procedure: Procedure, level: number) => {
    const found = procedure.appeals.find((l) => l.level === level);
    if (!found) throw ApplicationFailure.nonRetryable(`procedure ${procedure.id} has no appeal level ${level}`, 'UnknownAppealLevel');
    return found;
  };

  return {
    async sendStaffEmail(input: StaffEmail): Promise<SentEmail & { to: string[] }> {
      const procedure = procedureOf(input.procedure);
      const to = staffRecipients(procedure, input);
      if (to.length === 0) {
        throw ApplicationFailure.nonRetryable(`no staff to send the ${input.kind} of ${input.reference} to: add a manager or handler to the staff file`, 'NoRecipients');
      }
      const { language, timezone, appeals } = procedure;
      const instant = ['new-complaint', 'appeal-filed', 'not-satisfied'].includes(input.kind);
      const rendered = await deps.templates.render('staff', language, {
        reference: input.reference,
        organisation: procedure.organisation,
        kind: input.kind,
        label: input.term ? termLabel(language, input.term, appeals) : input.level ? appealLabel(language, input.level, appeals) : null,
        date: dateInWords(language, instant ? localDateOf(new Date(input.date), timezone) : input.date),
        adminUrl: `${deps.publicBaseUrl}/api/admin/complaints/${input.reference}`,
      });
      return { ...(await send(to.join(', '), input, rendered)), to };
    },

    async sendDelayNotice(input: DelayNoticeEmail): Promise<SentEmail> {
      const procedure = procedureOf(input.procedure);
      return toComplainant(input, 'delay-notice', {
        label: termLabel(input.language, input.term, procedure.appeals),
        from: dateInWords(input.language, input.fromDate),
        to: dateInWords(input.language, input.newDate),
        reason: input.reason,
        late: input.late,
      });
    },

    async sendHearingInvitation(input: HearingEmail): Promise<SentEmail> {
      const procedure = procedureOf(input.procedure);
      return toComplainant(input, 'hearing', {
        when: instantInWords(input.language, input.at, procedure.timezone),
        mode: input.mode,
        location: input.location ?? null,
        attendees: input.attendees ?? [],
        level: input.level ?? null,
      });
    },

    async sendAppealReceived(input: AppealReceivedEmail): Promise<SentEmail> {
      const procedure = procedureOf(input.procedure);
      const level = levelOf(procedure, input.level);
      return toComplainant(input, 'appeal-received', {
        internal: level.body.kind === 'internal',
        body: level.body.name,
        contact: level.body.contact ?? level.body.url ?? null,
        binding: level.body.binding,
        hearing: level.hearing,
        decideBy: input.decideBy ? dateInWords(input.language, input.decideBy) : null,
        fileBy: input.fileBy ? dateInWords(input.language, input.fileBy) : null,
      });
    },

    async sendAppealDecision(input: AppealDecisionEmail): Promise<SentEmail> {
      const procedure = procedureOf(input.procedure);
      const level = levelOf(procedure, input.level);
      const next = input.next ? levelOf(procedure, input.next.level) : undefined;
      return toComplainant(input, 'appeal-decision', {
        body: level.body.name,
        external: input.external,
        decision: input.decision,
        text: input.text,
        next: next
          ? { body: next.body.name, contact: next.body.contact ?? next.body.url ?? null, binding: next.body.binding, by: dateInWords(input.language, input.next!.by) }
          : null,
      });
    },

    async sendPosition(input: PositionEmail): Promise<SentEmail> {
      const procedure = procedureOf(input.procedure);
      const link = greeting(input, procedure).dossierUrl;
      const level1 = procedure.appeals[0];
      return toComplainant(input, 'position', {
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

    async sendClosure(input: ClosureEmail): Promise<SentEmail> {
      const procedure = procedureOf(input.procedure);
      // An unresolved complaint is pointed to the external body that remains (thuiswerkdesk: the EU ODR platform).
      const external = ['dissatisfied', 'no_response'].includes(input.outcome)
        ? procedure.appeals.find((l) => l.body.kind !== 'internal')
        : undefined;
      return toComplainant(input, 'closure', {
        outcome: input.outcome,
        external_body: input.externalBody ?? null,
        external: external ? { name: external.body.name, where: external.body.url ?? external.body.contact ?? null } : null,
      });
    },

    async sendReceipt(input: ReceiptEmail): Promise<SentEmail> {
      const procedure = procedureOf(input.procedure);
      const receivedOn = dateInWords(input.language, localDateOf(new Date(input.receivedAt), procedure.timezone));
      const terms = (input.terms ?? []).map((t) => ({ name: t.name, date: dateInWords(input.language, t.date) }));
      return toComplainant(input, 'receipt', { receivedOn, terms });
    },
  };
}

export type EmailActivities = ReturnType<typeof createEmailActivities>;
