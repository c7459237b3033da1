// The outbox: e-mails queued in the complaint's state, sent from the workflow's own loops (the
// complainant's in order, the staff's beside them), so that no action ever waits on a mail
// server; and what each way of failing means.
import { ActivityFailure, ApplicationFailure, condition, patched, proxyActivities } from '@temporalio/workflow';
import type { EmailActivities, LetterText, SentEmail } from '../activities/email';
import type { CorrespondenceEntry, MailHold, TermName } from '../domain/dossier';
import type { Mailer } from './effects';
import type { ComplaintState } from './state';

const email = proxyActivities<EmailActivities>({
  // The SMTP timeouts (activities/email.ts smtpTimeouts) end a hung connection well inside this.
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: '20 seconds',
  // "Later" (4xx, no answer, a timeout) is retried, 10 s and doubling, for an hour; then the loop
  // below holds the e-mail as delayed, tells the handler, and goes on trying. A refusal comes back at once.
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '15 minutes' },
});

/** An e-mail waiting in the outbox: which activity sends it, with what, and what its sending does to the dossier. */
type ComplaintMail = Exclude<keyof EmailActivities, 'sendDestructionStatement' | 'sendSignInLink' | 'sendPeriodReport'>;
export type Mail = { [K in ComplaintMail]: { activity: K; input: Parameters<EmailActivities[K]>[0] } }[ComplaintMail];
export interface OutboxItem {
  /** Its index in the correspondence. */
  id: number;
  mail: Mail;
  onSent?: { event: string; detail?: string; internal?: boolean; meets?: TermName };
  /** How often our relay refused it so far: the wait before the next try doubles. */
  refusals?: number;
}

/** Queues an e-mail; the correspondence shows it queued until it went, or could not. */
export function queue(state: ComplaintState, to: CorrespondenceEntry['to'], step: string, mail: Mail, onSent?: OutboxItem['onSent']): void {
  const id = state.dossier.correspondence.push({ at: state.now(), to, step, status: 'queued', subject: step }) - 1;
  state.outbox.push({ id, mail, ...(onSent ? { onSent } : {}) });
  state.version++;
}

const entryOf = (state: ComplaintState, item: OutboxItem): CorrespondenceEntry => state.dossier.correspondence[item.id]!;
const take = (state: ComplaintState, item: OutboxItem): void => void state.outbox.splice(state.outbox.indexOf(item), 1);

/** What an e-mail's going out does to the dossier (the receipt meets acknowledge): when it was sent, or its letter posted. */
function followUp(state: ComplaintState, then: OutboxItem['onSent'], at: string): void {
  if (!then) return;
  state.record('klachtflow', then.event, { at, ...(then.detail ? { detail: then.detail } : {}), ...(then.internal ? { internal: true } : {}) });
  if (then.meets) state.meet(then.meets, at);
}

export function sent(state: ComplaintState, item: OutboxItem, result: Pick<SentEmail, 'messageId' | 'subject' | 'text'>): void {
  const at = state.now();
  const entry = entryOf(state, item);
  delete entry.held;
  Object.assign(entry, { status: 'sent', subject: result.subject, messageId: result.messageId, sentAt: at, ...(result.text ? { text: result.text } : {}) });
  take(state, item);
  followUp(state, item.onSent, at);
  state.version++;
}

/** A letter waiting to be posted: its place in the correspondence, and what its posting does. */
export interface PendingLetter {
  id: number;
  onSent: NonNullable<OutboxItem['onSent']>;
}

/**
 * The complainant has no e-mail address: the e-mail is a letter, ready to print. It counts once
 * staff post it (`posted`): a term it meets is met then, not now. Staff are told there is one.
 */
function letterReady(state: ComplaintState, item: OutboxItem, letter: LetterText, mail: Mailer): void {
  const entry = entryOf(state, item);
  Object.assign(entry, { status: 'to-post', subject: letter.subject, text: letter.text });
  take(state, item);
  if (item.onSent) state.letters.push({ id: item.id, onSent: item.onSent });
  state.record('klachtflow', 'letter-ready', { detail: entry.step, internal: true });
  mail.letterToPost(item.mail.activity, item.id);
}

/** Staff posted a letter: on record at that moment, with what its going out does (the receipt meets acknowledge then). */
export function posted(state: ComplaintState, id: number, at: string, by: string): void {
  const entry = state.dossier.correspondence[id]!;
  Object.assign(entry, { status: 'posted', sentAt: at, posted: { at, by } });
  const pending = state.letters.findIndex((l) => l.id === id);
  const then = pending >= 0 ? state.letters.splice(pending, 1)[0]!.onSent : undefined;
  state.record(by, 'letter-posted', { detail: entry.step });
  followUp(state, then, at);
  state.version++;
}

