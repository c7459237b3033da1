import { call } from '../support/api';
import { FormBrowser } from '../support/form-browser';
import { devStack } from '../support/stack';

// A complainant who lost their link asks for one on /dossier/nieuwe-link (issue 17): the page
// answers the same for a wrong and a right address, e-mails only the right one a link that works,
// and is rate-limited. Over real HTTP, as a browser without JavaScript.
describe('/dossier/nieuwe-link', () => {
  const stack = devStack();

  it('answers the same for a wrong and a right address, sends only to the right one, and stops guessing', async () => {
    const filed = await call('POST', `${stack.api.url}/api/complaints`, { body: { procedure: 'babbage', complainant: { name: 'Lotte Link', email: 'Lotte.Link@example.nl' }, description: 'Ik ben mijn link kwijt.' } });
    const { reference } = (await filed.json()) as { reference: string };
    await stack.mail.waitFor((m) => m.subject === `Ontvangstbevestiging van uw klacht [${reference}]`);
    const browser = new FormBrowser(() => stack.api.url);
    const ask = async (form: Record<string, string>) => {
      const page = await browser.request('GET', '/dossier/nieuwe-link');
      expect(page.status).toBe(200);
      return browser.request('POST', '/dossier/nieuwe-link', { _csrf: FormBrowser.csrf(page.html), ...form });
    };
    const linkMails = () => stack.mail.messages.filter((m) => m.subject === `Uw link naar uw dossier [${reference}]`);

    // Errors next to their fields, what was typed kept.
    const invalid = await ask({ reference: 'KL-12', email: 'geen-adres' });
    expect(invalid.status).toBe(400);
    expect(invalid.html).toContain('id="kenmerk-fout" class="error">Vul het kenmerk in zoals het in onze e-mail staat');
    expect(invalid.html).toContain('id="e-mailadres-fout" class="error">Vul een e-mailadres in');
    expect(invalid.html).toContain('value="geen-adres"');

    const wrong = await ask({ reference, email: 'iemand.anders@example.nl' });
    const unknown = await ask({ reference: 'KL-2026-ZZZZZZ', email: 'lotte.link@example.nl' });
    const right = await ask({ reference: reference.toLowerCase(), email: ' lotte.link@EXAMPLE.nl ' });
    expect([wrong.status, unknown.status, right.status]).toEqual([200, 200, 200]);
    const said = (html: string) => /<main[\s\S]*<\/main>/.exec(html)?.[0].replace(/name="_csrf" value="[^"]+"/, '');
    expect(said(wrong.html)).toBe(said(right.html));
    expect(said(unknown.html)).toBe(said(right.html));
    expect(right.html).toContain('Kijk in uw e-mail');

    const mail = await stack.mail.waitFor((m) => m.subject === `Uw link naar uw dossier [${reference}]`);
    expect(stack.mail.to('Lotte.Link@example.nl')).toContain(mail);
    expect(mail.text).toContain('U vroeg om een nieuwe link naar uw dossier');
    const path = new RegExp(`http://klachtflow\\.test(/dossier/${reference}\\?token=\\S+)`).exec(mail.text ?? '')![1]!;
    const dossier = await browser.request('GET', path);
    expect(dossier.status).toBe(200);
    expect(dossier.html).toContain(reference);
    // Only the right address got one.
    await new Promise((r) => setTimeout(r, 1000));
    expect(linkMails()).toHaveLength(1);
    expect(stack.mail.to('iemand.anders@example.nl')).toEqual([]);

    // Five asks per reference an hour (two above): the sixth is refused, whatever the address.
    for (const guess of ['gok1', 'gok2', 'gok3']) expect((await ask({ reference, email: `${guess}@example.nl` })).status).toBe(200);
    const tooMany = await ask({ reference, email: 'lotte.link@example.nl' });
    expect(tooMany.status).toBe(429);
    expect(tooMany.html).toContain('Te vaak gevraagd');
  });

  it('points an invalid link to it', async () => {
    const browser = new FormBrowser(() => stack.api.url);
    const page = await browser.request('GET', '/dossier/KL-2026-ZZZZZZ?token=verlopen');
    expect(page.status).toBe(403);
    expect(page.html).toContain('<a href="/dossier/nieuwe-link">Vraag een nieuwe link aan</a>');
  });
});
