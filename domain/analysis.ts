// The analysis of a period (SPEC §4.1): counts, how every term fared, lead times in working
// days, appeals, and the recorded causes and measures. Pure: the register's lines (visibility's
// memo, domain/register.ts) and the calendars come in, the report goes out.
import { rollForward, workingDaysBetween, type WorkingCalendar } from './calendar';
import { localDateOf } from './local-date';
import type { RegisterEntry } from './register';

export interface ReportPeriod {
  label: string;
  /** First and last local date of the period. */
  from: string;
  to: string;
}

/** `2026-Q2` (a quarter) or `2026` (a year), from 1970 on; undefined for anything else. */
export function parsePeriod(period: string): ReportPeriod | undefined {
  const match = /^(\d{4})(?:-Q([1-4]))?$/.exec(period);
  if (!match || Number(match[1]) < 1970) return undefined;
  const year = match[1]!;
  if (!match[2]) return { label: period, from: `${year}-01-01`, to: `${year}-12-31` };
  const quarter = Number(match[2]);
  const firstMonth = (quarter - 1) * 3 + 1;
  const lastDay = new Date(Date.UTC(Number(year), firstMonth + 2, 0)).getUTCDate();
  const mm = (m: number) => String(m).padStart(2, '0');
  return { label: period, from: `${year}-${mm(firstMonth)}-01`, to: `${year}-${mm(firstMonth + 2)}-${lastDay}` };
}

export interface TermFigures {
  applied: number;
  met: number;
  breached: number;
  /** A complainant's window that passed without them acting. */
  lapsed: number;
  /** Its aim (a service norm) passed unmet: reported apart, never a breach. */
  targetMissed: number;
  /** It stood still for a question to the complainant: counted apart from extensions. */
  suspended: number;
  extended: number;
  noticeInTime: number;
  noticeLate: number;
  running: number;
}

export interface LeadTime {
  count: number;
  medianWorkingDays: number | null;
  p90WorkingDays: number | null;
}

export interface Analysis {
  period: ReportPeriod;
  complaints: number;
  /** Complaints reopened at least once: each counts once, as every complaint does. */
  reopened: number;
  byProcedure: Record<string, number>;
  byCategory: Record<string, number>;
  byComplainantType: Record<string, number>;
  byOutcome: Record<string, number>;
  terms: Record<string, TermFigures>;
  leadTimes: { receiptToPosition: LeadTime; receiptToClosure: LeadTime };
  appeals: Record<string, { filed: number; outcomes: Record<string, number> }>;
  causes: { reference: string; procedure: string; cause: string; measures: string }[];
}

const count = (into: Record<string, number>, key: string | undefined): void => {
  const name = key ?? '(none)';
  into[name] = (into[name] ?? 0) + 1;
};

/** The nearest-rank percentile of sorted numbers. */
function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

function leadTime(days: number[]): LeadTime {
  const sorted = [...days].sort((a, b) => a - b);
  return { count: sorted.length, medianWorkingDays: percentile(sorted, 0.5), p90WorkingDays: percentile(sorted, 0.9) };
}

export function analyse(
  period: ReportPeriod,
  entries: readonly RegisterEntry[],
  calendarOf: (procedure: string) => { calendar: WorkingCalendar; timezone: string },
): Analysis {
  const analysis: Analysis = {
    period,
    complaints: entries.length,
    reopened: entries.filter((e) => e.progress.reopened).length,
    byProcedure: {},
    byCategory: {},
    byComplainantType: {},
    byOutcome: {},
    terms: {},
    leadTimes: { receiptToPosition: leadTime([]), receiptToClosure: leadTime([]) },
    appeals: {},
    causes: [],
  };
  const toPosition: number[] = [];
  const toClosure: number[] = [];
  for (const { reference, procedure, filed, progress, cause } of entries) {
    const { calendar, timezone } = calendarOf(procedure);
    const day = (instant: string) => localDateOf(new Date(instant), timezone);
    count(analysis.byProcedure, procedure);
    count(analysis.byCategory, filed.category);
    count(analysis.byComplainantType, filed.complainant.type);
    count(analysis.byOutcome, progress.outcome ?? 'open');
    for (const [name, term] of Object.entries(progress.terms)) {
      if (!term) continue;
      const figures = (analysis.terms[name] ??= { applied: 0, met: 0, breached: 0, lapsed: 0, extended: 0, noticeInTime: 0, noticeLate: 0, running: 0, targetMissed: 0, suspended: 0 });
      figures.applied++;
      figures[term.fate]++;
      if (term.targetMissed) figures.targetMissed++;
      if (term.suspended) figures.suspended++;
      if (term.extended) {
        figures.extended++;
        if (term.extended === 'in-time') figures.noticeInTime++;
        else figures.noticeLate++;
      }
    }
    const received = day(filed.receivedAt);
    if (progress.positionAt) toPosition.push(workingDaysBetween(calendar, received, day(progress.positionAt)));
    if (progress.closedAt) toClosure.push(workingDaysBetween(calendar, received, day(progress.closedAt)));
    for (const appeal of progress.appeals) {
      const level = (analysis.appeals[String(appeal.level)] ??= { filed: 0, outcomes: {} });
      level.filed++;
      count(level.outcomes, appeal.outcome);
    }
    if (cause) analysis.causes.push({ reference, procedure, cause: cause.cause, measures: cause.measures });
  }
  analysis.leadTimes = { receiptToPosition: leadTime(toPosition), receiptToClosure: leadTime(toClosure) };
  return analysis;
}

export type PeriodKind = 'quarterly' | 'annual';

/** The quarter or year that holds a local date (YYYY-MM-DD). */
export function periodHolding(date: string, kind: PeriodKind): ReportPeriod {
  const year = date.slice(0, 4);
  if (kind === 'annual') return parsePeriod(year)!;
  return parsePeriod(`${year}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`)!;
}

/** The period just before: 2026-Q1 → 2025-Q4, 2026 → 2025. */
export function periodBefore(period: ReportPeriod): ReportPeriod {
  const dayBefore = new Date(Date.parse(`${period.from}T12:00:00Z`) - 24 * 3600_000).toISOString().slice(0, 10);
  return periodHolding(dayBefore, /-Q/.test(period.label) ? 'quarterly' : 'annual');
}

/** The periods to choose from on a date: this quarter and the seven before, this year and the two before. */
export function periodChoices(today: string): ReportPeriod[] {
  const quarters = [periodHolding(today, 'quarterly')];
  while (quarters.length < 8) quarters.push(periodBefore(quarters.at(-1)!));
  const years = [periodHolding(today, 'annual')];
  while (years.length < 3) years.push(periodBefore(years.at(-1)!));
  return [...quarters, ...years];
}

/**
 * The period whose report is due on a local date: the one just ended, when the date is the first
 * working day of the new one (its first day, rolled forward past weekends and holidays); else none.
 */
export function reportDueOn(calendar: WorkingCalendar, date: string, kind: PeriodKind): ReportPeriod | undefined {
  const current = periodHolding(date, kind);
  return rollForward(calendar, current.from).date === date ? periodBefore(current) : undefined;
}
