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

/** The complaint's file as the dossier query returns it (SPEC §6). */
export interface Dossier {
  reference: string;
  procedure: string;
  language: Language;
  status: ComplaintStatus;
  outcome?: ComplaintOutcome;
  receivedAt: string;
  closedAt?: string;
  timeline: TimelineEntry[];
  correspondence: CorrespondenceEntry[];
}
