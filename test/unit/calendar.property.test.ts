import fc from 'fast-check';
import { addWorkingDays, noticeBy, rollForward, termDate, WorkingCalendar } from '../../domain/calendar';
import { addDays } from '../../domain/local-date';

const nl = new WorkingCalendar({ country: 'NL', holidayTypes: ['public'], closedDays: [] });
/** Any date from 2015 to 2040. */
const date = fc.integer({ min: 0, max: 25 * 366 }).map((n) => addDays('2015-01-01', n));
const count = fc.integer({ min: 1, max: 60 });

describe('calendar properties', () => {
  it('N working days after an anchor is a working day strictly after it', () => {
    fc.assert(
      fc.property(date, count, (anchor, n) => {
        const { date: due } = addWorkingDays(nl, anchor, n);
        return nl.isWorkingDay(due) && due > anchor;
      }),
    );
  });

  it('more working days never give an earlier date', () => {
    fc.assert(
      fc.property(date, count, count, (anchor, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        return addWorkingDays(nl, anchor, low).date <= addWorkingDays(nl, anchor, high).date;
      }),
    );
  });

  it('roll-forward lands on a working day and never moves a working day', () => {
    fc.assert(
      fc.property(date, (day) => {
        const { date: rolled } = rollForward(nl, day);
        return nl.isWorkingDay(rolled) && rolled >= day && (!nl.isWorkingDay(day) || rolled === day);
      }),
    );
  });

  it('every calendar term lands on a working day on or after the plain date', () => {
    fc.assert(
      fc.property(date, count, fc.constantFrom<('days' | 'weeks' | 'months' | 'years')[]>('days', 'weeks', 'months', 'years'), (anchor, n, unit) => {
        const { date: due } = termDate(nl, anchor, { within: n, unit });
        return nl.isWorkingDay(due) && due > anchor;
      }),
    );
  });

  it('the notice date is a working day before the due date', () => {
    fc.assert(
      fc.property(date, count, fc.integer({ min: 1, max: 10 }), (anchor, n, k) => {
        const { date: due } = addWorkingDays(nl, anchor, n);
        const { date: notice } = noticeBy(nl, due, k);
        return notice < due && nl.isWorkingDay(notice);
      }),
    );
  });
});
