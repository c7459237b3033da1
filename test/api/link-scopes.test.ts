import type { ParsedMail } from 'mailparser';
import type { Dossier } from '../../domain/dossier';
import { createLinkToken, verifyLinkToken } from '../../domain/link-token';
import { call } from '../support/api';
import { devStack } from '../support/stack';
import { staffTokens, testLinkSecret } from '../support/worker';

// A complainant's link says what it may do (view, answer, withdraw) and which generation of the
// complaint's links it is: staff revoke every earlier link at once, and the complainant gets a new one.
describe('scoped, revocable dossier links', () => {
  const stack = devStack();
  const url = (path: string) => `${stack.api.url}${path}`;
  const tokenIn = (mail: ParsedMail, reference: string): string => new RegExp(`/dossier/${reference}\\?token=(\\S+)`).exec(mail.text ?? '')![1]!;
  const staff = (reference: string, action: string, body: unknown) => call('POST', url(`/api/admin/complaints/${reference}/${action}`), { token: staffTokens.mira, body });
  const asComplainant = (reference: string, action: string, token: string, body: unknown) => call('POST', url(`/api/complaints/${reference}/${action}`), { token, body });
  const view = (reference: string, token: string) => call('GET', url(`/api/complaints/${reference}?token=${token}`));
  const page = async (reference: string, token: string) => {
    const response = await fetch(url(`/dossier/${reference}?token=${token}`));
    return { status: response.status, html: await response.text() };
  };

  it('a view-only link shows the dossier and no form, and its actions are refused with 403 LinkScopeMissing', async () => {
    const filed = await call('POST', url('/api/complaints'), { body: { procedure: 'babbage', complainant: { name: 'Vera Kijk', email: 'vera@example.nl' }, description: 'Alleen kijken' } });
    const { reference } = (await filed.json()) as { reference: string };
    const viewing = createLinkToken(testLinkSecret, { reference, scopes: ['view'], generation: 0, expiresAt: new Date(Date.now() + 3600_000) });
    const answering = createLinkToken(testLinkSecret, { reference, scopes: ['view', 'answer'], generation: 0, expiresAt: new Date(Date.now() + 3600_000) });

    expect((await view(reference, viewing)).status).toBe(200);
    const refused = await asComplainant(reference, 'information', viewing, { text: 'Aanvulling' });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'LinkScopeMissing', data: { scope: 'answer' } });
    // Answering is not withdrawing.
    expect(await (await asComplainant(reference, 'withdraw', answering, {})).json()).toMatchObject({ status: 403, code: 'LinkScopeMissing', data: { scope: 'withdraw' } });
    expect((await asComplainant(reference, 'information', answering, { text: 'Aanvulling' })).status).toBe(200);

    const shown = await page(reference, viewing);
    expect(shown.status).toBe(200);
    expect(shown.html).toContain(reference);
    expect(shown.html).not.toMatch(/<form[^>]+action="[^"]*\/(information|withdraw)"/);
    expect((await page(reference, answering)).html).toMatch(/<form[^>]+action="[^"]*\/information"/);
  });

  it('revoking refuses every earlier link, on the API and the pages alike, e-mails a new one, and after closure the new link only views', async () => {
    const email = 'rik.intrekken@example.nl';
    const filed = await call('POST', url('/api/complaints'), { body: { procedure: 'babbage', complainant: { name: 'Rik', email }, description: 'Mijn link is doorgestuurd' } });
    const { reference, dossierUrl } = (await filed.json()) as { reference: string; dossierUrl: string };
    const first = new URL(dossierUrl).searchParams.get('token')!;
    const receipt = await stack.mail.waitFor((m) => m.subject?.includes(reference) === true && m.subject.startsWith('Ontvangstbevestiging'));
    const fromReceipt = tokenIn(receipt, reference);
    expect((await view(reference, fromReceipt)).status).toBe(200);
    const forged = await view(reference, `${first.split('.')[0]}.${Buffer.alloc(32, 7).toString('base64url')}`);
    const forgedDetail = ((await forged.json()) as { detail: string }).detail;

    const revoked = await staff(reference, 'revoke-links', { reason: 'De klager heeft de e-mail per ongeluk doorgestuurd' });
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as Dossier).timeline.at(-1)).toMatchObject({ event: 'links-revoked', internal: true });

    // Both earlier links: refused as a forged one is, word for word, to view, to act and on the page.
    for (const old of [first, fromReceipt]) {
      const refused = await view(reference, old);
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { detail: string }).detail).toBe(forgedDetail);
      const acting = await asComplainant(reference, 'information', old, { text: 'Van wie dit ook is' });
      expect(acting.status).toBe(403);
      expect(((await acting.json()) as { detail: string; code?: string }).code).toBeUndefined();
      const shown = await page(reference, old);
      expect(shown.status).toBe(403);
      expect(shown.html).not.toContain('Ontvangstbevestiging verstuurd');
    }

    const newLinkMail = await stack.mail.waitFor((m) => m.subject === `Een nieuwe link naar uw dossier [${reference}]`);
    expect(newLinkMail.text).toContain('Wij hebben de eerdere links');
    const second = tokenIn(newLinkMail, reference);
    expect(verifyLinkToken(testLinkSecret, second, new Date())).toMatchObject({ generation: 1, scopes: ['view', 'answer', 'withdraw'] });
    // The e-mail reaches the relay a moment before the workflow hears it went: the dossier says so once it has.
    let viaNew = (await (await view(reference, second)).json()) as Dossier;
    for (let i = 0; i < 100 && !viaNew.timeline.some((e) => e.event === 'new-link-sent'); i++) {
      await new Promise((r) => setTimeout(r, 50));
      viaNew = (await (await view(reference, second)).json()) as Dossier;
    }
    expect(viaNew.timeline.map((e) => e.event)).toContain('new-link-sent');
    expect(viaNew.timeline.map((e) => e.event)).not.toContain('links-revoked');
    expect((await page(reference, second)).html).toContain('Ontvangstbevestiging verstuurd');

    // Withdrawn with the new link: the closure e-mail's link views, and acts no more.
    expect((await asComplainant(reference, 'withdraw', second, { reason: 'Opgelost' })).status).toBe(200);
    const closure = await stack.mail.waitFor((m) => m.subject === `Uw klacht [${reference}] is afgesloten`);
    const closed = tokenIn(closure, reference);
    expect(verifyLinkToken(testLinkSecret, closed, new Date())).toMatchObject({ generation: 1, scopes: ['view'] });
    expect((await view(reference, closed)).status).toBe(200);

    // Revoked again while the dossier is kept: the new link still goes out, to view only.
    await waitUntil(async () => ((await (await view(reference, closed)).json()) as Dossier).destroyOn !== undefined);
    expect((await staff(reference, 'revoke-links', { reason: 'Opnieuw doorgestuurd' })).status).toBe(200);
    const again = await stack.mail.waitFor((m) => m.subject === `Een nieuwe link naar uw dossier [${reference}]` && m.messageId !== newLinkMail.messageId);
    const third = tokenIn(again, reference);
    expect(verifyLinkToken(testLinkSecret, third, new Date())).toMatchObject({ generation: 2, scopes: ['view'] });
    expect(again.text).toContain('om het dossier in te zien tot het volgens onze klachtenprocedure wordt vernietigd');
    expect((await view(reference, third)).status).toBe(200);
    expect((await view(reference, closed)).status).toBe(403);
    expect((await view(reference, second)).status).toBe(403);
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not so within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
