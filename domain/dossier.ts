// The complaint's file as the dossier query returns it (SPEC §6): every fact of the complaint,
// the only thing guards, pages and reports read. Types only.
import type { AttachmentRef } from './attachments';
import type { ComplaintInput, InboundMail, SuspensionRule } from './complaint';
import type { AppealLevel, Term } from './procedure';
import type {
  AppealDecision,
  ComplaintOutcome,
  ComplaintStatus,
  ContactChannel,
  ExternalOutcome,
  HearingMode,
  Language,
  TermName,
} from './vocabulary';

export type { TermName };

export interface TimelineEntry {
  at: string;
  /** A staff id, `complainant` or `klachtflow`. */
  actor: string;
  event: string;
  detail?: string;
  /** Staff-internal: left out of the complainant's view. */
  internal?: boolean;
}

/** An e-mail from its queueing to its delivery: the outbox and the correspondence are one list. */
export interface CorrespondenceEntry {
  /** When it was queued. */
  at: string;
  to: 'complainant' | 'staff' | 'manager';
  /** The step it belongs to ("receipt", "position", "delay-maxLeadTime-1"); its Message-ID is made from it. */
  step: string;
  /**
   * A complainant without an e-mail address gets letters: ready to print ('to-post') until staff
   * post them ('posted'). An e-mail that came in for the complaint is 'received' (issue 16).
   */
  status: 'queued' | 'sent' | 'undelivered' | 'to-post' | 'posted' | 'received';
  /** An e-mail that came in: whether its sender is the complainant's address, and its address otherwise. */
  from?: { complainant: boolean; address?: string; name?: string };
  /** Staff's judgement of an e-mail from another address: whether it belongs to the complaint. */
  judged?: { belongs: boolean; by: string; at: string };
  /** Came in from a machine (an out-of-office): on file, answered by nothing. */
  automatic?: boolean;
  /** The receiving server's SPF, DKIM and DMARC verdicts for an e-mail that came in. */
  auth?: InboundMail['auth'];
  /** The attachments of an e-mail that came in. */
  attachments?: AttachmentRef[];
  /** The subject as sent; the step until then. */
  subject: string;
  /** A complainant's e-mail as sent, its link's token masked (from 1.3; earlier e-mails kept only the subject). */
  text?: string;
  messageId?: string;
  sentAt?: string;
  /** Why it could not be delivered: the step and the mail server's code, never the address. */
  failed?: string;
  /** A letter: when staff posted it, and who. */
  posted?: { at: string; by: string };
  /** Queued longer than it should be: our mail relay refuses it (retried), or it has waited an hour. */
  held?: { reason: MailHold; since: string };
}

export type MailHold = 'relay-refused' | 'delayed';

/**
 * A term or a window as the dossier keeps it: the dates told, with how they were reached.
 * A `term` is staff's to meet (reminders, breach, escalation); a `window` is the complainant's
 * time to answer or appeal (a reminder, then it closes).
 */
export interface DossierTerm {
  kind: 'term' | 'window';
  date: string;
  dueAt: string;
  noticeBy?: string;
  trace: string[];
  /** "We aim for" rather than "we promise": its end is a missed target, never a breach. */
  target?: boolean;
  /** A service norm beside the binding date: the aim's date and instant. */
  aim?: { date: string; dueAt: string };
  /** The aim (the whole term's, or the one beside it) passed unmet: reported, never escalated. */
  targetMissedAt?: string;
  /** The notice the procedure asks before this term ends; an extension asks it again. */
  noticeWorkingDaysBefore?: number;
  /** A window: the instant it closes (after the one reminder, for "satisfied?"). */
  closesAt?: string;
  metAt?: string;
  breachedAt?: string;
  /** A window that passed without the complainant acting. */
  lapsedAt?: string;
  extendedTo?: string;
  /** Every extension, with whether the delay notice went out in time (by `noticeBy`, else by the due date). */
  extensions?: TermExtension[];
}

export interface TermExtension {
  at: string;
  by: string;
  from: string;
  to: string;
  /** The due instant and notice date of the new date. */
  dueAt: string;
  noticeBy?: string;
  reason: string;
  /** `in-time`: by the notice date (or the due date where there is none); `late`: after it; `after-breach`: after the due date. */
  notice: 'in-time' | 'late' | 'after-breach';
  /** A move made by a suspension that ended (not an extension): from which day to which, and the working days it stood still. */
  suspended?: { from: string; to: string; workingDays: number };
}

export interface InvolvedPerson {
  name: string;
  staffId?: string;
  role?: string;
}

export interface AppealRecord {
  level: number;
  kind: AppealLevel['body']['kind'];
  body: string;
  filedAt: string;
  grounds: string;
  referral?: { at: string; by: string; caseNumber?: string };
  decision?: { at: string; by: string; decision: AppealDecision; text: string; hearingSkipped?: string };
  externalOutcome?: { at: string; by: string; outcome: ExternalOutcome; text: string };
}

export interface Hearing {
  /** 1, 2, …: how staff name it when they record it as held. */
  number: number;
  at: string;
  mode: HearingMode;
  /** The place, or the Teams link. */
  location?: string;
  attendees?: string[];
  level?: number;
  scheduledAt: string;
  by: string;
  /** Held, with the staff's short report (left out of the complainant's view). */
  held?: { at: string; by: string; report?: string };
}

/** The complainant's latest answer to "are you satisfied?": through their link, or as staff received it. */
export interface SatisfactionAnswer {
  at: string;
  satisfied: boolean;
  comment?: string;
  /** `complainant` (the link), or the staff id that recorded it. */
  by: string;
  /** How staff received it; absent when the complainant answered through their link. */
  channel?: ContactChannel;
  receivedAt?: string;
}

