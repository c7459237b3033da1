import { addWorkingDays, WorkingCalendar, workingDaysBetween } from '../../domain/calendar';
import { analyse, parsePeriod } from '../../domain/analysis';
import type { Dossier } from '../../domain/dossier';
import { registerEntryOf } from '../../domain/register';

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
