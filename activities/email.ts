import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import type { Transporter } from 'nodemailer';
import type { Attachment } from 'nodemailer/lib/mailer';
import { signInToken } from '../domain/link-token';
import { mailFromAddress } from '../config/env';
import { organisationTimezone } from '../config/procedures';
import { dateInWords, instantInWords, localDateOf } from '../domain/local-date';
import type { Procedure } from '../domain/procedure';
import type { Language } from '../domain/vocabulary';
import { appealLabel, termLabel } from '../domain/words';
import type { StaffMember } from '../config/staff';
import { destructionCsv, destructionRows } from '../domain/destruction-statement';
import { destructionsIn } from './destructions';
import { excelCsv } from '../domain/excel-csv';
import { complaintService } from '../api/complaints';
import { parsePeriod, reportDueOn } from '../domain/analysis';
import { calendarFor } from '../domain/calendar';
import { reportCsvRows, reportWords } from '../domain/report-view';
import { chartPng } from './charts';
import { reportReader } from './reports';
import type { SentLedger } from './sent-ledger';
import type { EmailTemplates, RenderedEmail } from './templates';
import { type ComplainantEmail, complainantMail, maskLinks } from './complainant-mail';
import type { AgreementsEmail, ReopeningEmail, InformationRequestEmail, TermsResumedEmail, AppealDecisionEmail, AppealReceivedEmail, ClosureEmail, DelayNoticeEmail, HearingEmail, PositionEmail, ReceiptEmail } from './complainant-mail';

export interface EmailDependencies {
  transport: Transporter;
  templates: EmailTemplates;
  procedures: ReadonlyMap<string, Procedure>;
  mailFrom: string;
  publicBaseUrl: string;
  linkSecret: string;
  staff: readonly StaffMember[];
  /** Where each send the relay took is recorded before the activity reports it. */
  ledger: SentLedger;
}

/**
 * Staff e-mail: about a term (reminder, notice, escalation), about an event (new complaint, an
 * appeal, "not satisfied"), or about an e-mail to the complainant that could not go (refused for
 * good, or still waiting after an hour).
 */
export type StaffEmailKind =
  | 'reminder'
  | 'notice-reminder'
  | 'escalation'
  | 'new-complaint'
  | 'appeal-filed'
  | 'not-satisfied'
  | 'mail-undeliverable'
  | 'mail-delayed'
  | 'letter-to-post'
  | 'mail-received'
  | 'reopening-requested';

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
  /** The complainant's e-mail this is about (its activity), and the mail server's code. */
  mail?: { activity: string; code?: string };
  /** A letter to post: its place in the correspondence (the e-mail links to it). */
  letter?: number;
  /** An e-mail that came in from another address than the complainant's. */
  otherSender?: boolean;
}

/** What each e-mail to the complainant is, in a staff member's sentence. */
const mailLabels: Record<Language, Record<string, string>> = {
  nl: {
    sendReceipt: 'de ontvangstbevestiging',
    sendPosition: 'het standpunt',
    sendDelayNotice: 'het bericht over een nieuwe termijn',
    sendHearingInvitation: 'de uitnodiging voor een gesprek',
    sendAppealReceived: 'de bevestiging van het beroep',
    sendAppealDecision: 'de uitspraak over het beroep',
    sendClosure: 'het bericht dat de klacht is afgesloten',
    sendNewLink: 'de nieuwe link naar het dossier',
    sendAgreements: 'de bevestiging van de afspraken',
    sendReopeningDecision: 'de beslissing over heropening',
    sendInformationRequest: 'de vraag aan de klager',
    sendTermsResumed: 'het bericht dat de termijnen weer lopen',
    sendRequestedLink: 'de gevraagde link naar het dossier',
  },
  en: {
    sendReceipt: 'the confirmation of receipt',
    sendPosition: 'the position',
    sendDelayNotice: 'the notice of a new term',
    sendHearingInvitation: 'the invitation to a hearing',
    sendAppealReceived: 'the confirmation of the appeal',
    sendAppealDecision: 'the decision on the appeal',
    sendClosure: 'the notice that the complaint is closed',
    sendNewLink: 'the new link to the dossier',
    sendAgreements: 'the confirmation of the agreements',
    sendReopeningDecision: 'the decision on reopening',
    sendInformationRequest: 'the question to the complainant',
    sendTermsResumed: 'the notice that the terms run again',
    sendRequestedLink: 'the link to the dossier asked for',
  },
};

