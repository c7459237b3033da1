import type { Dossier } from '../../domain/dossier';
import { call } from '../support/api';
import { devStack } from '../support/stack';
import { staffTokens } from '../support/worker';

// Babbage "maakt altijd duidelijk welke personen bij het dossier betrokken zijn" (issue 17): its
// complainant sees the handler and the people the complaint is about, by name and role, on the
// dossier page and in the API; a Gooiconsult complainant sees neither, and nobody sees a staff id or note.
describe('the people involved, where the procedure shows them', () => {
  const stack = devStack();
  const url = (path: string) => `${stack.api.url}${path}`;
  const staff = (reference: string, action: string, body: unknown) => call('POST', url(`/api/admin/complaints/${reference}/${action}`), { token: staffTokens.mira, body });

  async function handled(procedure: string): Promise<{ reference: string; token: string }> {
    const complainant = { name: 'Iris Inzage', email: 'iris@example.nl', ...(procedure === 'gooiconsult' ? { address: { street: 'Brink 3', postalCode: '1211 AA', city: 'Hilversum' } } : {}) };
    const filed = await call('POST', url('/api/complaints'), { body: { procedure, complainant, description: 'De cursus werd zonder bericht verplaatst.' } });
    expect(filed.status).toBe(201);
    const { reference, dossierUrl } = (await filed.json()) as { reference: string; dossierUrl: string };
    expect((await staff(reference, 'assign', { handler: 'hanna' })).status).toBe(200);
    expect((await staff(reference, 'add-involved', { name: 'Henk Handler', staffId: 'henk', role: 'trainer' })).status).toBe(200);
    expect((await staff(reference, 'add-involved', { name: 'Petra Planning' })).status).toBe(200);
    expect((await staff(reference, 'add-note', { text: 'Henk was die week ziek; INTERN-NOTITIE-7' })).status).toBe(200);
    return { reference, token: new URL(dossierUrl).searchParams.get('token')! };
  }
  const page = async (reference: string, token: string) => (await fetch(url(`/dossier/${reference}?token=${token}`))).text();
  const api = async (reference: string, token: string) => (await (await call('GET', url(`/api/complaints/${reference}?token=${token}`))).json()) as Dossier;

  it('Babbage: the handler and the people the complaint is about, by name and role, and nothing more', async () => {
    const { reference, token } = await handled('babbage');
    const html = await page(reference, token);
    expect(html).toContain('<h2 id="betrokkenen">Betrokken personen</h2>');
    expect(html).toContain('<li>Hanna Handler — behandelt uw klacht</li><li>Henk Handler — trainer</li><li>Petra Planning — betrokken bij uw klacht</li>');
    expect(html).not.toContain('INTERN-NOTITIE-7');
    expect((await api(reference, token)).involved).toEqual([{ name: 'Henk Handler', role: 'trainer' }, { name: 'Petra Planning' }]);
  });

  it('Gooiconsult: neither on the page nor in the API', async () => {
    const { reference, token } = await handled('gooiconsult');
    const html = await page(reference, token);
    expect(html).not.toContain('Betrokken personen');
    expect(html).not.toContain('Henk Handler');
    expect((await api(reference, token)).involved).toEqual([]);
  });
});
