import { call, startTestApi } from '../support/api';
import { devStack } from '../support/stack';
import { staffTokens } from '../support/worker';

// Guessing a token is slow: failed sign-ins are limited per client address and per complaint.
describe('guessing tokens', () => {
  const stack = devStack();
  const tally = (statuses: number[]) => statuses.reduce<Record<number, number>>((into, s) => ({ ...into, [s]: (into[s] ?? 0) + 1 }), {});

  it('answers 429 after 30 wrong staff tokens from one address, and still serves a right one before that', async () => {
    const api = await startTestApi(stack.env.client, { authFailureLimits: { perAddress: 30, perComplaint: 10 } });
    try {
      expect((await call('GET', `${api.url}/api/admin/complaints`, { token: staffTokens.mira })).status).toBe(200);
      const statuses: number[] = [];
      for (let i = 0; i < 300; i++) statuses.push((await call('GET', `${api.url}/api/admin/complaints`, { token: `guess-${i}-0123456789abcdef` })).status);
      expect(tally(statuses)).toEqual({ 401: 30, 429: 270 });
      const limited = await call('GET', `${api.url}/codec/decode`, { token: 'guess' });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    } finally {
      await api.stop();
    }
  });

  it("answers 429 after 10 forged links for one complaint, on the API and the dossier page alike", async () => {
    const api = await startTestApi(stack.env.client, { authFailureLimits: { perAddress: 1000, perComplaint: 10 } });
    try {
      const filed = await call('POST', `${api.url}/api/complaints`, { body: { procedure: 'babbage', complainant: { name: 'G', email: 'g@example.nl' }, description: 'Gokken' } });
      const { reference, dossierUrl } = (await filed.json()) as { reference: string; dossierUrl: string };
      const token = new URL(dossierUrl).searchParams.get('token')!;
      const forged = (i: number) => `${token.split('.')[0]}.${Buffer.alloc(32, i).toString('base64url')}`;
      const statuses: number[] = [];
      for (let i = 0; i < 150; i++) statuses.push((await call('GET', `${api.url}/api/complaints/${reference}?token=${forged(i)}`)).status);
      for (let i = 0; i < 150; i++) statuses.push((await fetch(`${api.url}/dossier/${reference}?token=${forged(i)}`)).status);
      expect(tally(statuses)).toEqual({ 403: 10, 429: 290 });
    } finally {
      await api.stop();
    }
  });
});
