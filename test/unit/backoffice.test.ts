import { queueGroups, returnPath } from '../../api/backoffice/routes';
import { backofficeTexts } from '../../api/backoffice/texts';

describe('the back office, pure parts', () => {
  it('returns a signed-in person only to a back-office page of ours', () => {
    expect(returnPath('/beheer/klachten/KL-2026-7QK2MD')).toBe('/beheer/klachten/KL-2026-7QK2MD');
    expect(returnPath('/beheer?wie=iedereen')).toBe('/beheer?wie=iedereen');
    for (const elsewhere of ['//evil.example/beheer', 'https://evil.example/beheer', '/beheer/../api/admin', '/beheerder', '/dossier/KL-2026-7QK2MD', '/beheer//evil.example', undefined, ['/beheer']]) {
      expect(returnPath(elsewhere)).toBe('/beheer');
    }
  });

  it('groups the work queue by the next term first, and lists the letters to post, the unassigned, waiting and appealed beside it', () => {
    const now = new Date('2026-12-02T09:00:00Z'); // a Wednesday
    const row = (reference: string, nextDeadline: string | undefined, extra: Record<string, unknown> = {}, lettersToPost = false) => ({ row: { reference, procedure: 'babbage', ...(nextDeadline ? { nextDeadline } : {}), ...extra }, lettersToPost });
    const groups = queueGroups(
      [
        row('KL-2026-AAAAA1', '2026-12-01T22:59:59.999Z', { handler: 'hanna', overdue: true }),
        row('KL-2026-AAAAA2', '2026-12-02T22:59:59.999Z', { handler: 'hanna' }),
        row('KL-2026-AAAAA3', '2026-12-08T22:59:59.999Z', {}, true),
        row('KL-2026-AAAAA4', '2026-12-30T22:59:59.999Z', { handler: 'hanna', status: 'awaiting_complainant' }),
        row('KL-2026-AAAAA5', undefined, { handler: 'hanna', status: 'in_appeal' }),
      ],
      backofficeTexts('nl'),
      'nl',
      now,
    );
    const ids = Object.fromEntries(groups.map((g) => [g.id, g.rows.map((r) => r.reference)]));
    expect(ids).toEqual({
      overdue: ['KL-2026-AAAAA1'],
      today: ['KL-2026-AAAAA2'],
      week: ['KL-2026-AAAAA3'],
      letters: ['KL-2026-AAAAA3'],
      incomplete: [],
      unassigned: ['KL-2026-AAAAA3'],
      waiting: ['KL-2026-AAAAA4'],
      appeal: ['KL-2026-AAAAA5'],
    });
    expect(groups.find((g) => g.id === 'week')!.rows[0]).toMatchObject({ next: 'dinsdag 8 december 2026', handler: 'niemand' });
  });
});
