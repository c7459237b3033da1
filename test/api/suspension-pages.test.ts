import type { Dossier } from '../../domain/dossier';
import { call } from '../support/api';
import { devStack } from '../support/stack';
import { staffTokens } from '../support/worker';

// Suspension over HTTP (issue 17): staff ask through the admin API, the complainant's dossier page
// shows the question with its answer date and the terms standing still, and their answer there
// lets the terms run on with new dates.
describe('a question to the complainant on the pages', () => {
  const stack = devStack();
  const url = (path: string) => `${stack.api.url}${path}`;

  it('shows the question and the terms standing still; the answer lets them run on', async () => {
    const complainant = { name: 'Vera Vraag', email: 'vera.vraag@example.nl', address: { street: 'Brink 3', postalCode: '1211 AA', city: 'Hilversum' } };
    const filed = await call('POST', url('/api/complaints'), { body: { procedure: 'gooiconsult', complainant, description: 'De factuur klopt niet.' } });
    const { reference, dossierUrl } = (await filed.json()) as { reference: string; dossierUrl: string };
    const token = new URL(dossierUrl).searchParams.get('token')!;
    const asked = await call('POST', url(`/api/admin/complaints/${reference}/suspend`), { token: staffTokens.mira, body: { question: 'Welke factuur bedoelt u?' } });
    expect(asked.status).toBe(200);
    const page = async () => (await fetch(url(`/dossier/${reference}?token=${token}`))).text();
    let html = await page();
    expect(html).toContain('Onze vraag aan u');
    expect(html).toContain('<blockquote>Welke factuur bedoelt u?</blockquote>');
    expect(html).toMatch(/Staat stil sinds [^<]+, tot uw antwoord/);
    // Asked again while it is open: refused, in Dutch, with the dates.
    const again = await call('POST', url(`/api/admin/complaints/${reference}/suspend`), { token: staffTokens.mira, body: { question: 'Nog iets?' } });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'AlreadySuspended' });

    const answered = await call('POST', url(`/api/complaints/${reference}/information`), { token, body: { text: 'Die van april.' } });
    expect(answered.status).toBe(200);
    const dossier = (await answered.json()) as Dossier;
    expect(dossier.suspensions?.[0]?.ended).toMatchObject({ how: 'answered', workingDays: 0 });
    html = await page();
    expect(html).not.toContain('Onze vraag aan u');
    expect(html).not.toContain('Staat stil sinds');
    await stack.mail.waitFor((m) => m.subject === `De termijnen voor uw klacht lopen weer [${reference}]`);
  });
});
