import { call } from '../support/api';
import { FormBrowser } from '../support/form-browser';
import { devStack } from '../support/stack';

// The dossier page's action forms over real HTTP, without JavaScript, against the dev server and
// the real worker: only the actions the complaint allows now, local times, errors next to their
// fields, the e-mail preview before sending, and roles.
describe('the back office: acting on a complaint through its forms', () => {
  const stack = devStack();
  const browserFor = async (email: string) => {
    const browser = new FormBrowser(() => stack.api.url);
    await browser.signIn(stack.mail, email);
    return browser;
  };
  const page = async (browser: FormBrowser, reference: string) => (await browser.request('GET', `/beheer/klachten/${reference}`)).html;
  /** Posts one of the dossier page's forms with the page's CSRF token and submission id. */
  async function submit(browser: FormBrowser, reference: string, path: string, fields: Record<string, string>, html?: string) {
    const current = html ?? (await page(browser, reference));
    const submission = /name="submission" value="([^"]+)"/.exec(current)![1]!;
    return browser.request('POST', `/beheer/klachten/${reference}/${path}`, { _csrf: FormBrowser.csrf(current), submission, ...fields });
  }
  const section = (html: string, id: string) => {
    const start = html.indexOf(`<details id="${id}"`);
    return start < 0 ? '' : html.slice(start, html.indexOf('</details>', start));
  };
  const unescape = (html: string) => html.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
  const masked = (text: string) => text.replace(/(\/dossier\/[A-Z0-9-]+\?token=)[\w.~-]+/g, '$1…');

  it('handles a Klassewerk complaint from assignment to the director’s decision, the previews matching the e-mails', async () => {
    const filed = await call('POST', `${stack.api.url}/api/complaints`, { body: { procedure: 'klassewerk', complainant: { name: 'Kim Jansen', email: 'kim@example.nl', phone: '06 12345678' }, description: 'De training begon een uur te laat.' } });
    const { reference } = (await filed.json()) as { reference: string };
    const mira = await browserFor('mira@staff.test');
    const hanna = await browserFor('hanna@staff.test');

    // A fresh complaint: assign, contact, hearing, position… but no appeal decision, no hearing to record.
    let html = await page(mira, reference);
    expect(html).toContain('<summary>Behandelaar toewijzen</summary>');
    expect(html).toContain('<summary>Standpunt versturen</summary>');
    expect(html).not.toContain('<summary>Uitspraak over het beroep</summary>');
    expect(html).not.toContain('<summary>Gesprek vastleggen</summary>');
    // Closing without response waits for a position, and says so.
    expect(html).toContain('<strong>Afsluiten zonder reactie</strong>: Er is nog geen standpunt verstuurd.');

    expect(await submit(mira, reference, 'assign', { handler: 'hanna' })).toMatchObject({ status: 303, location: `/beheer/klachten/${reference}?gedaan=assign` });
    html = (await hanna.request('GET', `/beheer/klachten/${reference}?gedaan=assign`)).html;
    expect(html).toContain('Gedaan: Behandelaar toewijzen');
    expect(html).toContain('<dt>Behandelaar</dt><dd>Hanna Handler</dd>');

    // A contact's moment in local time: before the complaint it cannot be, said next to the field; empty is now.
    const before = await submit(hanna, reference, 'log-contact', { channel: 'phone', at: '2026-01-05T10:00', summary: 'Gebeld over de late start.' });
    expect(before.status).toBe(422);
    expect(section(before.html, 'log-contact')).toContain('<small class="error" id="logContact-at-fout">5 januari 2026 om 10:00 ligt vóór de ontvangst van de klacht.</small>');
    expect(section(before.html, 'log-contact')).toContain('>Gebeld over de late start.</textarea>');
    expect((await submit(hanna, reference, 'log-contact', { channel: 'phone', at: '', summary: 'Gebeld over de late start.' })).status).toBe(303);
    // An empty required field and a time that is not one: a Dutch message next to each field, the rest kept.
    const missing = await submit(hanna, reference, 'log-contact', { channel: 'phone', at: 'morgen', summary: '' });
    expect(missing.status).toBe(400);
    expect(section(missing.html, 'log-contact')).toContain('<small class="error" id="logContact-summary-fout">Vul dit veld in.</small>');
    expect(section(missing.html, 'log-contact')).toContain('<small class="error" id="logContact-at-fout">Vul een datum en een tijd in.</small>');
    expect(section(missing.html, 'log-contact')).toContain(' open>');

    // A hearing in the past is refused with the engine's Dutch reason, next to the time.
    const past = await submit(hanna, reference, 'schedule-hearing', { at: '2026-01-05T10:00', mode: 'teams' });
    expect(past.status).toBe(422);
    expect(section(past.html, 'schedule-hearing')).toMatch(/<small class="error" id="scheduleHearing-at-fout">.*5 januari 2026.* ligt in het verleden; kies een tijd die nog komt\.<\/small>/);

    // The position: a preview first, then sent; the preview is the e-mail that arrives.
    const position = { text: 'Wij betreuren de late start.\nDe trainer was ziek.', solution: 'Een gratis extra sessie.' };
    const previewed = await submit(hanna, reference, 'send-position', { ...position, intent: 'preview' });
    expect(previewed.status).toBe(200);
    const subject = unescape(/<span class="preview-subject">([^<]+)<\/span>/.exec(previewed.html)![1]!);
    const text = unescape(/<pre class="mail preview-text">([\s\S]*?)<\/pre>/.exec(previewed.html)![1]!);
    expect(text).toContain('Wij betreuren de late start.');
    expect(text).toContain('?token=…');
    // Sending something other than what was previewed shows the new preview first.
    const changed = await submit(hanna, reference, 'send-position', { ...position, text: 'Anders.', intent: 'send', checked: /name="checked" value="([^"]+)"/.exec(previewed.html)![1]! }, previewed.html);
    expect(changed.status).toBe(200);
    expect(changed.html).toContain('U hebt iets gewijzigd na het voorbeeld');
    const sent = await submit(hanna, reference, 'send-position', { ...position, intent: 'send', checked: /name="checked" value="([^"]+)"/.exec(previewed.html)![1]! }, previewed.html);
    expect(sent).toMatchObject({ status: 303 });
    const arrived = await stack.mail.waitFor((m) => m.subject === subject && stack.mail.to('kim@example.nl').includes(m));
    expect(masked(arrived.text!).trimEnd()).toBe(text.trimEnd());
    // The correspondence keeps its text as sent, the link masked.
    for (let i = 0; i < 50 && !(html = await page(hanna, reference)).includes(`${subject} (verstuurd)</summary>`); i++) await new Promise((r) => setTimeout(r, 100));
    const kept = html.slice(html.indexOf(`${subject} (verstuurd)</summary>`));
    expect(unescape(/<pre class="mail">([\s\S]*?)<\/pre>/.exec(kept)![1]!).trimEnd()).toBe(text.trimEnd());
    expect(html).not.toMatch(/token=[\w.~-]{20,}/);

    // The complainant is not satisfied and appeals to the director, through their link.
    const link = /http:\/\/klachtflow\.test\/dossier\/[^?]+\?token=([\w.~-]+)/.exec(arrived.text!)![1]!;
    const complainant = { authorization: `Bearer ${link}` };
    expect((await call('POST', `${stack.api.url}/api/complaints/${reference}/satisfaction`, { headers: complainant, body: { satisfied: false } })).status).toBe(200);
    expect((await call('POST', `${stack.api.url}/api/complaints/${reference}/appeal`, { headers: complainant, body: { grounds: 'Een extra sessie is niet genoeg.' } })).status).toBe(200);

    // A handler has no decision form; posting one anyway is refused in Dutch, by role.
    html = await page(hanna, reference);
    expect(html).not.toContain('<summary>Uitspraak over het beroep</summary>');
    const byHandler = await submit(hanna, reference, 'decide-appeal', { level: '1', decision: 'rejected', text: 'Nee.', intent: 'preview' }, html);
    expect(byHandler.status).toBe(403);
    expect(byHandler.html).toContain('Alleen een manager of directeur mag dit doen.');

    // The manager decides: preview, send, and the decision e-mail is the preview.
    html = await page(mira, reference);
    expect(html).toContain('<summary>Uitspraak over het beroep</summary>');
    const decision = { level: '1', decision: 'partly-upheld', text: 'De klacht is deels gegrond: de sessie was te kort.' };
    const shown = await submit(mira, reference, 'decide-appeal', { ...decision, intent: 'preview' }, html);
    const decisionSubject = unescape(/<span class="preview-subject">([^<]+)<\/span>/.exec(shown.html)![1]!);
    const decisionText = unescape(/<pre class="mail preview-text">([\s\S]*?)<\/pre>/.exec(shown.html)![1]!);
    expect(decisionText).toContain('Geschillencommissie');
    expect(await submit(mira, reference, 'decide-appeal', { ...decision, intent: 'send', checked: /name="checked" value="([^"]+)"/.exec(shown.html)![1]! }, shown.html)).toMatchObject({ status: 303 });
    const decided = await stack.mail.waitFor((m) => m.subject === decisionSubject && stack.mail.to('kim@example.nl').includes(m));
    expect(masked(decided.text!).trimEnd()).toBe(decisionText.trimEnd());
  });

  it('refuses a form without its CSRF token, and a signed-out post goes to the sign-in', async () => {
    const filed = await call('POST', `${stack.api.url}/api/complaints`, { body: { procedure: 'babbage', complainant: { name: 'Bram Bakker', email: 'bram@example.nl' }, description: 'Niemand belde terug.' } });
    const { reference } = (await filed.json()) as { reference: string };
    const hanna = await browserFor('hanna@staff.test');
    const html = await page(hanna, reference);
    const submission = /name="submission" value="([^"]+)"/.exec(html)![1]!;
    const forged = await hanna.request('POST', `/beheer/klachten/${reference}/add-note`, { submission, text: 'Zonder token.' });
    expect(forged.status).toBe(403);
    expect(forged.html).toContain('Dit formulier is verlopen');
    const signedOut = await new FormBrowser(() => stack.api.url).request('POST', `/beheer/klachten/${reference}/add-note`, { text: 'x' });
    expect(signedOut.status).toBe(303);
    expect(signedOut.location).toMatch(/^\/beheer\/inloggen\?terug=/);
    // Nothing of either landed.
    expect(await page(hanna, reference)).not.toContain('Zonder token.');
  });
});
