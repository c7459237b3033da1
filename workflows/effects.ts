// Effects in one place: every e-mail the complaint sends, queued in its outbox, and the loops that
// send them (the complainant's in order, the staff's beside them), so that no action ever waits
// on a mail server.
import { ActivityFailure, condition, proxyActivities } from '@temporalio/workflow';
import type { ComplainantEmail, EmailActivities, StaffEmail } from '../activities/email';
import type { AppealRecord, Hearing, TermExtension, TermName } from '../domain/dossier';
import type { ComplaintState, Mail, OutboxItem } from './state';

const email = proxyActivities<EmailActivities>({
  startToCloseTimeout: '1 minute',
  // Transient SMTP trouble is retried for as long as it lasts; a 5xx refusal is final (non-retryable).
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes' },
});

export type Mailer = ReturnType<typeof mailer>;

/** The e-mails of one complaint, built from its dossier and queued in its outbox. */
export function mailer(state: ComplaintState) {
  const { dossier } = state;
  const toComplainant = (step: string): ComplainantEmail => ({
    reference: dossier.reference,
    procedure: dossier.procedure,
    language: dossier.language,
    to: dossier.complaint.complainant.email,
    ...(dossier.complaint.complainant.name ? { name: dossier.complaint.complainant.name } : {}),
    receivedAt: dossier.receivedAt,
    step,
  });
  const toStaff = (kind: StaffEmail['kind'], step: string, date: string, about: Partial<Pick<StaffEmail, 'term' | 'level'>> = {}): StaffEmail => ({
    reference: dossier.reference,
    procedure: dossier.procedure,
    kind,
    step,
    date,
    ...about,
    ...(dossier.handler ? { handler: dossier.handler } : {}),
  });
  const complainant = (step: string, mail: Mail, onSent?: OutboxItem['onSent']) => state.queue('complainant', step, mail, onSent);
  const position = (reminder: boolean) => {
    const { text, solution, agreements } = dossier.position!;
    const satisfaction = dossier.terms.satisfaction!;
    const step = reminder ? 'position-reminder' : 'position';
    complainant(
      step,
      {
        activity: 'sendPosition',
        input: {
          ...toComplainant(step),
          text,
          ...(solution ? { solution } : {}),
          ...(agreements ? { agreements } : {}),
          satisfactionBy: satisfaction.date,
          ...(reminder && satisfaction.closesAt ? { answerUntil: satisfaction.closesAt, reminder } : {}),
          ...(dossier.terms.appeal1File ? { appealBy: dossier.terms.appeal1File.date } : {}),
        },
      },
      reminder ? { event: 'satisfaction-reminder-sent' } : undefined,
    );
  };

  return {
    receipt(): void {
      const terms = Object.entries(dossier.terms).map(([name, term]) => ({ name, date: term!.date }));
      complainant('receipt', { activity: 'sendReceipt', input: { ...toComplainant('receipt'), terms } }, { event: 'receipt-sent', meets: 'acknowledge' });
    },
    position: () => position(false),
    positionReminder: () => position(true),
    delayNotice(term: TermName, extension: TermExtension): void {
      const step = `delay-${term}-${dossier.terms[term]!.extensions!.length}`;
      const late = extension.notice !== 'in-time';
      complainant(step, { activity: 'sendDelayNotice', input: { ...toComplainant(step), term, fromDate: extension.from, newDate: extension.to, reason: extension.reason, late } });
    },
    hearing({ number, at, mode, location, attendees, level }: Hearing): void {
      const step = `hearing-${number}`;
      const input = { ...toComplainant(step), at, mode, ...(location ? { location } : {}), ...(attendees ? { attendees } : {}), ...(level ? { level } : {}) };
      complainant(step, { activity: 'sendHearingInvitation', input });
    },
    appealReceived(appeal: AppealRecord): void {
      const step = `appeal-${appeal.level}-received`;
      const decide = dossier.terms[`appeal${appeal.level}Decide`];
      const window = dossier.terms[`appeal${appeal.level}File`];
      const dates = appeal.kind === 'internal' ? (decide ? { decideBy: decide.date } : {}) : window ? { fileBy: window.date } : {};
      complainant(step, { activity: 'sendAppealReceived', input: { ...toComplainant(step), level: appeal.level, ...dates } });
      // Internal levels go to their decision maker; for an external body, staff record the referral.
      const staffStep = `appeal-filed-${appeal.level}`;
      state.queue('staff', staffStep, { activity: 'sendStaffEmail', input: toStaff('appeal-filed', staffStep, appeal.filedAt, { level: appeal.level }) });
    },
    appealDecision(appeal: AppealRecord, next?: { level: number; by: string }): void {
      const step = `appeal-${appeal.level}-decision`;
      const decided = appeal.decision ?? appeal.externalOutcome!;
      const decision = appeal.decision?.decision ?? appeal.externalOutcome!.outcome;
      const input = { ...toComplainant(step), level: appeal.level, decision, text: decided.text, external: appeal.kind !== 'internal', ...(next ? { next } : {}) };
      complainant(step, { activity: 'sendAppealDecision', input });
    },
    closure(): void {
      const decidedBy = dossier.outcome === 'external_decided' ? dossier.appeals.at(-1)?.body : undefined;
      complainant('closure', { activity: 'sendClosure', input: { ...toComplainant('closure'), outcome: dossier.outcome!, ...(decidedBy ? { externalBody: decidedBy } : {}) } });
    },
    /** A new complaint: the staff mailbox (or every handler), and the managers where the procedure says so. */
    newComplaint(notifyManagers: boolean): void {
      const input = { ...toStaff('new-complaint', 'new-complaint', dossier.receivedAt), ...(notifyManagers ? { managersToo: true } : {}) };
      state.queue('staff', 'new-complaint', { activity: 'sendStaffEmail', input });
    },
    notSatisfied(): void {
      state.queue('staff', 'not-satisfied', { activity: 'sendStaffEmail', input: toStaff('not-satisfied', 'not-satisfied', dossier.satisfaction!.at) });
    },
    /** A term's reminder or notice reminder to its handler, or its escalation to the managers. */
    staffTerm(kind: 'reminder' | 'notice-reminder' | 'escalation', term: TermName, date: string): void {
      const generation = dossier.terms[term]!.extensions?.length ?? 0;
      const step = `${kind}-${term}${generation ? `-${generation}` : ''}`;
      const input = toStaff(kind, step, date, { term });
      state.queue(kind === 'escalation' ? 'manager' : 'staff', step, { activity: 'sendStaffEmail', input }, { event: `${kind}-sent`, detail: term, internal: true });
    },
  };
}