export type {
  AgreementsEmail,
  ReopeningEmail,
  InformationRequestEmail,
  TermsResumedEmail,
  AppealDecisionEmail,
  AppealReceivedEmail,
  ClosureEmail,
  ComplainantEmail,
  DelayNoticeEmail,
  HearingEmail,
  PositionEmail,
  ReceiptEmail,
} from './complainant-mail';

/** A sign-in to the back office: whose, its id (the link's random half) and until when it works. */
export interface SignInEmail {
  staffId: string;
  id: string;
  expiresAt: string;
  /** The back-office page to land on after signing in (where a signed-out visit began). */
  back?: string;
}

export interface SentEmail {
  messageId: string;
  subject: string;
  sentAt: string;
  /** A complainant's e-mail: its text as sent, the link's token masked (./complainant-mail.ts maskLinks), for the dossier's correspondence. */
  text?: string;
}

/** A complainant's e-mail that goes by post: its subject and text (the link masked), to print. */
export interface LetterText {
  letter: true;
  subject: string;
  text: string;
}

/**
 * The mail server has this long to connect, greet and answer each command: well inside the
 * activity's minute, so a server that hangs frees the activity's slot instead of holding it.
 */
export const smtpTimeouts = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };
/** While an e-mail is in flight the activity tells Temporal it is alive; the workflow waits at most this long without a sign. */
export const heartbeatEveryMs = 5_000;

/**
 * What an SMTP failure means, decided by its code and the command it answered: a 5xx to RCPT TO
 * is the recipient refused for good; a 5xx anywhere else is our own relay refusing us (a wrong
 * login, relaying or sender not allowed): our configuration, retried and reported; 4xx and no
 * answer at all are "later". The message names the step and the code only: a server's own text
 * often quotes the address.
 */
function smtpFailure(err: unknown, step: string): ApplicationFailure {
  const { responseCode, code, command } = err as { responseCode?: number; code?: string; command?: string };
  const smtp = { step, code: String(responseCode ?? code ?? 'no answer') };
  const what = `${step} e-mail (${smtp.code})`;
  const refused = (message: string, type: string) => ApplicationFailure.create({ message, type, nonRetryable: true, details: [smtp] });
  if (responseCode !== undefined && responseCode >= 500) {
    if (command === 'RCPT TO') return refused(`SMTP refused the ${what}`, 'SmtpRecipientRefused');
    return refused(`the mail relay refuses the ${what}`, 'SmtpRelayRefused');
  }
  // An address nodemailer cannot even put on the envelope stays wrong, however often it is tried.
  if (code === 'EENVELOPE' && responseCode === undefined) return refused(`SMTP refused the ${what}`, 'SmtpRecipientRefused');
  return ApplicationFailure.create({ message: `SMTP could not take the ${what} now`, type: 'SmtpTransientFailure', details: [smtp] });
}

