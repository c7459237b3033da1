// A period's report as people read it (issue 15): the analysis of the period beside the one
// before, in Dutch or English labels, as tables, as Vega-Lite chart specifications and as CSV
// rows. Pure: the analyses (./analysis.ts) come in; the page, the CSV and the managers' e-mail
// are made from what goes out, so they cannot tell different numbers.
import type { Analysis, LeadTime, ReportPeriod, TermFigures } from './analysis';
import type { AppealLevel } from './procedure';
import { appealLabel, termLabel } from './words';
import type { Language } from './vocabulary';

const texts = {
  nl: {
    title: 'Rapportage',
    quarter: (q: number, year: string) => `${q}e kwartaal ${year}`,
    year: (year: string) => `het jaar ${year}`,
    range: (from: string, to: string) => `${from} t/m ${to}`,
    figures: {
      complaints: 'Klachten ontvangen',
      closed: 'Daarvan afgesloten',
      open: 'Daarvan nog open',
      toPosition: 'Doorlooptijd tot het standpunt, mediaan (werkdagen)',
      toPositionP90: 'Doorlooptijd tot het standpunt, 90% binnen (werkdagen)',
      toClosure: 'Doorlooptijd tot afsluiten, mediaan (werkdagen)',
      breached: 'Termijnen overschreden',
      targetMissed: 'Streeftermijnen niet gehaald (geen overschrijding)',
      extended: 'Termijnen verlengd',
      suspended: 'Termijnen opgeschort (vraag aan de klager)',
      noticeLate: 'Verlengd zonder tijdige melding',
      appeals: 'Beroepen ingesteld',
      reopened: 'Heropend (elk één keer geteld)',
    },
    fates: { met: 'gehaald', breached: 'overschreden', lapsed: 'verstreken', running: 'lopend' },
    termColumns: { applied: 'van toepassing', met: 'gehaald', breached: 'overschreden', lapsed: 'verstreken', running: 'lopend', targetMissed: 'streeftermijn niet gehaald', extended: 'verlengd', suspended: 'opgeschort', noticeLate: 'verlengd zonder tijdige melding' },
    none: '(geen)',
    open: 'open',
    categoryChart: 'Klachten per categorie',
    termsChart: 'Hoe de termijnen afliepen',
    count: 'Aantal',
    period: 'Periode',
    fate: 'Afloop',
    chartDescription: (what: string, period: string) => `${what}, ${period}`,
    csvHeader: ['onderdeel', 'omschrijving', 'deze periode', 'vorige periode'],
    sections: { figures: 'kerncijfers', category: 'categorie', outcome: 'uitkomst', type: 'soort klager', term: 'termijn', appeal: 'beroep' },
    outcomes: { satisfied: 'tevreden', no_response: 'geen reactie', dissatisfied: 'niet tevreden', appeal_decided: 'beroep beslist', external_decided: 'extern beslist', withdrawn: 'ingetrokken', open: 'nog open' } as Record<string, string>,
  },
  en: {
    title: 'Report',
    quarter: (q: number, year: string) => `Q${q} ${year}`,
    year: (year: string) => `the year ${year}`,
    range: (from: string, to: string) => `${from} – ${to}`,
    figures: {
      complaints: 'Complaints received',
      closed: 'Of which closed',
      open: 'Of which still open',
      toPosition: 'Lead time to the position, median (working days)',
      toPositionP90: 'Lead time to the position, 90% within (working days)',
      toClosure: 'Lead time to closing, median (working days)',
      breached: 'Terms breached',
      targetMissed: 'Targets missed (no breach)',
      suspended: 'Terms suspended (question to the complainant)',
      extended: 'Terms extended',
      noticeLate: 'Extended without timely notice',
      appeals: 'Appeals filed',
      reopened: 'Reopened (each counted once)',
    },
    fates: { met: 'met', breached: 'breached', lapsed: 'lapsed', running: 'running' },
    termColumns: { applied: 'applied', met: 'met', breached: 'breached', lapsed: 'lapsed', running: 'running', targetMissed: 'target missed', extended: 'extended', suspended: 'suspended', noticeLate: 'extended without timely notice' },
    none: '(none)',
    open: 'open',
    categoryChart: 'Complaints by category',
    termsChart: 'How the terms fared',
    count: 'Count',
    period: 'Period',
    fate: 'Fate',
    chartDescription: (what: string, period: string) => `${what}, ${period}`,
    csvHeader: ['section', 'description', 'this period', 'previous period'],
    sections: { figures: 'key figures', category: 'category', outcome: 'outcome', type: 'kind of complainant', term: 'term', appeal: 'appeal' },
    outcomes: { satisfied: 'satisfied', no_response: 'no response', dissatisfied: 'not satisfied', appeal_decided: 'appeal decided', external_decided: 'decided externally', withdrawn: 'withdrawn', open: 'still open' } as Record<string, string>,
  },
};