/** Sends one queued e-mail through its activity. */
function send(mail: Mail) {
  const activity = email[mail.activity] as (input: Mail['input']) => ReturnType<EmailActivities[typeof mail.activity]>;
  return activity(mail.input);
}

/** E-mail to the complainant goes out in the order it was queued; staff e-mail beside it, in its own order. */
export type Lane = 'complainant' | 'staff';
const laneOf = (state: ComplaintState, item: OutboxItem): Lane => (state.dossier.correspondence[item.id]!.to === 'complainant' ? 'complainant' : 'staff');

/**
 * Sends one lane of the outbox in order, one e-mail at a time, until `halt()` holds between two
 * sends; what is queued then stays in the state (and travels on when the complaint continues as
 * new). An e-mail the mail server refuses for good is recorded as undelivered, and the complaint goes on.
 */
export async function deliverOutbox(state: ComplaintState, lane: Lane, halt: () => boolean): Promise<void> {
  const next = () => state.outbox.find((item) => laneOf(state, item) === lane);
  for (;;) {
    await condition(() => next() !== undefined || halt());
    if (halt()) return;
    const item = next()!;
    try {
      state.sent(item, await send(item.mail));
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      state.undelivered(item, err.cause?.message ?? err.message);
    }
    state.sync();
  }
}
