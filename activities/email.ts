import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Transporter } from 'nodemailer';
import type { Language } from '../domain/complaint';
import { dossierUrl } from '../domain/link-token';
import { localDateOf } from '../domain/local-date';
import type { Procedure } from '../domain/procedure';
import type { StaffMember } from '../config/staff';
import type { EmailTemplates } from './templates';

export interface EmailDependencies {
  transport: Transporter;
  templates: EmailTemplates;
  procedures: ReadonlyMap<string, Procedure>;
  mailFrom: string;
  publicBaseUrl: string;
  linkSecret: string;
  staff: readonly StaffMember[];
}

export type StaffTermEmailKind = 'reminder' | 'notice-reminder' | 'escalation' | 'new-complaint';

export interface StaffTermEmail {
  reference: string;
  procedure: string;
  kind: StaffTermEmailKind;
  term: string;
  /** The due date (or, for a notice reminder, the notice date) as YYYY-MM-DD; for a new complaint, its receipt instant. */
  date: string;
  handler?: string;
}

/** Every e-mail to the complainant: who, in which language, and what the dossier link is made from. */
export interface ComplainantEmail {
  reference: string;
  procedure: string;
  language: Language;
  to: string;
  name?: string;
  receivedAt: string;
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
  /** The one reminder when "satisfied?" went unanswered. */
  reminder?: boolean;
}

export interface ClosureEmail extends ComplainantEmail {
  outcome: string;
}

export interface SentEmail {
  messageId: string;
  subject: string;
  sentAt: string;
}

/** E-mail activities, built from their dependencies so tests can hand in a real SMTP transport. */
/** A calendar date in words ("maandag 4 mei 2026"); noon UTC so no zone can shift it. */
function formatDate(language: Language, date: string): string {
  return new Intl.DateTimeFormat(language === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'full', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));
}