const monthDay = (language: Language, date: string) =>
  new Intl.DateTimeFormat(language === 'nl' ? 'nl-NL' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));

/** "4e kwartaal 2026 (1 oktober 2026 t/m 31 december 2026)" / "Q4 2026 (…)". */
export function periodInWords(language: Language, period: ReportPeriod): string {
  const t = texts[language];
  const quarter = /-Q(\d)$/.exec(period.label);
  const name = quarter ? t.quarter(Number(quarter[1]), period.label.slice(0, 4)) : t.year(period.label);
  return `${name} (${t.range(monthDay(language, period.from), monthDay(language, period.to))})`;
}

/** A line of a table: what, this period, the period before (a count, a number of days, or none). */
export interface ReportLine {
  key: string;
  label: string;
  current: number | null;
  previous: number | null;
}

export interface TermLine {
  key: string;
  label: string;
  current: TermFigures;
  /** The same term in the period before (all zero where it did not apply then). */
  previous: TermFigures;
}

const noFigures: TermFigures = { applied: 0, met: 0, breached: 0, lapsed: 0, extended: 0, noticeInTime: 0, noticeLate: 0, running: 0, targetMissed: 0, suspended: 0 };

export interface ReportView {
  period: { label: string; words: string };
  previous: { label: string; words: string };
  complaints: number;
  figures: ReportLine[];
  byCategory: ReportLine[];
  byOutcome: ReportLine[];
  byComplainantType: ReportLine[];
  terms: TermLine[];
  appeals: ReportLine[];
  causes: Analysis['causes'];
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** The lines of two tallies side by side, largest first, the keys of either period included. */
function sideBySide(current: Record<string, number>, previous: Record<string, number>, label: (key: string) => string): ReportLine[] {
  const keys = [...new Set([...Object.keys(current), ...Object.keys(previous)])];
  return keys
    .map((key) => ({ key, label: label(key), current: current[key] ?? 0, previous: previous[key] ?? 0 }))
    .sort((a, b) => b.current - a.current || b.previous - a.previous || a.label.localeCompare(b.label));
}

const sum = (tally: Record<string, number>, keep: (key: string) => boolean = () => true) =>
  Object.entries(tally).reduce((total, [key, n]) => total + (keep(key) ? n : 0), 0);
const termSum = (analysis: Analysis, field: keyof TermFigures) => Object.values(analysis.terms).reduce((total, t) => total + t[field], 0);

/**
 * The report of `current` beside `previous`. `route` names the appeal levels (one procedure's
 * report); for all procedures together the levels are named by number.
 */
export function reportView(language: Language, current: Analysis, previous: Analysis, route?: readonly AppealLevel[]): ReportView {
  const t = texts[language];
  // The appeal levels named anywhere in the two periods: by their appeals, and by their terms (appeal2File, …).
  const termLevels = [...Object.keys(current.terms), ...Object.keys(previous.terms)].flatMap((key) => /^appeal(\d+)(?:File|Decide)$/.exec(key)?.[1] ?? []);
  const levels = [...new Set([...Object.keys(current.appeals), ...Object.keys(previous.appeals), ...termLevels].map(Number))];
  const namedRoute = route ?? (levels.map((level) => ({ level, body: { name: '' } })) as unknown as AppealLevel[]);
  const lead = (pick: (a: Analysis) => LeadTime, field: 'medianWorkingDays' | 'p90WorkingDays') => ({ current: pick(current)[field], previous: pick(previous)[field] });
  const closed = (a: Analysis) => sum(a.byOutcome, (key) => key !== 'open');
  const figures: ReportLine[] = [
    { key: 'complaints', label: t.figures.complaints, current: current.complaints, previous: previous.complaints },
    { key: 'closed', label: t.figures.closed, current: closed(current), previous: closed(previous) },
    { key: 'open', label: t.figures.open, current: current.byOutcome.open ?? 0, previous: previous.byOutcome.open ?? 0 },
    { key: 'toPosition', label: t.figures.toPosition, ...lead((a) => a.leadTimes.receiptToPosition, 'medianWorkingDays') },
    { key: 'toPositionP90', label: t.figures.toPositionP90, ...lead((a) => a.leadTimes.receiptToPosition, 'p90WorkingDays') },
    { key: 'toClosure', label: t.figures.toClosure, ...lead((a) => a.leadTimes.receiptToClosure, 'medianWorkingDays') },
    { key: 'breached', label: t.figures.breached, current: termSum(current, 'breached'), previous: termSum(previous, 'breached') },
    { key: 'targetMissed', label: t.figures.targetMissed, current: termSum(current, 'targetMissed'), previous: termSum(previous, 'targetMissed') },
    { key: 'extended', label: t.figures.extended, current: termSum(current, 'extended'), previous: termSum(previous, 'extended') },
    { key: 'suspended', label: t.figures.suspended, current: termSum(current, 'suspended'), previous: termSum(previous, 'suspended') },
    { key: 'noticeLate', label: t.figures.noticeLate, current: termSum(current, 'noticeLate'), previous: termSum(previous, 'noticeLate') },
    { key: 'reopened', label: t.figures.reopened, current: current.reopened ?? 0, previous: previous.reopened ?? 0 },
    { key: 'appeals', label: t.figures.appeals, current: sum(Object.fromEntries(Object.entries(current.appeals).map(([k, v]) => [k, v.filed]))), previous: sum(Object.fromEntries(Object.entries(previous.appeals).map(([k, v]) => [k, v.filed]))) },
  ];
  const named = (key: string) => (key === '(none)' ? t.none : key);
  const termOrder = ['acknowledge', 'firstContact', 'resolve', 'satisfaction', 'maxLeadTime'];
  const rank = (key: string) => (termOrder.includes(key) ? termOrder.indexOf(key) : termOrder.length);
  const terms = Object.entries(current.terms)
    .map(([key, figures]) => ({ key, label: capitalised(termLabel(language, key, namedRoute)), current: figures, previous: previous.terms[key] ?? noFigures }))
    .sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key));
  const filed = (a: Analysis) => Object.fromEntries(Object.entries(a.appeals).map(([level, v]) => [level, v.filed]));
  return {
    period: { label: current.period.label, words: periodInWords(language, current.period) },
    previous: { label: previous.period.label, words: periodInWords(language, previous.period) },
    complaints: current.complaints,
    figures,
    byCategory: sideBySide(current.byCategory, previous.byCategory, named),
    byOutcome: sideBySide(current.byOutcome, previous.byOutcome, (key) => t.outcomes[key] ?? key),
    byComplainantType: sideBySide(current.byComplainantType, previous.byComplainantType, named),
    terms,
    appeals: sideBySide(filed(current), filed(previous), (level) => capitalised(appealLabel(language, Number(level), namedRoute))),
    causes: current.causes,
  };
}