/** Held back: our relay refuses it, or it waited an hour. Recorded once per reason; a refusal outweighs a wait. */
export function hold(state: ComplaintState, item: OutboxItem, reason: MailHold): void {
  const entry = entryOf(state, item);
  if (entry.held?.reason === reason || entry.held?.reason === 'relay-refused') return;
  entry.held = { reason, since: entry.held?.since ?? state.now() };
  state.record('klachtflow', 'mail-held', { detail: `${entry.step}: ${reason}`, internal: true });
}

/** Refused for good, when it was sent or by a bounce later: recorded, never fatal; the complaint goes on. */
export function undelivered(state: ComplaintState, id: number, reason: string): void {
  const entry = state.dossier.correspondence[id]!;
  delete entry.held;
  Object.assign(entry, { status: 'undelivered', failed: reason });
  state.record('klachtflow', 'mail-failed', { detail: entry.step, internal: true });
}

/** Which e-mail a complainant's step was (its activity), to name it to staff. */
export function activityOfStep(step: string): Mail['activity'] {
  if (step === 'receipt') return 'sendReceipt';
  if (step.startsWith('position')) return 'sendPosition';
  if (step.startsWith('delay-')) return 'sendDelayNotice';
  if (step.startsWith('hearing-')) return 'sendHearingInvitation';
  if (/^appeal-\d+-received$/.test(step)) return 'sendAppealReceived';
  if (/^appeal-\d+-decision$/.test(step)) return 'sendAppealDecision';
  if (step.startsWith('closure')) return 'sendClosure';
  if (/^reopening-\d+$/.test(step)) return 'sendReopeningDecision';
  if (step.startsWith('agreements-')) return 'sendAgreements';
  if (step.startsWith('suspension-')) return 'sendInformationRequest';
  if (step.startsWith('resumed-')) return 'sendTermsResumed';
  return 'sendNewLink';
}

/** The position could not reach the complainant: no answer is then no answer, and staff decide. */
export const positionUndelivered = (state: ComplaintState): boolean =>
  state.dossier.correspondence.some((c) => c.step.startsWith('position') && c.status === 'undelivered');

/** E-mail to the complainant goes out in the order it was queued; staff e-mail beside it, in its own order. */
export type Lane = 'complainant' | 'staff';
const laneOf = (state: ComplaintState, item: OutboxItem): Lane => (entryOf(state, item).to === 'complainant' ? 'complainant' : 'staff');

/** While our relay refuses us, a try each minute, then each 2, 4, … minutes, at most each half hour. */
const relayRetryMs = (refusals: number): number => Math.min(30 * 60_000, 60_000 * 2 ** Math.max(0, refusals - 1));
/** After an hour of "later", the next hour of tries starts a minute on. */
const delayedRetryMs = 60_000;

/**
 * Sends one lane of the outbox in order, one e-mail at a time, until `halt()` holds between two
 * sends; what is queued then stays in the state (and travels on when the complaint continues as
 * new). A recipient refused for good is recorded as undelivered and the handler is told what to
 * do; our relay refusing us is retried, and visible to the operator (ComplaintMailHeld).
 */
export async function deliverOutbox(state: ComplaintState, lane: Lane, mail: Mailer, halt: () => boolean): Promise<void> {
  const next = () => state.outbox.find((item) => laneOf(state, item) === lane);
  for (;;) {
    await condition(() => next() !== undefined || halt());
    if (halt()) return;
    const item = next()!;
    try {
      const activity = email[item.mail.activity] as (input: Mail['input']) => Promise<SentEmail | LetterText>;
      const result = await activity(item.mail.input);
      // Since 1.5: a complainant without an e-mail address (registered by staff) gets letters.
      if ('letter' in result && patched('letters')) letterReady(state, item, result, mail);
      else sent(state, item, result as SentEmail);
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      const failure = err.cause instanceof ApplicationFailure ? err.cause : undefined;
      if (failure?.type === 'SmtpRecipientRefused') {
        // Nobody can deliver it: on record, and the handler is told to call or to post it.
        undelivered(state, item.id, failure.message);
        take(state, item);
        const [smtp] = (failure.details ?? []) as ({ code?: string } | undefined)[];
        if (lane === 'complainant') mail.undeliverable(item.mail.activity, smtp?.code ?? 'unknown');
      } else if (failure?.type === 'SmtpRelayRefused') {
        // Our configuration: retried, and visible to the operator until it goes.
        item.refusals = (item.refusals ?? 0) + 1;
        hold(state, item, 'relay-refused');
        state.sync();
        await condition(halt, relayRetryMs(item.refusals));
      } else {
        // An hour of "later" (or a worker or server away that long): held, the handler told once, tried on.
        const entry = entryOf(state, item);
        if (!entry.held && entry.to === 'complainant') mail.mailDelayed(item.mail.activity, entry.at);
        hold(state, item, 'delayed');
        state.sync();
        await condition(halt, delayedRetryMs);
      }
    }
    state.sync();
  }
}
