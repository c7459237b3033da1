import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { Dossier } from './dossier';
import { localDateOf } from './local-date';

// The destruction statement (issue 14): what was destroyed in a month, for the managers. A
// complaint's history is gone once its destroy date has passed, so each complaint, as it ends,
// hands its line to the destruction log of its destroy date's month: a small workflow of its own
// that outlives them. Nothing personal is in a line: reference, procedure, dates, and for an early
// destruction the director's reason (which the action asks to be free of personal data).
export interface DestructionEntry {
  reference: string;
  procedure: string;
  receivedAt: string;
  closedAt?: string;
  /** The date the history is gone by (YYYY-MM-DD): the statement's month is this date's. */
  destroyOn: string;
  /** A director destroyed the dossier before its planned date. */
  early?: { at: string; reason: string; plannedOn?: string };
}

/** A closed complaint's line, as it ends: its destroy date is set by then. */
export function destructionEntry(dossier: Dossier): DestructionEntry {
  const early = dossier.destroyedEarly;
  return {
    reference: dossier.reference,
    procedure: dossier.procedure,
    receivedAt: dossier.receivedAt,
    ...(dossier.closedAt ? { closedAt: dossier.closedAt } : {}),
    destroyOn: dossier.destroyOn!,
    ...(early ? { early: { at: early.at, reason: early.reason, ...(early.plannedOn ? { plannedOn: early.plannedOn } : {}) } } : {}),
  };
}

/** A calendar month, `YYYY-MM`. */
export const monthPattern = /^\d{4}-(0[1-9]|1[0-2])$/;

export const monthOf = (date: string): string => date.slice(0, 7);

/** The month before `month` (`2026-01` → `2025-12`). */
export function previousMonth(month: string): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  return number === 1 ? `${year - 1}-12` : `${year}-${String(number - 1).padStart(2, '0')}`;
}

/** The month before the one `now` falls in, on `timezone`'s clock: the statement's month. */
export const monthBefore = (now: Date, timezone: string): string => previousMonth(monthOf(localDateOf(now, timezone)));

/** The month `count` months after `month`. */
export function monthsAfter(month: string, count: number): string {
  const [year, number] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (number - 1) + count;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The log of one month's destructions: one workflow per month, started by the first line that arrives. */
export const destructionLogId = (month: string): string => `klachtflow-destructions-${month}`;
export const destructionStatementId = 'klachtflow-destruction-statement';

/**
 * How long a month's log is kept after its month: as long as the longest retention of a seed
 * procedure (two years, gooiconsult), so that a statement can be shown again as long as any
 * dossier it stands beside could still exist.
 */
export const destructionLogKeptMonths = 24;

export const destroyedSignal = defineSignal<[DestructionEntry]>('destroyed');
export const destructionsQuery = defineQuery<DestructionEntry[]>('destructions');

/** The columns of the statement's CSV, in Dutch as the register's are. */
export const destructionColumns = [
  { key: 'reference', header: 'kenmerk' },
  { key: 'procedure', header: 'procedure' },
  { key: 'received', header: 'ontvangen' },
  { key: 'closed', header: 'afgesloten' },
  { key: 'destroyOn', header: 'vernietigd op' },
  { key: 'early', header: 'eerder vernietigd' },
  { key: 'reason', header: 'reden' },
] as const;
