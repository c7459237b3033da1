import type { ParsedMail } from 'mailparser';
import { call, startTestApi } from '../support/api';
import { FormBrowser } from '../support/form-browser';
import { devStack } from '../support/stack';

// The back office's sign-in over real HTTP, with the sign-in e-mail sent by the real worker into
// a real SMTP sink: a single-use link, a session cookie, CSRF on every form, sign-out.
describe('the back office: sign-in, session and work queue', () => {
  const stack = devStack();
  const url = (path: string) => `${stack.api.url}${path}`;

  /** A browser's cookie jar, without JavaScript: every form posted as a form. */
  const newBrowser = (base: () => string = () => stack.api.url) => new FormBrowser(base);
  const linkIn = (mail: ParsedMail) => FormBrowser.signInPath(mail);

  it('signs a staff member in by a single-use e-mailed link, to a session cookie that sign-out ends', async () => {
    const browser = newBrowser();
    const first = await browser.request('GET', '/beheer');
    expect(first).toMatchObject({ status: 303, location: '/beheer/inloggen?terug=%2Fbeheer' });

    const form = await browser.request('GET', '/beheer/inloggen');
    expect(form.status).toBe(200);
    expect(form.html).toContain('<label for="email">E-mailadres</label>');
    // Without its CSRF token a form is refused, and says so.
    const forged = await browser.request('POST', '/beheer/inloggen', { email: 'mira@staff.test' });
    expect(forged.status).toBe(403);
    expect(forged.html).toContain('Dit formulier is verlopen');

    const unknown = await browser.request('POST', '/beheer/inloggen', { _csrf: FormBrowser.csrf(form.html), email: 'nobody@staff.test' });
    const known = await browser.request('POST', '/beheer/inloggen', { _csrf: FormBrowser.csrf(form.html), email: 'Mira@Staff.test' });
    expect(unknown.status).toBe(200);
    expect(known.status).toBe(200);
    // The same page either way: it lists no staff.
    expect(unknown.html.replace(/value="[^"]+"/g, '')).toBe(known.html.replace(/value="[^"]+"/g, ''));
    const mail = await stack.mail.waitFor((m) => m.subject === 'Inloggen bij klachtflow');
    expect(stack.mail.to('mira@staff.test')).toContain(mail);
    expect(stack.mail.messages.filter((m) => m.subject === 'Inloggen bij klachtflow')).toHaveLength(1);
    expect(mail.text).toContain('Beste Mira Manager,');
    const link = linkIn(mail);

    // A forged link (another MAC) and the real one before its button: nothing used yet.
    const wrongMac = `${link.slice(0, -4)}AAAA`;
    expect((await browser.request('GET', wrongMac)).status).toBe(403);
    const confirm = await browser.request('GET', link);
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain('<button type="submit">Inloggen</button>');

    const signedIn = await browser.request('POST', link, { _csrf: FormBrowser.csrf(confirm.html) });
    expect(signedIn).toMatchObject({ status: 303, location: '/beheer' });
    const cookie = signedIn.setCookies.find((c) => c.startsWith('klachtflow-session='))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).not.toMatch(/; Secure/); // http on localhost; Secure (and __Host-) behind https
    const expires = Date.parse(/Expires=([^;]+)/.exec(cookie)![1]!);
    expect(expires - Date.now()).toBeGreaterThan(7.9 * 3600_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(8 * 3600_000);

    // Used: the same link again fails, on its page and on its button.
    expect((await newBrowser().request('GET', link)).status).toBe(403);
    const again = await browser.request('POST', link, { _csrf: FormBrowser.csrf(confirm.html) });
    expect(again.status).toBe(403);

    const queue = await browser.request('GET', '/beheer');
    expect(queue.status).toBe(200);
    expect(queue.html).toContain('<h1>Werkvoorraad</h1>');
    expect(queue.html).toContain('Ingelogd als Mira Manager');
    // A manager may switch to everyone's queue (a handler may not: below).
    expect(queue.html).toContain('href="/beheer?wie=iedereen"');

    // The session serves the codec endpoint too, as the Temporal UI sends it ("include cross-origin credentials").
    const sessionOnly = { cookie: cookie.split(';')[0]!, 'x-namespace': 'default', 'content-type': 'application/json' };
    const plain = { payloads: [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('"Wanda"').toString('base64') }] };
    const encoded = await fetch(url('/codec/encode'), { method: 'POST', headers: sessionOnly, body: JSON.stringify(plain) });
    expect(encoded.status).toBe(200);
    const decoded = await fetch(url('/codec/decode'), { method: 'POST', headers: sessionOnly, body: JSON.stringify(await encoded.json()) });
    expect(await decoded.json()).toEqual(plain);

    const out = await browser.request('POST', '/beheer/uitloggen', { _csrf: FormBrowser.csrf(queue.html) });
    expect(out).toMatchObject({ status: 303, location: '/beheer/inloggen' });
    expect(browser.cookies.has('klachtflow-session')).toBe(false);
    // The old cookie, kept by someone: ended on the server as well.
    const replay = await fetch(url('/beheer'), { redirect: 'manual', headers: { cookie: cookie.split(';')[0]! } });
    expect(replay.status).toBe(303);
    expect((await fetch(url('/codec/decode'), { method: 'POST', headers: sessionOnly, body: JSON.stringify(plain) })).status).toBe(401);
  });

  it('shows the work queue in its groups: a new complaint with its complainant under "new and unassigned"', async () => {
    const filed = await call('POST', url('/api/complaints'), { body: { procedure: 'babbage', complainant: { name: 'Wanda Wachtrij', email: 'wanda@example.nl' }, description: 'Niemand belde terug\nMeer tekst' } });
    const { reference } = (await filed.json()) as { reference: string };
    const browser = newBrowser();
    // Signed out, the dossier's address leads to the sign-in; after it, back to the dossier (and never off the site).
    const start = await browser.request('GET', `/beheer/klachten/${reference}`);
    expect(start).toMatchObject({ status: 303, location: `/beheer/inloggen?terug=%2Fbeheer%2Fklachten%2F${reference}` });
    const form = await browser.request('GET', start.location!);
    expect(form.html).toContain(`name="terug" value="/beheer/klachten/${reference}"`);
    await browser.request('POST', '/beheer/inloggen', { _csrf: FormBrowser.csrf(form.html), email: 'hanna@staff.test', terug: `/beheer/klachten/${reference}` });
    const mail = await stack.mail.waitFor((m) => m.subject === 'Inloggen bij klachtflow' && stack.mail.to('hanna@staff.test').includes(m));
    expect(mail.text).toContain(`?terug=%2Fbeheer%2Fklachten%2F${reference}`);
    const link = linkIn(mail);
    const confirm = await browser.request('GET', `${link}?terug=%2Fbeheer%2Fklachten%2F${reference}`);
    const action = /<form method="post" action="([^"]+)"/.exec(confirm.html.slice(confirm.html.indexOf('<main')))![1]!.replace(/&amp;/g, '&');
    expect(await browser.request('POST', action, { _csrf: FormBrowser.csrf(confirm.html) })).toMatchObject({ status: 303, location: `/beheer/klachten/${reference}` });
    // Visibility follows the start by a moment.
    let html = '';
    for (let i = 0; i < 50 && !html.includes(reference); i++) {
      html = (await browser.request('GET', '/beheer')).html;
      if (!html.includes(reference)) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const unassigned = html.slice(html.indexOf('<h2 id="unassigned">'), html.indexOf('<h2 id="waiting">'));
    expect(unassigned).toContain(reference);
    expect(unassigned).toContain('Wanda Wachtrij');
    expect(unassigned).toContain('Niemand belde terug');
    expect(unassigned).not.toContain('Meer tekst');
    // Its next term is within the week: it stands by that as well, the date in words.
    const week = html.slice(html.indexOf('<h2 id="overdue">'), html.indexOf('<h2 id="unassigned">'));
    expect(week).toMatch(new RegExp(`${reference}</a></td>.*<td>het eerste contact: (maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag) \\d+ \\w+ \\d{4}</td><td>niemand</td>`));
    // A handler has no "everyone" switch: that is the managers'.
    expect(html).not.toContain('wie=iedereen');

    // The dossier, one click on: what the complainant wrote, every term with its trace, the timeline, the e-mails.
    const page = await browser.request('GET', `/beheer/klachten/${reference}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(`<h1>Klacht ${reference}</h1>`);
    expect(page.html).toContain('<dd>wanda@example.nl</dd>');
    expect(page.html).toContain('Niemand belde terug\nMeer tekst');
    expect(page.html).toContain('<summary>waarom deze datum?</summary>');
    expect(page.html).toContain('Klacht ontvangen (klager)');
    // (Still queued, an e-mail shows its step; once sent, its subject.)
    expect(page.html).toMatch(/klager: (Ontvangstbevestiging van uw klacht \[KL-2026-\w+\] \(verstuurd|receipt \(in de wachtrij)\)/);
    expect((await browser.request('GET', '/beheer/klachten/KL-2026-ZZZZZZ')).status).toBe(404);
    expect((await browser.request('GET', '/beheer/klachten/nonsense')).status).toBe(404);

  });

  it('limits sign-in requests: the sixth for one address within a quarter hour answers 429', async () => {
    const api = await startTestApi(stack.env.client);
    try {
      const browser = newBrowser(() => api.url);
      const form = await browser.request('GET', '/beheer/inloggen');
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await browser.request('POST', '/beheer/inloggen', { _csrf: FormBrowser.csrf(form.html), email: 'henk@example.org' })).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    } finally {
      await api.stop();
    }
  });
});