export function createEmailActivities(deps: EmailDependencies) {
  const domain = deps.mailFrom.replace(/^.*@/, '').replace(/>.*$/, '') || 'klachtflow.local';
  // One Message-ID per (complaint, step): a retried send is recognisably the same message.
  const messageIdFor = (reference: string, step: string): string => `<${reference}.${step}@${domain}>`;

  async function send(to: string, step: string, reference: string, subject: string, text: string): Promise<SentEmail> {
    const messageId = messageIdFor(reference, step);
    try {
      await deps.transport.sendMail({ from: deps.mailFrom, to, subject, text, messageId });
    } catch (err) {
      const code = (err as { responseCode?: number }).responseCode;
      // 5xx is the receiving server's final word: retrying cannot help.
      if (code !== undefined && code >= 500) {
        throw ApplicationFailure.nonRetryable(`SMTP refused the ${step} e-mail (${code})`, 'SmtpPermanentFailure');
      }
      throw err;
    }
    return { messageId, subject, sentAt: new Date().toISOString() };
  }

  const procedureOf = (id: string): Procedure => {
    const procedure = deps.procedures.get(id);
    if (!procedure) throw ApplicationFailure.nonRetryable(`unknown procedure "${id}"`, 'UnknownProcedure');
    return procedure;
  };

  /** Staff e-mail about an assigned complaint goes to its handler, else to the mailbox (or every handler); escalations to the managers. */
  function staffRecipients(procedure: Procedure, kind: StaffTermEmailKind, handler?: string): string[] {
    if (kind === 'escalation' || kind === 'new-complaint') return deps.staff.filter((m) => m.roles.includes('manager')).map((m) => m.email);
    const assigned = handler ? deps.staff.find((m) => m.id === handler) : undefined;
    if (assigned) return [assigned.email];
    if (procedure.staffMailbox) return [procedure.staffMailbox];
    return deps.staff.filter((m) => m.roles.includes('handler')).map((m) => m.email);
  }

  return {
    async sendStaffTermEmail(input: StaffTermEmail): Promise<SentEmail & { to: string[] }> {
      const procedure = procedureOf(input.procedure);
      const to = staffRecipients(procedure, input.kind, input.handler);
      if (to.length === 0) {
        throw ApplicationFailure.nonRetryable(`no staff to send the ${input.kind} of ${input.reference} to: add a manager or handler to the staff file`, 'NoRecipients');
      }
      const date = formatDate(procedure.language, input.kind === 'new-complaint' ? localDateOf(new Date(input.date), procedure.timezone) : input.date);
      const { subject, text } = await deps.templates.render('staff-term', procedure.language, {
        reference: input.reference,
        organisation: procedure.organisation,
        kind: input.kind,
        term: input.term,
        date,
        adminUrl: `${deps.publicBaseUrl}/api/admin/complaints/${input.reference}`,
      });
      const sent = await send(to.join(', '), `${input.kind}-${input.term}`, input.reference, subject, text);
      return { ...sent, to };
    },

    async sendPosition(input: PositionEmail): Promise<SentEmail> {
      const procedure = procedureOf(input.procedure);
      const link = dossierUrl(deps.publicBaseUrl, deps.linkSecret, input.reference, new Date(input.receivedAt));
      const level1 = procedure.appeals[0];
      const { subject, text } = await deps.templates.render('position', input.language, {
        reference: input.reference,
        name: input.name ?? null,
        organisation: procedure.organisation,
        position: input.text,
        solution: input.solution ?? null,
        agreements: input.agreements ?? null,
        satisfiedUrl: `${link}&satisfied=yes`,
        dissatisfiedUrl: `${link}&satisfied=no`,
        satisfactionBy: formatDate(input.language, input.satisfactionBy),
        appeal: level1
          ? { name: level1.body.name, contact: level1.body.contact ?? level1.body.url ?? null, binding: level1.body.binding, by: input.appealBy ? formatDate(input.language, input.appealBy) : null }
          : null,
        dossierUrl: link,
        reminder: input.reminder ?? false,
      });
      return send(input.to, input.reminder ? 'position-reminder' : 'position', input.reference, subject, text);
    },

    async sendClosure(input: ClosureEmail): Promise<SentEmail> {
      const procedure = procedureOf(input.procedure);
      // An unresolved complaint is pointed to the external body that remains (thuiswerkdesk: the EU ODR platform).
      const external = ['dissatisfied', 'no_response'].includes(input.outcome)
        ? procedure.appeals.find((l) => l.body.kind !== 'internal')
        : undefined;
      const { subject, text } = await deps.templates.render('closure', input.language, {
        reference: input.reference,
        name: input.name ?? null,
        organisation: procedure.organisation,
        outcome: input.outcome,
        external: external ? { name: external.body.name, where: external.body.url ?? external.body.contact ?? null } : null,
        dossierUrl: dossierUrl(deps.publicBaseUrl, deps.linkSecret, input.reference, new Date(input.receivedAt)),
      });
      return send(input.to, 'closure', input.reference, subject, text);
    },

    async sendReceipt(input: ReceiptEmail): Promise<SentEmail> {
      const procedure = procedureOf(input.procedure);
      const receivedOn = formatDate(input.language, localDateOf(new Date(input.receivedAt), procedure.timezone));
      const terms = (input.terms ?? []).map((t) => ({ name: t.name, date: formatDate(input.language, t.date) }));
      const { subject, text } = await deps.templates.render('receipt', input.language, {
        reference: input.reference,
        name: input.name ?? null,
        organisation: procedure.organisation,
        receivedOn,
        terms,
        dossierUrl: dossierUrl(deps.publicBaseUrl, deps.linkSecret, input.reference, new Date(input.receivedAt)),
      });
      Context.current().log.info('sending receipt e-mail', { reference: input.reference });
      return send(input.to, 'receipt', input.reference, subject, text);
    },
  };
}

export type EmailActivities = ReturnType<typeof createEmailActivities>;
