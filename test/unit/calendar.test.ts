import { join } from 'node:path';
import { loadProcedures } from '../../config/procedures';
import { addWorkingDays, calendarFor, noticeBy, retentionDate, rollForward, termDate, WorkingCalendar } from '../../domain/calendar';
import { computeDeadlines } from '../../domain/deadlines';

const procedures = loadProcedures(join(__dirname, '..', '..', 'procedures'));
const nl = new WorkingCalendar({ country: 'NL', holidayTypes: ['public'], closedDays: [] });
const deadlines = (id: string, anchors: Parameters<typeof computeDeadlines>[2]) => {
  const procedure = procedures.get(id)!;
  return computeDeadlines(procedure, calendarFor(procedure), anchors).deadlines;
};

describe('the Dutch working-day calendar (hand-checked dates)', () => {
  it('gives the example of SPEC §3.4: Gooiconsult, received Friday 24 April 2026 around Koningsdag and Hemelvaart', () => {
    expect(deadlines('gooiconsult', { receivedAt: new Date('2026-04-24T10:15:00+02:00') })).toEqual({
      acknowledge: { date: '2026-05-04', dueAt: '2026-05-04T21:59:59.999Z' },
      resolve: { date: '2026-05-08', dueAt: '2026-05-08T21:59:59.999Z' },
      maxLeadTime: { date: '2026-05-15', dueAt: '2026-05-15T21:59:59.999Z', noticeBy: '2026-05-11' },
    });
  });

  it('keeps Koningsdag on Saturday 26 April when 27 April is a Sunday (2025), so Monday 28 April is a working day', () => {
    expect(nl.nonWorkingReason('2025-04-26')).toBe('weekend');
    expect(nl.isWorkingDay('2025-04-28')).toBe(true);
    expect(deadlines('klassewerk', { receivedAt: new Date('2025-04-25T16:00:00+02:00') }).firstContact?.date).toBe('2025-04-29');
  });

  it('counts Goede Vrijdag and Bevrijdingsdag as working days and skips Tweede paasdag (Pasen 2026)', () => {
    expect(nl.isWorkingDay('2026-04-03')).toBe(true);
    expect(nl.isWorkingDay('2026-05-05')).toBe(true);
    expect(nl.nonWorkingReason('2026-04-06')).toBe('Tweede paasdag');
    expect(addWorkingDays(nl, '2026-04-02', 2).date).toBe('2026-04-07');
  });

  it('runs a one-week term that ends on Hemelvaartsdag on to Friday (StudiJob)', () => {
    expect(deadlines('studijob', { receivedAt: new Date('2026-05-07T11:00:00+02:00') }).resolve?.date).toBe('2026-05-15');
  });

  it('skips Tweede pinksterdag (Pinksteren 2026)', () => {
    expect(deadlines('babbage', { receivedAt: new Date('2026-05-22T09:00:00+02:00') }).firstContact?.date).toBe('2026-05-27');
  });

  it('skips Kerstmis and Nieuwjaar but not Oudejaarsdag', () => {
    expect(deadlines('gooiconsult', { receivedAt: new Date('2026-12-23T12:00:00+01:00') }).acknowledge?.date).toBe('2026-12-31');
    expect(addWorkingDays(nl, '2026-12-31', 2).date).toBe('2027-01-05');
  });

  it('takes 31 January + 1 month to the last day of February, then on to Monday when that is a Saturday', () => {
    expect(
      deadlines('klassewerk', { receivedAt: new Date('2026-01-20T10:00:00+01:00'), positionSentAt: new Date('2026-01-31T10:00:00+01:00') })
        .appeal1File?.date,
    ).toBe('2026-03-02');
  });

  it('lands on 29 February in a leap year, and keeps a dossier until 28 February the year after', () => {
    expect(termDate(nl, '2028-01-31', { within: 1, unit: 'months' }).date).toBe('2028-02-29');
    expect(retentionDate('2028-02-29', { within: 1, unit: 'years' }).date).toBe('2029-02-28');
  });

  it('uses the local date of a receipt just after midnight, when UTC is still the day before (summer and winter)', () => {
    const summer = deadlines('klassewerk', { receivedAt: new Date('2026-06-29T22:30:00Z') }).firstContact;
    expect(summer).toEqual({ date: '2026-07-02', dueAt: '2026-07-02T21:59:59.999Z' });
    const winter = deadlines('klassewerk', { receivedAt: new Date('2026-01-14T23:10:00Z') }).firstContact;
    expect(winter).toEqual({ date: '2026-01-19', dueAt: '2026-01-19T22:59:59.999Z' });
  });

  it('never counts the day of receipt, and counts a Saturday receipt from Monday', () => {
    expect(addWorkingDays(nl, '2026-06-05', 1).date).toBe('2026-06-08');
    expect(addWorkingDays(nl, '2026-06-06', 1).date).toBe('2026-06-08');
  });

  it('rolls nothing forward that is a working day, and a Sunday on to Monday', () => {
    expect(rollForward(nl, '2026-05-20').date).toBe('2026-05-20');
    expect(rollForward(nl, '2026-05-24').date).toBe('2026-05-26');
  });

  it('counts the notice days back over Hemelvaart', () => {
    expect(noticeBy(nl, '2026-05-15', 3).date).toBe('2026-05-11');
  });

  it('keeps a Gooiconsult dossier a year after closure, at most two years after receipt, never rolled on', () => {
    expect(deadlines('gooiconsult', { receivedAt: new Date('2026-04-24T10:15:00+02:00'), closedAt: new Date('2026-05-20T10:00:00+02:00') }).destroy).toEqual({ date: '2027-05-20' });
    expect(deadlines('gooiconsult', { receivedAt: new Date('2026-01-10T10:00:00+01:00'), closedAt: new Date('2027-06-01T10:00:00+02:00') }).destroy).toEqual({ date: '2028-01-10' });
    expect(deadlines('klassewerk', { receivedAt: new Date('2026-01-10T10:00:00+01:00'), closedAt: new Date('2026-02-28T10:00:00+01:00') }).destroy).toEqual({ date: '2027-02-28' });
  });

  it('honours closed days of a procedure', () => {
    const closedWeek = new WorkingCalendar({ country: 'NL', holidayTypes: ['public'], closedDays: ['2026-07-20', '2026-07-21'] });
    expect(closedWeek.nonWorkingReason('2026-07-20')).toBe('closed');
    expect(addWorkingDays(closedWeek, '2026-07-17', 1).date).toBe('2026-07-22');
  });

  it('explains each date in short lines', () => {
    const procedure = procedures.get('gooiconsult')!;
    const { deadlines: explained } = computeDeadlines(procedure, calendarFor(procedure), { receivedAt: new Date('2026-04-24T10:15:00+02:00') }, { explain: true });
    expect(explained.acknowledge?.trace).toEqual(
      expect.arrayContaining([
        'received Fri 24-04-2026 10:15 Europe/Amsterdam; 5 workingDays',
        'Mon 27-04-2026 Koningsdag skipped',
        'day 1 = Tue 28-04-2026',
        'day 5 = Mon 04-05-2026',
      ]),
    );
    expect(explained.maxLeadTime?.trace).toContain('Thu 14-05-2026 Hemelvaartsdag skipped');
  });
});
