import { join } from 'node:path';
import { createDeadlineActivities } from '../../activities/deadlines';
import { loadProcedures } from '../../config/procedures';
import { type Procedure, procedureSchema } from '../../domain/procedure';

// Service norms (issue 17): a term that is an aim ends as a missed target, never a breach or an
// escalation; an aim beside a binding term has an alarm of its own before the term's. Pure: the
// planning activity's own code with the real calendar.
const seeds = loadProcedures(join(__dirname, '..', '..', 'procedures'));
const babbage = seeds.get('babbage')!;
// Gooiconsult's two weeks, with an aim of five working days beside them.
const aiming: Procedure = procedureSchema.parse({
  ...seeds.get('gooiconsult')!,
  id: 'gooiconsult-aim',
  terms: { ...seeds.get('gooiconsult')!.terms, resolve: { within: 2, unit: 'weeks', target: { within: 5, unit: 'workingDays' } } },
});
const deadlines = createDeadlineActivities({ procedures: new Map([['babbage', babbage], ['gooiconsult-aim', aiming]]), namespaceRetentionMs: 24 * 3600 * 1000 });
// Monday 1 March 2027, 10:00 in Amsterdam.
const receivedAt = '2027-03-01T09:00:00.000Z';

describe('service norms', () => {
  it('Babbage: its five working days are an aim: reminded, then a missed target; no breach, no escalation', async () => {
    const { terms } = await deadlines.intake({ procedure: 'babbage', receivedAt });
    expect(terms.resolve!.term).toMatchObject({ target: true, date: '2027-03-08' });
    expect(terms.resolve!.alarms.map((a) => a.kind)).toEqual(['reminder', 'target']);
    expect(terms.resolve!.alarms.at(-1)!.at).toBe(terms.resolve!.term.dueAt);
    // First contact is a promise: it breaches and escalates as before.
    expect(terms.firstContact!.alarms.map((a) => a.kind)).toEqual(['reminder', 'breach', 'escalation']);
  });

  it('an aim beside a binding term: its own alarm at the aim, then the term breaches and escalates as before', async () => {
    const { terms } = await deadlines.intake({ procedure: 'gooiconsult-aim', receivedAt });
    const resolve = terms.resolve!;
    expect(resolve.term).toMatchObject({ date: '2027-03-15', aim: { date: '2027-03-08' } });
    expect(resolve.term.target).toBeUndefined();
    expect(resolve.alarms.map((a) => a.kind)).toEqual(['reminder', 'target', 'breach', 'escalation']);
    expect(resolve.alarms[1]!.at).toBe(resolve.term.aim!.dueAt);
    expect(resolve.term.trace.at(-1)).toMatch(/^aim: due Mon 08-03-2027/);
  });

  it('an aim moved is still an aim', async () => {
    const { terms } = await deadlines.intake({ procedure: 'babbage', receivedAt });
    const resolve = terms.resolve!.term;
    const moved = await deadlines.extendTerm({ procedure: 'babbage', term: 'resolve', from: { date: resolve.date, dueAt: resolve.dueAt }, newDate: '2027-03-12', at: '2027-03-03T10:00:00.000Z' });
    expect(moved.alarms.map((a) => a.kind)).toEqual(['reminder', 'target']);
  });

  it('refuses an aim that is not a length, naming the field', () => {
    const parsed = procedureSchema.safeParse({ ...babbage, terms: { resolve: { within: 2, unit: 'weeks', target: { within: 5 } } } });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.join('.'))).toContain('terms.resolve.target');
  });
});
