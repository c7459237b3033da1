import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Transporter } from 'nodemailer';
import type { Language } from '../domain/complaint';
import { dossierUrl } from '../domain/link-token';
import type { Procedure } from '../domain/procedure';
import type { EmailTemplates } from './templates';

export interface EmailDependencies {
  transport: Transporter;
  templates: EmailTemplates;
  procedures: ReadonlyMap<string, Procedure>;
  mailFrom: string;
  publicBaseUrl: string;
  linkSecret: string;
}

export interface ReceiptEmail {
  reference: string;
  procedure: string;
  language: Language;
  to: string;
  name?: string;
  receivedAt: string;
  /** The terms that run from receipt, with their dates, to state in the e-mail. */
  terms?: { name: string; date: string }[];
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

  return {
    async sendReceipt(input: ReceiptEmail): Promise<SentEmail> {
      const procedure = procedureOf(input.procedure);
      const longDate = new Intl.DateTimeFormat(input.language === 'nl' ? 'nl-NL' : 'en-GB', {
        dateStyle: 'full',
        timeZone: procedure.timezone,
      });
      const receivedOn = longDate.format(new Date(input.receivedAt));
      // A term's date is a calendar date: format it at noon UTC so no zone can shift it.
      const terms = (input.terms ?? []).map((t) => ({ name: t.name, date: longDate.format(new Date(`${t.date}T12:00:00Z`)) }));
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
