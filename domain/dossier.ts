import type { AppealDecision, ComplaintInput, ComplaintOutcome, ComplaintStatus, ExternalOutcome, HearingMode, Language } from './complaint';
import type { AppealLevel } from './procedure';

export interface TimelineEntry {
  at: string;
  actor: string;
  event: string;
  detail?: string;
  internal?: boolean;
}

export interface CorrespondenceEntry {
  at: string;
  to: 'complainant' | 'staff' | 'manager';
  /** Set when the e-mail could not be delivered; the reason is the mail server's. */
  failed?: string;
  subject: string;
  messageId: string;
}

/** A term as the dossier keeps it: the dates told to the complainant, with how they were reached. */
export interface DossierTerm {
  date: string;
  dueAt: string;
  noticeBy?: string;
  trace: string[];
  metAt?: string;
  breachedAt?: string;
  extendedTo?: string;
  /** Every extension, with whether the delay notice went out in time (by `noticeBy`, else by the due date). */
  extensions?: TermExtension[];
}

export interface TermExtension {
  at: string;
  by: string;
  from: string;
  to: string;
  reason: string;
  /** `in-time`: by the notice date (or the due date where there is none); `late`: after it; `after-breach`: after the due date. */
  notice: 'in-time' | 'late' | 'after-breach';
}

/** A term the workflow runs: its dates, and when its reminder, notice reminder and escalation fire. */
export interface TimedTerm extends DossierTerm {
  target: boolean;
  /** The notice the procedure asks before this term ends; kept so that an extension asks it again. */
  noticeWorkingDaysBefore?: number;
  reminderAt: string;
  noticeReminderAt?: string;
  escalationAt: string;
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
  decision?: { at: string; by: string; decision: AppealDecision; text: string };
  externalOutcome?: { at: string; by: string; outcome: ExternalOutcome; text: string };
}

export interface Hearing {
  at: string;
  mode: HearingMode;
  location?: string;
  level?: number;
  scheduledAt: string;
  by: string;
}

/** The terms a dossier can hold: from receipt, from the position, and per appeal level. */
export type DossierTermName =
  | 'acknowledge'
  | 'firstContact'
  | 'resolve'
  | 'maxLeadTime'
  | 'satisfaction'
  | `appeal${number}File`
  | `appeal${number}Decide`;

/** The complaint's file as the dossier query returns it (SPEC §6). */
export interface Dossier {
  reference: string;
  procedure: string;
  language: Language;
  /** What the complainant filed: theirs to read, the staff's to handle; never in logs or visibility. */
  complaint: Pick<ComplaintInput, 'complainant' | 'description' | 'category' | 'whatHappened' | 'expected' | 'occurredOn' | 'channel' | 'registeredBy'>;
  status: ComplaintStatus;
  outcome?: ComplaintOutcome;
  receivedAt: string;
  closedAt?: string;
  handler?: string;
  involved: InvolvedPerson[];
  terms: Partial<Record<DossierTermName, DossierTerm>>;
  position?: { at: string; by: string; text: string; solution?: string; agreements?: string };
  satisfaction?: { at: string; satisfied: boolean; comment?: string };
  cause?: { at: string; by: string; cause: string; measures: string };
  hearings?: Hearing[];
  appeals?: AppealRecord[];
  /** The date the dossier is destroyed, once closed (YYYY-MM-DD). */
  destroyOn?: string;
  timeline: TimelineEntry[];
  correspondence: CorrespondenceEntry[];
}
