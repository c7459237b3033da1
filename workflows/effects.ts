// Effects in one place: every e-mail the complaint sends, to the complainant and to staff, built
// from its dossier and queued in its outbox (./outbox.ts sends them).
import type { StaffEmail } from '../activities/email';
import type { AppealRecord, Hearing, TermExtension, TermName } from '../domain/dossier';
import type { ContactChannel } from '../domain/vocabulary';
import { appealDecisionInput, complainantEnvelope, delayNoticeInput, hearingInput, positionInput, roundSuffix } from './mail-inputs';
import { type Mail, type OutboxItem, queue } from './outbox';
import type { ComplaintState } from './state';

export type Mailer = ReturnType<typeof mailer>;

/** The e-mails of one complaint, built from its dossier and queued in its outbox. */
export function mailer(state: ComplaintState) {
  const { dossier } = state;
  const toComplainant = (step: string) => complainantEnvelope(dossier, step);
  const toStaff = (kind: StaffEmail['kind'], step: string, date: string, about: Partial<Pick<StaffEmail, 'term' | 'level' | 'mail' | 'letter' | 'otherSender'>> = {}): StaffEmail => ({
    reference: dossier.reference,
    procedure: dossier.procedure,
    kind,
    step,
    date,
    ...about,
    ...(dossier.handler ? { handler: dossier.handler } : {}),
  });
  const complainant = (step: string, mail: Mail, onSent?: OutboxItem['onSent']) => queue(state, 'complainant', step, mail, onSent);
  const position = (reminder: boolean) => {
    const input = positionInput(dossier, reminder);
    complainant(input.step, { activity: 'sendPosition', input }, reminder ? { event: 'satisfaction-reminder-sent' } : undefined);
  };

  return {
    receipt(): void {
      const terms = Object.entries(dossier.terms).map(([name, term]) => ({ name, date: term!.date, ...(term!.target ? { aim: true } : {}), ...(term!.aim ? { aimDate: term!.aim.date } : {}) }));
      const missing = dossier.complaint.incomplete;
      complainant('receipt', { activity: 'sendReceipt', input: { ...toComplainant('receipt'), terms, ...(missing?.length ? { missing } : {}) } }, { event: 'receipt-sent', meets: 'acknowledge' });
    },
    position: () => position(false),
    positionReminder: () => position(true),
    delayNotice(term: TermName, extension: TermExtension): void {
      const input = delayNoticeInput(dossier, term, extension);
      complainant(input.step, { activity: 'sendDelayNotice', input });
    },
    /** The agreements of a logged contact, in writing (the n-th contact: one e-mail each). */
    agreements(contact: number, at: string, channel: ContactChannel, agreements: string): void {
      const step = `agreements-${contact}`;
      complainant(step, { activity: 'sendAgreements', input: { ...toComplainant(step), at, channel, agreements } }, { event: 'agreements-sent' });
    },
    /** The question of the n-th suspension, its answer date and the terms that stand still meanwhile. */
    informationRequest(n: number): void {
      const step = `suspension-${n}`;
      const suspension = dossier.suspensions![n - 1]!;
      complainant(step, { activity: 'sendInformationRequest', input: { ...toComplainant(step), question: suspension.question, answerBy: suspension.answerBy, terms: suspension.terms } });
    },
    /** The n-th suspension ended: the terms it held, with their new dates. */
    termsResumed(n: number): void {
      const step = `resumed-${n}`;
      const suspension = dossier.suspensions![n - 1]!;
      const terms = suspension.terms.flatMap((name) => {
        const term = dossier.terms[name];
        return term && !term.metAt ? [{ name, date: term.extendedTo ?? term.date }] : [];
      });
      complainant(step, { activity: 'sendTermsResumed', input: { ...toComplainant(step), how: suspension.ended!.how, workingDays: suspension.ended!.workingDays, terms } });
    },
    /** The n-th request to reopen: the handler (or staff mailbox) is told. */
    reopeningRequested(n: number): void {
      const step = `reopening-requested-${n}`;
      queue(state, 'staff', step, { activity: 'sendStaffEmail', input: toStaff('reopening-requested', step, dossier.reopenings![n - 1]!.at) });
    },
    /** Staff's decision on the n-th request: the new dates, or the reason and the appeal window still open. */
    reopeningDecision(n: number): void {
      const step = `reopening-${n}`;
      const decided = dossier.reopenings![n - 1]!.decided!;
      const appeal = dossier.terms.appeal1File;
      const open = !decided.accepted && appeal && !appeal.metAt && !appeal.lapsedAt;
      const terms = decided.accepted ? (['resolve', 'maxLeadTime'] as const).flatMap((name) => (dossier.terms[name] ? [{ name, date: dossier.terms[name].date }] : [])) : undefined;
      complainant(step, {
        activity: 'sendReopeningDecision',
        input: { ...toComplainant(step), accepted: decided.accepted, ...(decided.reason ? { reason: decided.reason } : {}), ...(terms ? { terms } : {}), ...(open ? { appeal: { level: 1, by: appeal.date } } : {}) },
      });
    },
    hearing(hearing: Hearing): void {
      const input = hearingInput(dossier, hearing);
      complainant(input.step, { activity: 'sendHearingInvitation', input });
    },
    appealReceived(appeal: AppealRecord): void {
      const step = `appeal-${appeal.level}-received`;
      const decide = dossier.terms[`appeal${appeal.level}Decide`];
      const window = dossier.terms[`appeal${appeal.level}File`];
      const dates = appeal.kind === 'internal' ? (decide ? { decideBy: decide.date } : {}) : window ? { fileBy: window.date } : {};
      complainant(step, { activity: 'sendAppealReceived', input: { ...toComplainant(step), level: appeal.level, ...dates } });
      // Internal levels go to their decision maker; for an external body, staff record the referral.
      const staffStep = `appeal-filed-${appeal.level}`;
      queue(state, 'staff', staffStep, { activity: 'sendStaffEmail', input: toStaff('appeal-filed', staffStep, appeal.filedAt, { level: appeal.level }) });
    },
    appealDecision(appeal: AppealRecord, next?: { level: number; by: string }): void {
      const input = appealDecisionInput(dossier, appeal, next);
      complainant(input.step, { activity: 'sendAppealDecision', input });
    },
    closure(): void {
      const decidedBy = dossier.outcome === 'external_decided' ? dossier.appeals.at(-1)?.body : undefined;
      const step = `closure${roundSuffix(dossier)}`;
      complainant(step, { activity: 'sendClosure', input: { ...toComplainant(step), outcome: dossier.outcome!, ...(decidedBy ? { externalBody: decidedBy } : {}) } });
    },
    /** Staff revoked the complainant's links: the new one, by e-mail. */
    newLink(): void {
      const step = `new-link-${dossier.linkGeneration ?? 0}`;
      complainant(step, { activity: 'sendNewLink', input: toComplainant(step) }, { event: 'new-link-sent' });
    },
    /** A new complaint: the staff mailbox (or every handler), and the managers where the procedure says so. */
    newComplaint(notifyManagers: boolean): void {
      const input = { ...toStaff('new-complaint', 'new-complaint', dossier.receivedAt), ...(notifyManagers ? { managersToo: true } : {}) };
      queue(state, 'staff', 'new-complaint', { activity: 'sendStaffEmail', input });
    },
    notSatisfied(): void {
      queue(state, 'staff', 'not-satisfied', { activity: 'sendStaffEmail', input: toStaff('not-satisfied', 'not-satisfied', dossier.satisfaction!.at) });
    },
    /** An e-mail the complainant's server refused for good: the handler is told to call or to post it. */
    undeliverable(activity: Mail['activity'], code: string): void {
      const step = `undeliverable-${dossier.correspondence.length}`;
      queue(state, 'staff', step, { activity: 'sendStaffEmail', input: toStaff('mail-undeliverable', step, state.now(), { mail: { activity, code } }) });
    },
    /** A letter to print and post (the complainant has no e-mail address): the handler hears of it, with a link to the letter. */
    letterToPost(activity: Mail['activity'], letter: number): void {
      const step = `letter-${letter}`;
      queue(state, 'staff', step, { activity: 'sendStaffEmail', input: toStaff('letter-to-post', step, state.now(), { mail: { activity }, letter }) });
    },
    /** An e-mail came in for the complaint: the handler hears of it, and whether it is from the complainant's own address. */
    mailReceived(id: number, fromComplainant: boolean): void {
      const step = `mail-in-${id}`;
      const entry = dossier.correspondence[id]!;
      queue(state, 'staff', `told-${step}`, { activity: 'sendStaffEmail', input: toStaff('mail-received', `told-${step}`, entry.at, fromComplainant ? {} : { otherSender: true }) });
    },
    /** An e-mail to the complainant still queued after an hour: the handler hears of it. */
    mailDelayed(activity: Mail['activity'], since: string): void {
      const step = `delayed-${dossier.correspondence.length}`;
      queue(state, 'staff', step, { activity: 'sendStaffEmail', input: toStaff('mail-delayed', step, since, { mail: { activity } }) });
    },
    /** A term's reminder or notice reminder to its handler, or its escalation to the managers. */
    staffTerm(kind: 'reminder' | 'notice-reminder' | 'escalation', term: TermName, date: string): void {
      const generation = dossier.terms[term]!.extensions?.length ?? 0;
      const step = `${kind}-${term}${generation ? `-${generation}` : ''}${roundSuffix(dossier)}`;
      const input = toStaff(kind, step, date, { term });
      queue(state, kind === 'escalation' ? 'manager' : 'staff', step, { activity: 'sendStaffEmail', input }, { event: `${kind}-sent`, detail: term, internal: true });
    },
  };
}
