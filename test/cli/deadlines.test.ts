import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// The `klachtflow` bin as a user runs it: a real process, real stdout, stderr and exit code.
const bin = join(__dirname, '..', '..', 'bin', 'klachtflow.cjs');
const klachtflow = (args: string[], input?: string) =>
  spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8', cwd: join(__dirname, '..', '..') });

describe('klachtflow deadlines', () => {
  it('prints the example of SPEC §3.4 exactly, key order and all', () => {
    const result = klachtflow(['deadlines', '--procedure', 'gooiconsult', '--received', '2026-04-24T10:15:00+02:00']);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      '{"procedure":"gooiconsult","timezone":"Europe/Amsterdam","receivedAt":"2026-04-24T08:15:00.000Z",\n' +
        ' "deadlines":{\n' +
        '   "acknowledge":{"date":"2026-05-04","dueAt":"2026-05-04T21:59:59.999Z"},\n' +
        '   "resolve":{"date":"2026-05-08","dueAt":"2026-05-08T21:59:59.999Z"},\n' +
        '   "maxLeadTime":{"date":"2026-05-15","dueAt":"2026-05-15T21:59:59.999Z","noticeBy":"2026-05-11"}}}\n',
    );
  });

  it('adds the terms of the later anchors and a trace with --explain', () => {
    const result = klachtflow([
      'deadlines', '--procedure', 'klassewerk', '--received', '2026-01-20T10:00:00+01:00',
      '--position-sent', '2026-01-31T10:00:00+01:00', '--appeal-filed', '2026-02-10T09:00:00+01:00', '--closed', '2026-04-01T12:00:00+02:00', '--explain',
    ]);
    expect(result.status).toBe(0);
    const parsed = JSON.parse(result.stdout) as { deadlines: Record<string, { date: string; trace: string[] }> };
    expect(Object.keys(parsed.deadlines)).toEqual(['firstContact', 'appeal1File', 'appeal1Decide', 'destroy']);
    expect(parsed.deadlines.appeal1File?.date).toBe('2026-03-02');
    expect(parsed.deadlines.appeal1Decide?.date).toBe('2026-03-10');
    expect(parsed.deadlines.destroy).toEqual({ date: '2027-04-01', trace: expect.any(Array) as unknown });
    expect(parsed.deadlines.appeal1File?.trace).toContain('Sat 28-02-2026 weekend skipped');
  });

  it.each([
    [['--procedure', 'onbekend', '--received', '2026-04-24T10:15:00+02:00'], /^klachtflow: unknown procedure "onbekend"; known: babbage, gooiconsult/],
    [['--procedure', 'gooiconsult', '--received', 'vrijdag'], /^klachtflow: receivedAt: not an ISO 8601 instant/],
    [['--procedure', 'gooiconsult'], /^klachtflow: --received is required/],
    [['--procedure', 'gooiconsult', '--received', '2026-04-24T10:15:00+02:00', '--later'], /^klachtflow: Unknown option '--later'/],
  ])('refuses %j with exit 2 and one line on stderr', (args, message) => {
    const result = klachtflow(['deadlines', ...args]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });

  it('answers a batch line by line, in order, a bad line with {"error"} and going on', () => {
    const input = [
      JSON.stringify({ procedure: 'gooiconsult', receivedAt: '2026-04-24T10:15:00+02:00' }),
      'geen json',
      JSON.stringify({ procedure: 'studijob', receivedAt: '2026-05-07T11:00:00+02:00', extra: 1 }),
      JSON.stringify({ procedure: 'studijob', receivedAt: '2026-05-07T11:00:00+02:00' }),
    ].join('\n');
    const result = klachtflow(['deadlines', '--batch'], input);
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ procedure: 'gooiconsult', deadlines: { acknowledge: { date: '2026-05-04' } } });
    expect(lines[1]).toEqual({ error: expect.stringMatching(/^not JSON/) as unknown });
    expect(lines[2]).toEqual({ error: 'unknown field(s) extra' });
    expect(lines[3]).toMatchObject({ deadlines: { resolve: { date: '2026-05-15' } } });
  });
});

describe('klachtflow procedures', () => {
  it('lists the loaded procedures and validates files, naming the problem', () => {
    expect(klachtflow(['procedures', 'list']).stdout).toContain('gooiconsult\tGooiconsult\tnl');
    const bad = klachtflow(['procedures', 'validate', 'procedures/gooiconsult.yaml', 'package.json']);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('procedures/gooiconsult.yaml: ok (gooiconsult)');
    expect(bad.stderr).toMatch(/^package\.json: id: /);
  });
});
