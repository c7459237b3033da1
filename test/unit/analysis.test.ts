import { addWorkingDays, WorkingCalendar, workingDaysBetween } from '../../domain/calendar';
import { analyse, parsePeriod, periodBefore, periodChoices, periodHolding, reportDueOn } from '../../domain/analysis';
import { periodInWords, reportCharts, reportCsvRows, reportView } from '../../domain/report-view';
import type { Dossier } from '../../domain/dossier';
import { type RegisterEntry, registerEntryOf } from '../../domain/register';

const nl = new WorkingCalendar({ country: 'NL', holidayTypes: ['public'], closedDays: [] });
const calendarOf = () => ({ calendar: nl, timezone: 'Europe/Amsterdam' });

function dossier(overrides: Partial<Dossier>): Dossier {
  return {
    reference: 'KL-2026-AAAAAA',
    procedure: 'gooiconsult',
    language: 'nl',
    timezone: 'Europe/Amsterdam',
    complaint: { complainant: { email: 'a@example.nl' }, description: 'x', channel: 'web' },
    status: 'received',
    receivedAt: '2026-04-24T08:15:00.000Z',
    involved: [],
    terms: {},
    rules: { requireRootCause: false, satisfactionRequiredToClose: false },
    route: [],
    satisfactionTerm: { within: 10, unit: 'workingDays', target: false },
    hearings: [],
    appeals: [],
    timeline: [],
    correspondence: [],
    ...overrides,
  };
}

describe('the analysis of a period', () => {
  it('reads 2026-Q2 and 2026, and nothing else', () => {
    expect(parsePeriod('2026-Q2')).toEqual({ label: '2026-Q2', from: '2026-04-01', to: '2026-06-30' });
    expect(parsePeriod('2026-Q1')?.to).toBe('2026-03-31');
    expect(parsePeriod('2026')).toEqual({ label: '2026', from: '2026-01-01', to: '2026-12-31' });
    for (const bad of ['2026-Q5', '2026Q2', '26', '2026-04', '', '0000', '1969-Q4']) expect(parsePeriod(bad)).toBeUndefined();
  });

  it('counts working days as the terms do: Koningsdag and the weekend do not count', () => {
    // Received Friday 24 April 2026; Monday 27 April is Koningsdag.
    expect(workingDaysBetween(nl, '2026-04-24', '2026-04-28')).toBe(1);
    expect(workingDaysBetween(nl, '2026-04-24', addWorkingDays(nl, '2026-04-24', 5).date)).toBe(5);
    expect(workingDaysBetween(nl, '2026-04-24', '2026-04-24')).toBe(0);
  });

  it('counts complaints, term results, lead times, appeals and causes, from the register memo of each dossier', () => {
    const period = parsePeriod('2026-Q2')!;
    const report = analyse(
      period,
      [
        dossier({
          reference: 'KL-2026-AAAAA1',
          complaint: { complainant: { email: 'a@example.nl', type: 'uitzendkracht' }, description: 'x', channel: 'web', category: 'vacature' },
          outcome: 'satisfied',
          closedAt: '2026-05-06T10:00:00.000Z',
          position: { at: '2026-04-28T10:00:00.000Z', by: 'hanna', text: 't' },
          terms: {
            resolve: { kind: 'term', date: '2026-05-08', dueAt: '', trace: [], metAt: '2026-04-28T10:00:00.000Z' },
            maxLeadTime: {
              kind: 'term',
              date: '2026-05-15',
              dueAt: '',
              trace: [],
              metAt: '2026-04-28T10:00:00.000Z',
              extensions: [{ at: '', by: 'hanna', from: '2026-05-15', to: '2026-05-22', dueAt: '', reason: 'r', notice: 'in-time' }],
            },
          },
          cause: { at: '', by: 'hanna', cause: 'Planning', measures: 'Controle' },
        }),
        dossier({
          reference: 'KL-2026-AAAAA2',
          terms: {
            resolve: { kind: 'term', date: '2026-05-08', dueAt: '', trace: [], breachedAt: '2026-05-08T21:59:59.999Z' },
            maxLeadTime: { kind: 'term', date: '2026-05-15', dueAt: '', trace: [], extensions: [{ at: '', by: 'h', from: '2026-05-15', to: '2026-05-29', dueAt: '', reason: 'r', notice: 'late' }] },
          },
          appeals: [{ level: 1, kind: 'disputes-committee', body: 'NRTO', filedAt: '', grounds: 'g', externalOutcome: { at: '', by: 'mira', outcome: 'rejected', text: 't' } }],
          outcome: 'external_decided',
          closedAt: '2026-06-30T10:00:00.000Z',
        }),
      ].map(registerEntryOf),
      calendarOf,
    );
    expect(report).toMatchObject({
      complaints: 2,
      byProcedure: { gooiconsult: 2 },
      byCategory: { vacature: 1, '(none)': 1 },
      byComplainantType: { uitzendkracht: 1, '(none)': 1 },
      byOutcome: { satisfied: 1, external_decided: 1 },
      terms: {
        resolve: { applied: 2, met: 1, breached: 1, extended: 0, running: 0 },
        maxLeadTime: { applied: 2, met: 1, running: 1, extended: 2, noticeInTime: 1, noticeLate: 1 },
      },
      appeals: { '1': { filed: 1, outcomes: { rejected: 1 } } },
      causes: [{ reference: 'KL-2026-AAAAA1', cause: 'Planning', measures: 'Controle' }],
    });
    // Receipt Fri 24-04 → position Tue 28-04: one working day (Koningsdag skipped).
    expect(report.leadTimes.receiptToPosition).toEqual({ count: 1, medianWorkingDays: 1, p90WorkingDays: 1 });
    expect(report.leadTimes.receiptToClosure.count).toBe(2);
    expect(report.leadTimes.receiptToClosure.medianWorkingDays).toBe(7);
  });
});

