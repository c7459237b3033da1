// A period's report, read from the register (visibility and its memo) the same way for the API's
// JSON, the back-office page and the managers' scheduled e-mail: the analysis of the complaints
// received in the period and in the one before, the charts, and the complaints closed in it (the
// list the quality meeting goes through).
import type { Client } from '@temporalio/client';
import type { ComplaintService } from '../api/complaints';
import { registerEntries, type RegisterFilter } from '../api/register';
import type { ProcedureRegistry } from '../config/procedures';
import { type Analysis, analyse, periodBefore, type ReportPeriod } from '../domain/analysis';
import { calendarCache } from '../domain/calendar';
import { localDateOf } from '../domain/local-date';
import type { RegisterEntry } from '../domain/register';
import { type Chart, reportCharts, reportView, type ReportView } from '../domain/report-view';
import type { Language } from '../domain/vocabulary';
import { termLabel } from '../domain/words';
import { chartSvg } from './charts';

export interface ReportSource {
  client: Client;
  linkSecret: string;
  complaints: Pick<ComplaintService, 'dossier'>;
  procedures: ProcedureRegistry;
}

/** One complaint closed in the period, as the quality meeting reads it. */
export interface ClosedLine {
  reference: string;
  procedure: string;
  received: string;
  closed: string;
  outcome: string;
  category: string;
  subject: string;
  solution: string;
  cause: string;
  measures: string;
  breached: string;
}

export interface PeriodReport {
  procedure?: string;
  view: ReportView;
  charts: (Chart & { svg: string })[];
  closed: ClosedLine[];
}

/** A reader of reports over one source, with the procedures' calendars loaded once. */
export function reportReader(source: ReportSource) {
  const calendars = calendarCache();
  const calendarOf = (id: string) => {
    const found = source.procedures.get(id);
    if (!found) throw new Error(`complaint of unknown procedure ${id}`);
    return { calendar: calendars(found), timezone: found.timezone };
  };
  const entriesOf = async (filter: Omit<RegisterFilter, 'pageSize'>): Promise<RegisterEntry[]> => {
    const lines = await registerEntries(source.client, source.linkSecret, source.complaints, { ...filter, pageSize: 500 });
    return lines.flatMap((line) => (line.entry ? [line.entry] : []));
  };
  const scope = (procedure?: string) => (procedure ? { procedure } : {});

  /** The analysis of the complaints received in a period (SPEC §4.1), as `GET /api/admin/reports/:period` answers it. */
  const analysis = async (period: ReportPeriod, procedure?: string): Promise<Analysis> =>
    analyse(period, await entriesOf({ receivedFrom: period.from, receivedTo: period.to, ...scope(procedure) }), calendarOf);

  return {
    analysis,
    /** The whole report: this period beside the one before, its charts as SVG, and what was closed in it. */
    async report(language: Language, period: ReportPeriod, procedure?: string): Promise<PeriodReport> {
      const [current, previous, closedEntries] = await Promise.all([
        analysis(period, procedure),
        analysis(periodBefore(period), procedure),
        entriesOf({ closedFrom: period.from, closedTo: period.to, ...scope(procedure) }),
      ]);
      const route = procedure ? source.procedures.get(procedure)?.appeals : undefined;
      const view = reportView(language, current, previous, route);
      const charts = await Promise.all(reportCharts(language, view).map(async (chart) => ({ ...chart, svg: await chartSvg(chart.spec) })));
      const closed = closedEntries
        .map((entry) => closedLine(language, entry, calendarOf(entry.procedure).timezone, source.procedures.get(entry.procedure)?.appeals ?? []))
        .sort((a, b) => a.closed.localeCompare(b.closed) || a.reference.localeCompare(b.reference));
      return { ...(procedure ? { procedure } : {}), view, charts, closed };
    },
  };
}

export type ReportReader = ReturnType<typeof reportReader>;

function closedLine(language: Language, entry: RegisterEntry, timezone: string, route: Parameters<typeof termLabel>[2]): ClosedLine {
  const day = (instant?: string) => (instant ? localDateOf(new Date(instant), timezone) : '');
  const { filed, progress, cause } = entry;
  return {
    reference: entry.reference,
    procedure: entry.procedure,
    received: day(filed.receivedAt),
    closed: day(progress.closedAt),
    outcome: progress.outcome ?? '',
    category: filed.category ?? '',
    subject: filed.subject,
    solution: progress.solution ?? '',
    cause: cause?.cause ?? '',
    measures: cause?.measures ?? '',
    breached: Object.entries(progress.terms)
      .filter(([, term]) => term?.fate === 'breached')
      .map(([name]) => termLabel(language, name, route))
      .join(', '),
  };
}
