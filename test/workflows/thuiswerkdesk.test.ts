import type { ComplaintInput } from '../../domain/complaint';
import { dossierQuery } from '../../domain/messages';
import { ComplaintCategory } from '../../domain/search-attributes';
import { addDays, amsterdam, inDutch, quietMonday, skipTo } from '../support/clock';
import { act, actAndRead, staff, workflowHarness } from '../support/harness';

// thuiswerkdesk (seed 000): an automatic receipt e-mail, a reaction within 5 working days,
// complaints by category, and the EU ODR platform for what stays unresolved.
describe('thuiswerkdesk', () => {
  const harness = workflowHarness();
  let monday: string;
  beforeEach(async () => {
    monday = await quietMonday(harness.env, 35);
  });
  const complaint: Partial<ComplaintInput> = {
    procedure: 'thuiswerkdesk',
    complainant: { email: 'lisa@example.nl' },
    category: 'vacature',
    description: 'Vacature bleek niet te bestaan',
    whatHappened: 'Ik solliciteerde op een vacature die al weken weg was.',
    expected: 'Een echte vacature',
    occurredOn: '2026-11-01',
  };
  const start = (reference: string, overrides: Partial<ComplaintInput> = {}) =>
    harness.start(reference, { ...complaint, receivedAt: amsterdam(monday, '10:00'), ...overrides });
  const position = { text: 'De vacature is verwijderd; excuses.' };

  it('files each complaint under its category, for the operator and the report', async () => {
    for (const category of ['werkgever', 'account'] as const) {
      const handle = await start(`KL-2026-THU${category.slice(0, 3).toUpperCase()}`, { category });
      expect((await handle.describe()).typedSearchAttributes.get(ComplaintCategory)).toBe(category);
      const dossier = await handle.query(dossierQuery);
      // The automatic receipt e-mail is not the first contact: that still runs, 5 working days.
      expect(dossier.terms.firstContact).toMatchObject({ date: addDays(monday, 7) });
      expect(dossier.terms.firstContact?.metAt).toBeUndefined();
    }
    const receipt = await harness.mail.waitFor((m) => m.subject === 'Ontvangstbevestiging van uw klacht [KL-2026-THUWER]');
    expect(receipt.text).toContain(`- eerste contact met u: uiterlijk ${inDutch(addDays(monday, 7))}`);
    expect(receipt.text).toContain('Beste klager,');
  });

  it('not satisfied and no appeal: closed as dissatisfied; the final e-mail points to the EU ODR platform', async () => {
    const handle = await start('KL-2026-THUODR');
    await skipTo(harness.env, amsterdam(addDays(monday, 2), '10:00'));
    await act(handle, 'sendPosition', position, staff('hanna'));
    await act(handle, 'respondSatisfaction', { satisfied: false, comment: 'Niet opgelost' });
    await skipTo(harness.env, amsterdam(addDays(monday, 30), '10:00'));
    expect(await handle.query(dossierQuery)).toMatchObject({ status: 'closed', outcome: 'dissatisfied' });
    const last = await harness.mail.waitFor((m) => m.subject === 'Uw klacht [KL-2026-THUODR] is afgesloten');
    expect(last.text).toContain('Online Dispute Resolution (ODR) van de EU: http://ec.europa.eu/consumers/odr');
  });

  it('an appeal goes to the EU ODR platform, with its address', async () => {
    const handle = await start('KL-2026-THUAPL');
    await skipTo(harness.env, amsterdam(addDays(monday, 2), '10:00'));
    await act(handle, 'sendPosition', position, staff('hanna'));
    const dossier = await actAndRead(handle, 'fileAppeal', { grounds: 'Ik wil naar het ODR-platform.' });
    expect(dossier).toMatchObject({ status: 'with_external_body', appeals: [{ kind: 'odr' }] });
    // Filing the appeal answers "satisfied?": no reminder follows.
    expect(dossier.terms.satisfaction?.metAt).toBeDefined();
    const route = await harness.mail.waitFor((m) => m.subject === 'Uw beroep over klacht [KL-2026-THUAPL]');
    expect(route.text).toContain('U kunt uw klacht voorleggen aan Online Dispute Resolution (ODR) van de EU (http://ec.europa.eu/consumers/odr)');
    await skipTo(harness.env, amsterdam(addDays(monday, 30), '10:00'));
    expect(harness.mail.messages.some((m) => m.subject === 'Herinnering: Ons standpunt over uw klacht [KL-2026-THUAPL]')).toBe(false);
    expect((await handle.query(dossierQuery)).status).toBe('with_external_body');
  });
});
