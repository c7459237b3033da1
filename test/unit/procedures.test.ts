import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProcedureFile, loadProcedures, ProcedureFileError } from '../../config/procedures';

const dir = join(__dirname, '..', '..', 'procedures');
const procedures = loadProcedures(dir);
const scratch = mkdtempSync(join(tmpdir(), 'klachtflow-procedures-'));
const write = (name: string, yaml: string): string => {
  const path = join(scratch, name);
  writeFileSync(path, yaml);
  return path;
};

describe('the five seed procedures', () => {
  it('all load and validate', () => {
    expect([...procedures.keys()]).toEqual(['babbage', 'gooiconsult', 'klassewerk', 'studijob', 'thuiswerkdesk']);
  });

  it('Gooiconsult: receipt in 5 working days, position in 2 weeks, at most 3 weeks with notice 3 working days before, NRTO committee within 2 weeks, kept 1 to 2 years', () => {
    const p = procedures.get('gooiconsult')!;
    expect(p.intake.requiredFields).toEqual(expect.arrayContaining(['name', 'address', 'email', 'description']));
    expect(p.terms).toMatchObject({
      acknowledge: { within: 5, unit: 'workingDays' },
      resolve: { within: 2, unit: 'weeks', target: false },
      maxLeadTime: { within: 3, unit: 'weeks', noticeWorkingDaysBefore: 3 },
    });
    expect(p.appeals).toHaveLength(1);
    expect(p.appeals[0]).toMatchObject({
      level: 1,
      body: { kind: 'disputes-committee', name: 'Geschillencommissie NRTO', binding: true },
      fileWithin: { within: 2, unit: 'weeks', target: false },
    });
    expect(p.retention).toEqual({ keepAfterClosure: { within: 1, unit: 'years' }, maxAfterReceipt: { within: 2, unit: 'years' } });
  });

  it('Klassewerk: phone contact in 2 working days, written satisfaction to close, director then Geschillencommissie, 12 months', () => {
    const p = procedures.get('klassewerk')!;
    expect(p.terms.firstContact).toMatchObject({ within: 2, unit: 'workingDays', by: ['phone'] });
    // The first contact is a phone call: the intake asks for the number (Babbage, by phone or in writing, does not).
    expect(p.intake.requiredFields).toContain('phone');
    expect(procedures.get('babbage')!.intake.requiredFields).not.toContain('phone');
    expect(p.rules.satisfactionRequiredToClose).toBe(true);
    expect(p.appeals.map((l) => [l.body.kind, l.fileWithin?.within, l.fileWithin?.unit, l.decideWithin?.within, l.hearing, l.body.binding])).toEqual([
      ['internal', 1, 'months', 1, 'offered', false],
      ['disputes-committee', undefined, undefined, undefined, 'none', true],
    ]);
    expect(p.retention.keepAfterClosure).toEqual({ within: 12, unit: 'months' });
  });

  it('StudiJob: feedback in a week, complainant types, manager told, cause required, two internal levels, annual analysis', () => {
    const p = procedures.get('studijob')!;
    expect(p.terms.resolve).toMatchObject({ within: 1, unit: 'weeks' });
    expect(p.intake.complainantTypes.map((t) => t.id)).toEqual(['opdrachtgever', 'uitzendkracht']);
    expect(p.rules).toMatchObject({ requireRootCause: true, notifyManagerOnReceipt: true, analysis: 'annual' });
    expect(p.appeals.map((l) => [l.body.kind, l.body.contact])).toEqual([
      ['internal', 'debby@studijob.nl'],
      ['internal', 'mariska@studijob.nl'],
    ]);
    expect(p.delayNotice.mustState).toEqual(['newDate']);
  });

  it('Babbage: first contact in 2 working days, 5 working days as a target, satisfaction asked, mediator, quarterly', () => {
    const p = procedures.get('babbage')!;
    expect(p.terms).toMatchObject({
      firstContact: { within: 2, unit: 'workingDays' },
      resolve: { within: 5, unit: 'workingDays', target: true },
      satisfaction: { within: 10, unit: 'workingDays' },
    });
    expect(p.appeals[0]?.body.kind).toBe('mediator');
    expect(p.rules.analysis).toBe('quarterly');
    expect(p.contact).toEqual({ email: 'info@babbage.nl', phone: '020-4414707' });
  });

  it('thuiswerkdesk: four categories, what/expected/when asked, first reply in 5 working days, EU ODR', () => {
    const p = procedures.get('thuiswerkdesk')!;
    expect(p.intake.categories.map((c) => c.id)).toEqual(['werkgever', 'vacature', 'account', 'overig']);
    expect(p.intake.requiredFields).toEqual(expect.arrayContaining(['whatHappened', 'expected', 'occurredOn']));
    expect(p.terms.firstContact).toMatchObject({ within: 5, unit: 'workingDays' });
    expect(p.appeals[0]?.body).toMatchObject({ kind: 'odr', url: 'http://ec.europa.eu/consumers/odr' });
  });
});

describe('an invalid procedure file', () => {
  it('names the file, the field and the rule', () => {
    const path = write('broken.yaml', 'id: broken\norganisation: X\nterms:\n  resolve: { within: 0, unit: fortnights }\n');
    expect(() => loadProcedureFile(path)).toThrow(ProcedureFileError);
    expect(() => loadProcedureFile(path)).toThrow(`${path}: terms.resolve.within: must be a whole number of at least 1; terms.resolve.unit: Invalid option: expected one of "workingDays"|"days"|"weeks"|"months"|"years"`);
  });

  it('names an unknown field', () => {
    const path = write('typo.yaml', 'id: typo\norganisation: X\nterms:\n  resolv: { within: 2, unit: weeks }\n');
    expect(() => loadProcedureFile(path)).toThrow(/typo\.yaml: terms: Unrecognized key: "resolv"/);
  });

  it('refuses a decision term on an external body and levels out of order', () => {
    const path = write('appeal.yaml', [
      'id: appeal', 'organisation: X', 'appeals:',
      '  - { level: 2, body: { kind: mediator, name: M }, decideWithin: { within: 1, unit: months } }',
    ].join('\n'));
    expect(() => loadProcedureFile(path)).toThrow(/appeals\.0\.decideWithin: decideWithin belongs to internal levels only.*appeals: levels must be numbered 1, 2, … in order/);
  });

  it('refuses a time zone that does not exist and YAML that does not parse', () => {
    expect(() => loadProcedureFile(write('tz.yaml', 'id: tz\norganisation: X\ntimezone: Europe/Hilversum\n'))).toThrow(/timezone: must be an IANA time zone/);
    expect(() => loadProcedureFile(write('yaml.yaml', 'id: [unclosed\n'))).toThrow(/yaml\.yaml: not readable YAML/);
  });

  it('stops loading a directory, naming the file whose id does not match its name', () => {
    const sub = mkdtempSync(join(scratch, 'dir-'));
    writeFileSync(join(sub, 'een.yaml'), 'id: twee\norganisation: X\n');
    expect(() => loadProcedures(sub)).toThrow(/een\.yaml: id: must equal the file name "een", found "twee"/);
  });
});