/** A Vega-Lite specification, as JSON: rendered to SVG on the server (activities/charts.ts). */
export type ChartSpec = Record<string, unknown> & { description: string };

export interface Chart {
  id: string;
  title: string;
  spec: ChartSpec;
}

/** A count axis with whole numbers only: no tick between 1 and 2 (Vega's own ticks would put 0.5 there). */
const countAxis = (title: string, counts: readonly number[]) => {
  const max = Math.max(1, ...counts);
  return { field: 'count', type: 'quantitative', title, axis: { format: 'd', tickCount: Math.min(max, 5) } };
};

const chartConfig = {
  // One accessible image per chart (activities/charts.ts names it), not a tree of marks read out one by one.
  aria: false,
  font: 'DejaVu Sans, Liberation Sans, Arial, sans-serif',
  background: 'white',
  view: { stroke: null },
  axis: { labelFontSize: 12, titleFontSize: 12, labelLimit: 260 },
  legend: { labelFontSize: 12, titleFontSize: 12, orient: 'bottom' },
};

/** The report's charts: complaints per category beside the period before; how each term fared this period. */
export function reportCharts(language: Language, view: ReportView): Chart[] {
  const t = texts[language];
  const charts: Chart[] = [];
  if (view.byCategory.length) {
    const values = view.byCategory.flatMap((line) => [
      { category: line.label, period: view.period.label, count: line.current },
      { category: line.label, period: view.previous.label, count: line.previous },
    ]);
    charts.push({
      id: 'categorie',
      title: t.categoryChart,
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
        description: t.chartDescription(t.categoryChart, `${view.period.label} / ${view.previous.label}`),
        width: 440,
        data: { values },
        mark: { type: 'bar', tooltip: false },
        encoding: {
          y: { field: 'category', type: 'nominal', title: null, sort: view.byCategory.map((l) => l.label) },
          yOffset: { field: 'period', sort: [view.period.label, view.previous.label] },
          x: countAxis(t.count, values.map((v) => v.count ?? 0)),
          color: { field: 'period', type: 'nominal', title: t.period, sort: [view.period.label, view.previous.label], scale: { range: ['#1f5aa6', '#a9c1e0'] } },
        },
        config: chartConfig,
      },
    });
  }
  if (view.terms.length) {
    const fates = ['met', 'breached', 'lapsed', 'running'] as const;
    const values = view.terms.flatMap((term) => fates.filter((fate) => term.current[fate] > 0).map((fate) => ({ term: term.label, fate: t.fates[fate], count: term.current[fate] })));
    charts.push({
      id: 'termijnen',
      title: t.termsChart,
      spec: {
        $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
        description: t.chartDescription(t.termsChart, view.period.label),
        width: 440,
        data: { values },
        mark: { type: 'bar', tooltip: false },
        encoding: {
          y: { field: 'term', type: 'nominal', title: null, sort: view.terms.map((l) => l.label) },
          x: countAxis(t.count, view.terms.map((term) => fates.reduce((n, f) => n + term.current[f], 0))),
          color: { field: 'fate', type: 'nominal', title: t.fate, sort: fates.map((f) => t.fates[f]), scale: { domain: fates.map((f) => t.fates[f]), range: ['#2e7d32', '#c62828', '#757575', '#1f5aa6'] } },
          order: { field: 'fate', sort: 'ascending' },
        },
        config: chartConfig,
      },
    });
  }
  return charts;
}

/** A term's figures as the page and the CSV show them, in this order. */
export const termColumns = ['applied', 'met', 'breached', 'lapsed', 'running', 'targetMissed', 'extended', 'suspended', 'noticeLate'] as const;

/** The report as CSV rows (header first): every table of the page, this period beside the one before. */
export function reportCsvRows(language: Language, view: ReportView): (string | number)[][] {
  const t = texts[language];
  const cell = (n: number | null) => (n === null ? '' : n);
  const lines = (section: string, rows: readonly ReportLine[]) => rows.map((r) => [section, r.label, cell(r.current), cell(r.previous)]);
  return [
    t.csvHeader,
    ...lines(t.sections.figures, view.figures),
    ...lines(t.sections.category, view.byCategory),
    ...lines(t.sections.outcome, view.byOutcome),
    ...lines(t.sections.type, view.byComplainantType),
    ...view.terms.flatMap((term) => termColumns.map((field) => [t.sections.term, `${term.label}: ${t.termColumns[field]}`, term.current[field], term.previous[field]])),
    ...lines(t.sections.appeal, view.appeals),
  ];
}

/** The report's own words (headings, column names), for the page and the e-mail. */
export const reportWords = (language: Language) => texts[language];