/** E-mail activities, built from their dependencies so tests can hand in a real SMTP transport. */
export function createEmailActivities(deps: EmailDependencies) {
  const domain = deps.mailFrom.replace(/^.*@/, '').replace(/>.*$/, '') || 'klachtflow.local';
  // One Message-ID per (complaint, step): a retried send is recognisably the same message.
  const messageIdFor = (reference: string, step: string): string => `<${reference}.${step}@${domain}>`;

  /** Who it is from and where answers go: the organisation for a complainant, klachtflow itself for staff. */
  interface Sender {
    from: string | { name: string; address: string };
    replyTo?: string;
  }
  const ourAddress = mailFromAddress(deps.mailFrom);
  /** A complainant's e-mail comes from the organisation (its name; its address where the relay may send as it) and is answered to its mailbox. */
  const senderOf = (procedure: Procedure): Sender => ({
    from: { name: procedure.organisation, address: procedure.mailbox?.from ?? ourAddress },
    ...(procedure.mailbox ? { replyTo: procedure.mailbox.replyTo ?? procedure.mailbox.addresses[0]! } : {}),
  });

  async function send(
    to: string,
    { step, reference }: { step: string; reference: string },
    { subject, text, html }: RenderedEmail,
    attachments: Attachment[] = [],
    sender: Sender = { from: deps.mailFrom },
  ): Promise<SentEmail> {
    const activity = Context.current();
    // A retry after the e-mail went out (the worker died before it could report): the same result, not the e-mail again.
    const attempt = { runId: activity.info.workflowExecution?.runId ?? 'standalone', activityId: activity.info.activityId };
    const earlier = activity.info.attempt > 1 ? ((activity.info.heartbeatDetails as { sent?: SentEmail } | undefined)?.sent ?? deps.ledger.find(attempt)) : undefined;
    if (earlier) {
      activity.log.info('e-mail sent by an earlier attempt: not sent again', { step });
      return earlier;
    }
    const messageId = messageIdFor(reference, step);
    const alive = setInterval(() => activity.heartbeat(), heartbeatEveryMs);
    try {
      // Cancelled (the workflow or Temporal gave up on it): the slot is freed now; the socket times out by itself.
      await Promise.race([deps.transport.sendMail({ ...sender, to, subject, text, html, messageId, ...(attachments.length ? { attachments } : {}) }), activity.cancelled]);
    } catch (err) {
      if (err instanceof CancelledFailure) throw err;
      const failure = smtpFailure(err, step);
      // The operator's to mend, not the complainant's: said in the worker's log at once.
      if (failure.type === 'SmtpRelayRefused') activity.log.error('the mail relay refuses our mail: check SMTP_URL and MAIL_FROM', { step, code: (failure.details?.[0] as { code: string }).code });
      throw failure;
    } finally {
      clearInterval(alive);
    }
    const sent = { messageId, subject, sentAt: new Date().toISOString() };
    // Recorded before the completion is reported, so that a retry finds it: on this worker's disk
    // at once, and for any worker in a heartbeat (which reaches Temporal no sooner than the completion).
    try {
      deps.ledger.record(attempt, sent);
    } catch (err) {
      // The e-mail went: that is what the workflow must hear. Only a crash in the next moment could double it now.
      activity.log.error('could not record a sent e-mail in the ledger', { step, error: err instanceof Error ? err.message : String(err) });
    }
    activity.heartbeat({ sent });
    return sent;
  }

  const render = complainantMail(deps);
  /**
   * A complainant's e-mail, rendered, to them; what went is kept in the dossier, its link masked.
   * Without an address it is not sent: its text comes back as a letter for staff to print and post.
   */
  const toComplainant = async (input: ComplainantEmail, rendering: Promise<RenderedEmail>): Promise<SentEmail | LetterText> => {
    // The text is rendered anew on a retry (the same input, the same text): the ledger and the heartbeat hold no complaint text.
    const rendered = await rendering;
    if (!input.to) return { letter: true, subject: rendered.subject, text: maskLinks(rendered.text) };
    return { ...(await send(input.to, input, rendered, [], senderOf(procedureOf(input.procedure)))), text: maskLinks(rendered.text) };
  };

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


  // The statement and the sign-in speak the procedures' language: English only where every procedure does.
  const statementLanguage: Language = [...deps.procedures.values()].every((p) => p.language === 'en') ? 'en' : 'nl';
  const timezoneOf = (id: string) => deps.procedures.get(id)?.timezone ?? 'Europe/Amsterdam';

  return {
    /** The managers' destruction statement of a month: the list in the text, the same list as CSV attached. */
    async sendDestructionStatement({ month }: { month: string }): Promise<SentEmail & { month: string; count: number; to: string[] }> {
      const to = managers();
      if (to.length === 0) throw ApplicationFailure.nonRetryable(`no manager to send the destruction statement of ${month} to: add one to the staff file`, 'NoRecipients');
      const rows = destructionRows(await destructionsIn(Context.current().client, month), timezoneOf);
      const language = statementLanguage;
      const monthName = new Intl.DateTimeFormat(language === 'nl' ? 'nl-NL' : 'en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T12:00:00Z`));
      const day = (date: string) => (date ? dateInWords(language, date) : null);
      const rendered = await deps.templates.render('destructions', language, {
        month: monthName,
        monthId: month,
        count: rows.length,
        rows: rows.map((r) => ({ ...r, received: day(r.received), closed: day(r.closed), destroyOn: day(r.destroyOn), early: r.early === 'ja' })),
      });
      const csv = { filename: `vernietigd-${month}.csv`, content: destructionCsv(rows), contentType: 'text/csv; charset=utf-8' };
      const sent = await send(to.join(', '), { step: `destructions-${month}`, reference: 'klachtflow' }, rendered, [csv]);
      return { ...sent, month, count: rows.length, to };
    },

    /**
     * A procedure's report to the managers: the figures beside the period before in the text, the
     * charts as PNG, the figures as CSV. Sent on the first working day of a new period (or for the
     * period asked); any other day answers that nothing was due.
     */
    async sendPeriodReport(input: { procedure: string; at: string; period?: string }): Promise<(SentEmail & { period: string; to: string[] }) | { due: false; date: string }> {
      const procedure = procedureOf(input.procedure);
      const date = localDateOf(new Date(input.at), procedure.timezone);
      const period = input.period ? parsePeriod(input.period) : reportDueOn(calendarFor(procedure), date, procedure.rules.analysis);
      if (!period) {
        if (input.period) throw ApplicationFailure.nonRetryable(`"${input.period}" is not a quarter (2026-Q2) or a year (2026)`, 'InvalidPeriod');
        return { due: false, date };
      }
      const to = managers();
      if (to.length === 0) throw ApplicationFailure.nonRetryable(`no manager to send the report of ${input.procedure} ${period.label} to: add one to the staff file`, 'NoRecipients');
      const client = Context.current().client;
      const reader = reportReader({ client, linkSecret: deps.linkSecret, complaints: complaintService(client, deps.linkSecret), procedures: deps.procedures });
      const { language } = procedure;
      const report = await reader.report(language, period, procedure.id);
      const words = reportWords(language);
      const query = new URLSearchParams({ periode: period.label, procedure: procedure.id }).toString();
      const rendered = await deps.templates.render('report', language, {
        procedure: procedure.id,
        period: report.view.period.label,
        periodWords: report.view.period.words,
        previousWords: report.view.previous.words,
        complaints: report.view.complaints,
        figures: report.view.figures.map((f) => ({ label: f.label, current: f.current ?? '–', previous: f.previous ?? '–' })),
        closed: report.closed.map((c) => ({ ...c, outcome: words.outcomes[c.outcome] ?? c.outcome })),
        charts: report.charts.map((c) => ({ title: c.title, file: `${c.id}.png` })),
        url: `${deps.publicBaseUrl}/beheer/rapportages?${query}`,
      });
      const attachments: Attachment[] = [
        ...report.charts.map((c) => ({ filename: `${c.id}.png`, content: chartPng(c.svg), contentType: 'image/png' })),
        { filename: `rapportage-${period.label}-${procedure.id}.csv`, content: excelCsv(reportCsvRows(language, report.view)), contentType: 'text/csv; charset=utf-8' },
      ];
      const sent = await send(to.join(', '), { step: `report-${procedure.id}-${period.label}`, reference: 'klachtflow' }, rendered, attachments);
      return { ...sent, period: period.label, to };
    },

    /** A back-office sign-in link, to the staff member's own address only. */
    async sendSignInLink(input: SignInEmail): Promise<SentEmail> {
      const member = deps.staff.find((m) => m.id === input.staffId);
      if (!member) throw ApplicationFailure.nonRetryable(`no staff member "${input.staffId}" in this worker's staff file`, 'UnknownStaffMember');
      const language = statementLanguage;
      const rendered = await deps.templates.render('sign-in', language, {
        name: member.name,
        url: `${deps.publicBaseUrl}/beheer/inloggen/${signInToken(deps.linkSecret, input.id)}${input.back ? `?terug=${encodeURIComponent(input.back)}` : ''}`,
        until: instantInWords(language, input.expiresAt, organisationTimezone(deps.procedures)),
      });
      return send(member.email, { step: `sign-in-${input.id.slice(0, 12)}`, reference: 'klachtflow' }, rendered);
    },

    async sendStaffEmail(input: StaffEmail): Promise<SentEmail & { to: string[] }> {
      const procedure = procedureOf(input.procedure);
      const to = staffRecipients(procedure, input);
      if (to.length === 0) {
        throw ApplicationFailure.nonRetryable(`no staff to send the ${input.kind} of ${input.reference} to: add a manager or handler to the staff file`, 'NoRecipients');
      }
      const { language, timezone, appeals } = procedure;
      const instant = !['reminder', 'notice-reminder', 'escalation'].includes(input.kind);
      const rendered = await deps.templates.render('staff', language, {
        reference: input.reference,
        organisation: procedure.organisation,
        kind: input.kind,
        label: input.term ? termLabel(language, input.term, appeals) : input.level ? appealLabel(language, input.level, appeals) : input.mail ? mailLabels[language][input.mail.activity] : null,
        code: input.mail?.code ?? null,
        date: dateInWords(language, instant ? localDateOf(new Date(input.date), timezone) : input.date),
        // The back office's dossier page: a staff member who is signed out signs in and lands there.
        otherSender: input.otherSender === true,
        adminUrl: `${deps.publicBaseUrl}/beheer/klachten/${input.reference}${input.letter !== undefined ? `/brieven/${input.letter}` : input.kind === 'mail-received' ? '#correspondentie' : ''}`,
      });
      return { ...(await send(to.join(', '), input, rendered)), to };
    },

    // The complainant's e-mails: rendered by ./complainant-mail.ts (the back office's previews
    // render through it too), sent to them, the text kept in the dossier with the link masked.
    sendDelayNotice: (input: DelayNoticeEmail) => toComplainant(input, render.sendDelayNotice(input)),
    sendHearingInvitation: (input: HearingEmail) => toComplainant(input, render.sendHearingInvitation(input)),
    sendAppealReceived: (input: AppealReceivedEmail) => toComplainant(input, render.sendAppealReceived(input)),
    sendAppealDecision: (input: AppealDecisionEmail) => toComplainant(input, render.sendAppealDecision(input)),
    sendPosition: (input: PositionEmail) => toComplainant(input, render.sendPosition(input)),
    sendClosure: (input: ClosureEmail) => toComplainant(input, render.sendClosure(input)),
    sendNewLink: (input: ComplainantEmail) => toComplainant(input, render.sendNewLink(input)),
    sendAgreements: (input: AgreementsEmail) => toComplainant(input, render.sendAgreements(input)),
    sendReopeningDecision: (input: ReopeningEmail) => toComplainant(input, render.sendReopeningDecision(input)),
    sendInformationRequest: (input: InformationRequestEmail) => toComplainant(input, render.sendInformationRequest(input)),
    sendTermsResumed: (input: TermsResumedEmail) => toComplainant(input, render.sendTermsResumed(input)),
    sendRequestedLink: (input: ComplainantEmail) => toComplainant(input, render.sendRequestedLink(input)),
    sendReceipt: (input: ReceiptEmail) => toComplainant(input, render.sendReceipt(input)),
  };
}

export type EmailActivities = ReturnType<typeof createEmailActivities>;