/** The closing rules of the procedure, fixed at intake. */
export interface ClosingRules {
  requireRootCause: boolean;
  satisfactionRequiredToClose: boolean;
  /** The procedure shows the complainant who is involved (Babbage); fixed at intake, absent before. */
  showInvolvedPeople?: boolean;
  /** The cause record must say how and when the measures are communicated internally (StudiJob); fixed at intake. */
  causeCommunication?: boolean;
  /** Agreements of a logged contact are confirmed in writing: always (Babbage) or when the complainant wishes (Klassewerk); fixed at intake. */
  agreementsInWriting?: 'always' | 'on-request';
  /** Which terms a question to the complainant suspends, and the default answer time; fixed at intake. */
  suspension?: SuspensionRule;
  /** The complainant may ask to reopen, up to this long after closure; fixed at intake. */
  reopening?: { afterClosure: SuspensionRule['answerWithin'] };
}

/** A request to reopen the complaint, and staff's decision on it; an accepted one keeps what it set aside. */
export interface Reopening {
  at: string;
  reason: string;
  decided?: { at: string; by: string; accepted: boolean; reason?: string };
  /** What the acceptance set aside: the position and answer of the round before, its outcome if it was closed, its handling terms. */
  earlier?: { position?: Dossier['position']; satisfaction?: SatisfactionAnswer; outcome?: ComplaintOutcome; closedAt?: string; terms?: Partial<Record<TermName, DossierTerm>> };
}

/** A question to the complainant that suspends terms (opschorting), from its asking to its end. */
export interface Suspension {
  at: string;
  by: string;
  question: string;
  /** The answer date told to the complainant, and the instant it ends. */
  answerBy: string;
  answerDueAt: string;
  /** The terms standing still. */
  terms: TermName[];
  /** Answered (by them, or staff record it), or the answer date passed: the terms run on, this many working days later. */
  ended?: { at: string; by: string; how: 'answered' | 'answer-date' | 'staff'; workingDays: number };
}

export interface Dossier {
  reference: string;
  procedure: string;
  language: Language;
  /** The procedure's time zone: every date of this complaint is a local date there. */
  timezone: string;
  /** What the complainant filed: theirs to read, the staff's to handle; never in logs or visibility. */
  complaint: Pick<ComplaintInput, 'complainant' | 'description' | 'category' | 'whatHappened' | 'expected' | 'occurredOn' | 'channel' | 'registeredBy' | 'mail' | 'attachments' | 'incomplete'>;
  status: ComplaintStatus;
  outcome?: ComplaintOutcome;
  receivedAt: string;
  closedAt?: string;
  handler?: string;
  involved: InvolvedPerson[];
  terms: Partial<Record<TermName, DossierTerm>>;
  rules: ClosingRules;
  /** The appeal route of the procedure, fixed at intake. */
  route: AppealLevel[];
  /** The procedure's satisfaction term at intake: a level without a term of its own is open this long. */
  satisfactionTerm: Term;
  position?: { at: string; by: string; text: string; solution?: string; agreements?: string; hearingSkipped?: string };
  satisfaction?: SatisfactionAnswer;
  cause?: { at: string; by: string; cause: string; measures: string; communicatedHow?: string; communicatedOn?: string };
  hearings: Hearing[];
  /** Questions to the complainant that suspended terms (absent before the first). */
  suspensions?: Suspension[];
  /** Requests to reopen (absent before the first). */
  reopenings?: Reopening[];
  /** The last day the complainant may ask to reopen the closed complaint (where the procedure allows it). */
  reopenBy?: string;
  appeals: AppealRecord[];
  /** The date the dossier is destroyed, once closed (YYYY-MM-DD). */
  destroyOn?: string;
  /** A director destroyed the closed dossier before its date: the workflow completes, the namespace retention deletes its history. */
  destroyedEarly?: { at: string; by: string; reason: string; plannedOn?: string };
  /** How often staff revoked the complainant's links (revokeLinks): a link made in an earlier generation is refused. */
  linkGeneration?: number;
  timeline: TimelineEntry[];
  correspondence: CorrespondenceEntry[];
}

export type DossierView = 'staff' | 'complainant';

/** Every attachment the dossier keeps (the complaint's e-mail and the e-mails that came in after it). */
export const attachmentsOf = (dossier: Pick<Dossier, 'complaint' | 'correspondence'>): AttachmentRef[] => [
  ...(dossier.complaint.attachments ?? []),
  ...dossier.correspondence.flatMap((c) => c.attachments ?? []),
];

/**
 * The complainant's view: without staff notes, the cause, mail between staff, and the people the
 * complaint is about, unless the procedure shows those (their name and role only).
 */
export function complainantView(dossier: Dossier): Dossier {
  const { cause: _cause, ...shared } = dossier;
  return {
    ...shared,
    involved: dossier.rules.showInvolvedPeople ? dossier.involved.map(({ name, role }) => ({ name, ...(role ? { role } : {}) })) : [],
    // The hearing's report is the staff's own write-up.
    hearings: dossier.hearings.map(({ held, ...hearing }) => (held ? { ...hearing, held: { at: held.at, by: held.by } } : hearing)),
    timeline: dossier.timeline.filter((entry) => !entry.internal),
    // What went to them, and what they wrote (an e-mail from another address stays with staff).
    correspondence: dossier.correspondence.filter((entry) => entry.to === 'complainant' || entry.from?.complainant === true),
  };
}
