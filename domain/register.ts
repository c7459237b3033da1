// A complaint's line in the register (SPEC §4.1): every field the register, the work queue and
// the analysis read, kept in the workflow's memo (encrypted by the codec), so that they come from
// visibility list calls alone. Pure: the workflow writes it, the API reads it.
import type { Dossier, TermName } from './dossier';
import { reopenedTimes } from './lifecycle';
import type { ComplaintOutcome, ComplaintStatus, IntakeChannel } from './vocabulary';

/** What came in: fixed at intake. */
export interface RegisterFiled {
  complainant: Dossier['complaint']['complainant'];
  /** The description's first line, at most 120 characters: the register's "korte omschrijving". */
  subject: string;
  category?: string;
  channel: IntakeChannel;
  registeredBy?: string;
  receivedAt: string;
  /** Required fields still to be completed by the complainant (a complaint by e-mail). */
  incomplete?: string[];
}

/** How a term or window fared, and whether an extension was told in time. */
export interface TermRecord {
  fate: 'met' | 'breached' | 'lapsed' | 'running';
  extended?: 'in-time' | 'late';
  /** Its aim (a service norm) passed unmet. */
  targetMissed?: true;
  /** It stood still for a question to the complainant (opschorting). */
  suspended?: true;
}

/** How it goes: changes with the actions. */
export interface RegisterProgress {
  status: ComplaintStatus;
  outcome?: ComplaintOutcome;
  handler?: string;
  /** The people the complaint is about, "name (role)". */
  involved: string[];
  positionAt?: string;
  /** The way of handling (the position's solution), at most 500 characters. */
  solution?: string;
  closedAt?: string;
  destroyOn?: string;
  /** Destroyed before its date by a director: when, and why (the destruction statement lists it). */
  destroyedEarly?: { at: string; reason: string };
  terms: Partial<Record<TermName, TermRecord>>;
  appeals: { level: number; outcome: string }[];
  /** How often it was reopened (absent: never); it stays one complaint in the report. */
  reopened?: number;
}

export interface RegisterMail {
  at: string;
  to: 'complainant' | 'staff' | 'manager';
  subject: string;
  status: 'sent' | 'undelivered' | 'to-post' | 'posted' | 'received';
}

/** The memo, by key: each key is upserted only when it changed, so a note adds nothing to history. */
export interface RegisterMemo {
  filed: RegisterFiled;
  progress: RegisterProgress;
  cause?: { cause: string; measures: string };
  /** The last 50 e-mails of the correspondence that went out or could not be delivered. */
  mail: RegisterMail[];
  /** The staff term due first and its due instant (from 1.4; kept by the workflow's state, not made from the dossier). */
  next?: { term: TermName; due: string } | null;
}
export type RegisterMemoKey = keyof RegisterMemo;
export const registerMemoKeys: readonly RegisterMemoKey[] = ['filed', 'progress', 'cause', 'mail'];

/** One line of the register: what visibility knows of a complaint, its memo included. */
export interface RegisterEntry extends RegisterMemo {
  reference: string;
  procedure: string;
}

const shortened = (text: string, max: number): string => {
  const line = text.trim().split(/\r?\n/)[0]!.trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
};

function termRecord(term: NonNullable<Dossier['terms'][TermName]>): TermRecord {
  const fate = term.breachedAt ? 'breached' : term.metAt ? 'met' : term.lapsedAt ? 'lapsed' : 'running';
  // A missed aim (a service norm) is counted apart: met late or not yet met, it is no breach.
  const aim = term.targetMissedAt ? { targetMissed: true as const } : {};
  // A suspension's move is no extension: counted apart.
  const suspended = term.extensions?.some((e) => e.suspended) ? { suspended: true as const } : {};
  const extensions = (term.extensions ?? []).filter((e) => !e.suspended);
  if (!extensions.length) return { fate, ...aim, ...suspended };
  return { fate, extended: extensions.every((e) => e.notice === 'in-time') ? 'in-time' : 'late', ...aim, ...suspended };
}

export function registerMemoOf(dossier: Dossier): RegisterMemo {
  const { complaint } = dossier;
  const memo: RegisterMemo = {
    filed: {
      complainant: complaint.complainant,
      subject: shortened(complaint.description, 120),
      ...(complaint.category ? { category: complaint.category } : {}),
      channel: complaint.channel,
      ...(complaint.registeredBy ? { registeredBy: complaint.registeredBy } : {}),
      receivedAt: dossier.receivedAt,
      ...(complaint.incomplete?.length ? { incomplete: complaint.incomplete } : {}),
    },
    progress: {
      status: dossier.status,
      ...(dossier.outcome ? { outcome: dossier.outcome } : {}),
      ...(dossier.handler ? { handler: dossier.handler } : {}),
      involved: dossier.involved.map((p) => (p.role ? `${p.name} (${p.role})` : p.name)),
      ...(dossier.position ? { positionAt: dossier.position.at } : {}),
      ...(dossier.position?.solution ? { solution: shortened(dossier.position.solution, 500) } : {}),
      ...(dossier.closedAt ? { closedAt: dossier.closedAt } : {}),
      ...(dossier.destroyOn ? { destroyOn: dossier.destroyOn } : {}),
      ...(dossier.destroyedEarly ? { destroyedEarly: { at: dossier.destroyedEarly.at, reason: dossier.destroyedEarly.reason } } : {}),
      terms: Object.fromEntries(Object.entries(dossier.terms).flatMap(([name, term]) => (term ? [[name, termRecord(term)]] : []))),
      appeals: dossier.appeals.map((a) => ({ level: a.level, outcome: a.decision?.decision ?? a.externalOutcome?.outcome ?? 'pending' })),
      ...(reopenedTimes(dossier) ? { reopened: reopenedTimes(dossier) } : {}),
    },
    // What went out (or could not): an e-mail still queued changes nothing here, so it costs no history event.
    mail: dossier.correspondence
      .filter((c) => c.status !== 'queued')
      .slice(-50)
      .map((c) => ({ at: c.sentAt ?? c.at, to: c.to, subject: c.subject, status: c.status as RegisterMail['status'] })),
  };
  if (dossier.cause) memo.cause = { cause: dossier.cause.cause, measures: dossier.cause.measures };
  return memo;
}

export const registerEntryOf = (dossier: Dossier): RegisterEntry => ({ reference: dossier.reference, procedure: dossier.procedure, ...registerMemoOf(dossier) });