/** A register line of a complaint received on 24 April 2026, in a category, its resolve term as given. */
const entry = ({ category, positionAt, resolve }: { category: string; positionAt?: string; resolve: 'met' | 'breached' }): RegisterEntry => ({
  reference: 'KL-2026-BBBBBB',
  procedure: 'gooiconsult',
  filed: { complainant: { email: 'a@example.nl' }, subject: 'x', category, channel: 'web', receivedAt: '2026-04-24T08:15:00.000Z' },
  progress: { status: 'in_progress', involved: [], terms: { resolve: { fate: resolve } }, appeals: [], ...(positionAt ? { positionAt } : {}) },
  mail: [],
});

describe('report periods and the report view', () => {
  it('finds the period of a date, the one before and the choices of a page', () => {
    expect(periodHolding('2026-12-02', 'quarterly')).toEqual({ label: '2026-Q4', from: '2026-10-01', to: '2026-12-31' });
    expect(periodHolding('2026-12-02', 'annual')).toEqual({ label: '2026', from: '2026-01-01', to: '2026-12-31' });
    expect(periodBefore(parsePeriod('2026-Q1')!).label).toBe('2025-Q4');
    expect(periodBefore(parsePeriod('2026')!).label).toBe('2025');
    expect(periodChoices('2026-05-10').map((p) => p.label)).toEqual(['2026-Q2', '2026-Q1', '2025-Q4', '2025-Q3', '2025-Q2', '2025-Q1', '2024-Q4', '2024-Q3', '2026', '2025', '2024']);
    expect(periodInWords('nl', parsePeriod('2026-Q4')!)).toBe('4e kwartaal 2026 (1 oktober 2026 t/m 31 december 2026)');
    expect(periodInWords('en', parsePeriod('2026')!)).toBe('the year 2026 (1 January 2026 – 31 December 2026)');
  });

  it('is due on the first working day of the new period only: past New Year, a weekend and Easter Monday', () => {
    // 1 January 2027 is a Friday (New Year's Day): Monday 4 January is the first working day.
    expect(reportDueOn(nl, '2027-01-01', 'quarterly')).toBeUndefined();
    expect(reportDueOn(nl, '2027-01-04', 'quarterly')?.label).toBe('2026-Q4');
    expect(reportDueOn(nl, '2027-01-04', 'annual')?.label).toBe('2026');
    expect(reportDueOn(nl, '2027-01-05', 'quarterly')).toBeUndefined();
    // 1 April 2024 was Easter Monday: Tuesday the 2nd.
    expect(reportDueOn(nl, '2024-04-01', 'quarterly')).toBeUndefined();
    expect(reportDueOn(nl, '2024-04-02', 'quarterly')?.label).toBe('2024-Q1');
    // A yearly procedure has no report in April.
    expect(reportDueOn(nl, '2024-04-02', 'annual')).toBeUndefined();
    expect(reportDueOn(nl, '2026-10-01', 'quarterly')?.label).toBe('2026-Q3');
  });

  it('puts a period beside the one before in tables, charts and CSV rows with the same numbers', () => {
    const current = analyse(parsePeriod('2026-Q2')!, [entry({ category: 'planning', positionAt: '2026-04-28T10:00:00.000Z', resolve: 'met' }), entry({ category: 'trainer', resolve: 'breached' })], calendarOf);
    const previous = analyse(parsePeriod('2026-Q1')!, [entry({ category: 'planning', resolve: 'met' })], calendarOf);
    const view = reportView('nl', current, previous);
    expect(view.figures.find((l) => l.key === 'complaints')).toMatchObject({ label: 'Klachten ontvangen', current: 2, previous: 1 });
    expect(view.figures.find((l) => l.key === 'breached')).toMatchObject({ current: 1, previous: 0 });
    expect(view.byCategory).toEqual([
      { key: 'planning', label: 'planning', current: 1, previous: 1 },
      { key: 'trainer', label: 'trainer', current: 1, previous: 0 },
    ]);
    expect(view.terms[0]).toMatchObject({ key: 'resolve', label: 'Het schriftelijk standpunt', current: { applied: 2, met: 1, breached: 1 }, previous: { applied: 1, met: 1 } });
    const [categories, terms] = reportCharts('nl', view);
    expect((categories!.spec.data as { values: unknown[] }).values).toContainEqual({ category: 'trainer', period: '2026-Q1', count: 0 });
    expect((terms!.spec.data as { values: unknown[] }).values).toEqual([
      { term: 'Het schriftelijk standpunt', fate: 'gehaald', count: 1 },
      { term: 'Het schriftelijk standpunt', fate: 'overschreden', count: 1 },
    ]);
    const rows = reportCsvRows('nl', view);
    expect(rows[0]).toEqual(['onderdeel', 'omschrijving', 'deze periode', 'vorige periode']);
    expect(rows).toContainEqual(['kerncijfers', 'Klachten ontvangen', 2, 1]);
    expect(rows).toContainEqual(['termijn', 'Het schriftelijk standpunt: overschreden', 1, 0]);
  });
});
