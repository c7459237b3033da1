import type { ComplaintOutcome, ComplaintStatus, Language } from './complaint';

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
}

/** A term the workflow runs: its dates, and when its reminder, notice reminder and escalation fire. */
export interface TimedTerm extends DossierTerm {
  target: boolean;
  reminderAt: string;
  noticeReminderAt?: string;
  escalationAt: string;
}

export interface InvolvedPerson {
  name: string;
  staffId?: string;
  role?: string;
}

/** The complaint's file as the dossier query returns it (SPEC §6). */
export interface Dossier {
  reference: string;
  procedure: string;
  language: Language;
  status: ComplaintStatus;
  outcome?: ComplaintOutcome;
  receivedAt: string;
  closedAt?: string;
  handler?: string;
  involved: InvolvedPerson[];
  terms: Partial<Record<'acknowledge' | 'firstContact' | 'resolve' | 'maxLeadTime' | 'satisfaction' | 'appeal1File', DossierTerm>>;
  position?: { at: string; by: string; text: string; solution?: string; agreements?: string };
  satisfaction?: { at: string; satisfied: boolean; comment?: string };
  cause?: { at: string; by: string; cause: string; measures: string };
  /** The date the dossier is destroyed, once closed (YYYY-MM-DD). */
  destroyOn?: string;
  timeline: TimelineEntry[];
  correspondence: CorrespondenceEntry[];
}
