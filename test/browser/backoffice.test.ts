import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { periodHolding } from '../../domain/analysis';
import { instantInWords, localDateOf } from '../../domain/local-date';
import { instantOfWallClock, wallClockOf } from '../../domain/zoned-time';
import { call } from '../support/api';
import { artifactsDir, launchChromium } from '../support/browser';
import { FormBrowser } from '../support/form-browser';
import { devStack } from '../support/stack';
import { complaintService } from '../../api/complaints';
import { mailFiler } from '../../mail-in/file';
import { procedures, staffTokens, testAttachments, testLinkSecret } from '../support/worker';

// The back office in Chromium with JavaScript off, on a 390 px phone and a 1280 px desktop, against
// the dev server, the real worker and the real SMTP sink: signing in by the e-mailed link, the work
// queue's groups, a Klassewerk complaint from assignment to the director's decision and a
// Gooiconsult complaint from receipt to closure only through forms (the complainant's answers on
// their own pages), previews that are the e-mails that arrive, the reports; axe-core on every page.
const shots = artifactsDir('backoffice');
const widths = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } } as const;
type Width = keyof typeof widths;

describe('the back office in Chromium, JavaScript off, at 390 and 1280 px', () => {
  const stack = devStack();
  let browser: Browser;
  let axeContext: BrowserContext;
  let axePage: Page;
  const contexts: BrowserContext[] = [];
  /** Every page looked at, by name: axe-core's serious and critical findings on each. */
  const findings: Record<string, { id: string; impact: string; nodes: string[] }[]> = {};
  /** The complaints the flows handled: their pages are looked at again at the other width. */
  const handled: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    // axe-core runs as a script: on a copy of each page's HTML in a context of its own, scripts on.
    axeContext = await browser.newContext({ javaScriptEnabled: true, locale: 'nl-NL' });
    axePage = await axeContext.newPage();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await axeContext?.close();
    await browser?.close();
  });

  async function newPage(width: Width): Promise<Page> {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: widths[width], locale: 'nl-NL' });
    contexts.push(context);
    return context.newPage();
  }

  /** A screenshot of the page as it is, and axe-core's verdict on its HTML at the same width. */
  async function look(page: Page, name: string): Promise<void> {
    const width = page.viewportSize()!.width;
    await page.screenshot({ path: join(shots, `${name}-${width}.png`), fullPage: true });
    const html = await page.content();
    await axePage.setViewportSize(page.viewportSize()!);
    // On the same origin, so that the page's styles load as they did.
    await axePage.goto(`${new URL(page.url()).origin}/healthz`);
    await axePage.setContent(html, { waitUntil: 'load' });
    const result = await new AxeBuilder({ page: axePage }).analyze();
    findings[`${name}-${width}`] = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact!, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
    // Nothing wider than the screen: a phone never scrolls sideways (tables scroll in their own box).
    const scrollWidth = await page.locator('html').evaluate((e) => (e as unknown as { scrollWidth: number }).scrollWidth);
    expect({ name, width, wider: scrollWidth > width }).toEqual({ name, width, wider: false });
  }

  /** Signs in as `email` through the pages: the form, the e-mailed link, the confirming button. */
  async function signIn(page: Page, email: string, shoot = false): Promise<void> {
    await page.goto(`${stack.api.url}/beheer`);
    expect(new URL(page.url()).pathname).toBe('/beheer/inloggen');
    if (shoot) await look(page, 'sign-in');
    const before = new Set(stack.mail.to(email));
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByRole('button', { name: 'Stuur mij een inloglink' }).click();
    await page.getByRole('heading', { name: 'Kijk in uw mailbox' }).waitFor();
    if (shoot) await look(page, 'sign-in-sent');
    const mail = await stack.mail.waitFor((m) => m.subject === 'Inloggen bij klachtflow' && stack.mail.to(email).includes(m) && !before.has(m));
    await page.goto(`${stack.api.url}${FormBrowser.signInPath(mail)}`);
    if (shoot) await look(page, 'sign-in-confirm');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL(`${stack.api.url}/beheer`);
  }

  /**
   * A page of `email`'s session at a width: signed in once per width and person, as someone keeps
   * their browser open all day (the sign-in form allows five links per address per quarter hour).
   */
  const sessions = new Map<string, BrowserContext>();
  async function staffPage(width: Width, email: string, shoot = false): Promise<Page> {
    const key = `${width}:${email}`;
    const signedIn = sessions.get(key);
    if (signedIn) {
      const page = await signedIn.newPage();
      await page.goto(`${stack.api.url}/beheer`);
      return page;
    }
    const page = await newPage(width);
    await signIn(page, email, shoot);
    sessions.set(key, page.context());
    return page;
  }

  /** Files a complaint on the public form, as a complainant does; its reference. */
  async function fileOnForm(page: Page, procedure: string, fields: Record<string, string>, shoot = false): Promise<string> {
    await page.goto(`${stack.api.url}/klacht/${procedure}`);
    if (shoot) await look(page, `intake-${procedure}`);
    for (const [label, value] of Object.entries(fields)) await page.getByLabel(label).fill(value);
    await page.getByRole('button', { name: 'Klacht versturen' }).click();
    await page.getByRole('heading', { name: 'Wij hebben uw klacht ontvangen' }).waitFor();
    if (shoot) await look(page, `confirmation-${procedure}`);
    return (await page.locator('#kenmerk').textContent())!;
  }

  /** Opens an action's form on the dossier page (a <details>, no script needed) and fills it in. */
  async function fillAction(page: Page, path: string, fields: { fill?: Record<string, string>; select?: Record<string, string>; check?: string[] }) {
    const form = page.locator(`details#${path}`);
    if ((await form.getAttribute('open')) === null) await form.locator('summary').click();
    for (const [label, value] of Object.entries(fields.fill ?? {})) await form.getByLabel(label, { exact: false }).first().fill(value);
    for (const [label, value] of Object.entries(fields.select ?? {})) await form.getByLabel(label, { exact: false }).first().selectOption({ label: value });
    for (const label of fields.check ?? []) await form.getByLabel(label, { exact: true }).check();
    return form;
  }

  const dossierUrl = (reference: string) => `${stack.api.url}/beheer/klachten/${reference}`;
  const complainantLink = async (reference: string, subject: string) => {
    const mail = await stack.mail.waitFor((m) => m.subject === subject && (m.text ?? '').includes(reference));
    return `${stack.api.url}${/http:\/\/klachtflow\.test(\/dossier\/\S+)/.exec(mail.text ?? '')![1]!}`;
  };
  const masked = (text: string) => text.replace(/(\/dossier\/[A-Z0-9-]+\?token=)[\w.~-]+/g, '$1…').trimEnd();

  /** The preview on the page, then "Versturen"; the e-mail that arrives is the preview. */
  async function previewAndSend(page: Page, form: ReturnType<Page['locator']>, to: string, name: string) {
    await form.getByRole('button', { name: 'Voorbeeld bekijken' }).click();
    const preview = page.locator('article.preview');
    await preview.waitFor();
    await look(page, name);
    const subject = (await preview.locator('.preview-subject').textContent())!;
    const text = (await preview.locator('.preview-text').textContent())!;
    await page.locator('details[open]').getByRole('button', { name: 'Versturen' }).click();
    await page.getByRole('status').filter({ hasText: 'Gedaan:' }).waitFor();
    const arrived = await stack.mail.waitFor((m) => m.subject === subject && stack.mail.to(to).includes(m));
    expect(masked(arrived.text!)).toBe(text.trimEnd());
    return arrived;
  }

  it('signs in by the e-mailed link and shows a breached and a due-this-week complaint in their groups', async () => {
    // One complaint registered by phone a month ago (its terms are past), one filed today.
    const breached = await call('POST', `${stack.api.url}/api/admin/complaints`, {
      token: staffTokens.mira,
      body: {
        procedure: 'gooiconsult',
        channel: 'phone',
        receivedAt: new Date(Date.now() - 30 * 24 * 3600_000).toISOString(),
        complainant: { name: 'Vera Verlopen', email: 'vera@example.nl', address: { street: 'Brink 1', postalCode: '1211 AA', city: 'Hilversum' } },
        description: 'Niemand heeft gereageerd.',
      },
    });
    expect(breached.status).toBe(201);
    const late = ((await breached.json()) as { reference: string }).reference;
    const fresh = await call('POST', `${stack.api.url}/api/complaints`, { body: { procedure: 'babbage', complainant: { name: 'Wim Weektermijn', email: 'wim@example.nl' }, description: 'De factuur klopt niet.' } });
    const soon = ((await fresh.json()) as { reference: string }).reference;

    for (const width of ['phone', 'desktop'] as const) {
      const page = await staffPage(width, 'mira@staff.test', true);
      // The breach is recorded by the workflow a moment after it starts: the queue shows it then.
      for (let i = 0; i < 50 && !(await page.locator('section[aria-labelledby="overdue"]').textContent())!.includes(late); i++) {
        await new Promise((r) => setTimeout(r, 200));
        await page.reload();
      }
      await look(page, 'queue');
      expect(await page.locator('section[aria-labelledby="overdue"]').textContent()).toContain(late);
      expect(await page.locator('section[aria-labelledby="overdue"]').textContent()).toContain('Vera Verlopen');
      const week = page.locator('section[aria-labelledby="week"]');
      expect(await week.textContent()).toContain(soon);
      expect(await week.getByRole('row').filter({ hasText: soon }).textContent()).toContain('Wim Weektermijn');
      // The next term in words, by its name: "het schriftelijk standpunt: vrijdag 4 december 2026".
      expect(await week.getByRole('row').filter({ hasText: soon }).textContent()).toMatch(/(het eerste contact|het schriftelijk standpunt|de afhandeling van de klacht): \w+dag \d+ \w+ \d{4}/);
      expect(await page.locator('section[aria-labelledby="overdue"]').textContent()).not.toContain(soon);
      // The counts are in the navigation.
      expect(await page.getByRole('navigation').first().textContent()).toMatch(/Werkvoorraad \(\d+\)/);
    }
  });

  it('handles a Klassewerk complaint from assignment to the director’s decision only through forms, on a phone', async () => {
    const complainant = await newPage('phone');
    const reference = await fileOnForm(complainant, 'klassewerk', { 'Uw naam': 'Kim Jansen', 'Uw e-mailadres': 'kim.browser@example.nl', 'Uw telefoonnummer': '06 12345678', 'Omschrijving van uw klacht': 'De training begon een uur te laat.' }, true);
    handled.push(reference);
    const page = await staffPage('phone', 'mira@staff.test');
    await page.goto(dossierUrl(reference));
    await look(page, 'dossier-new');

    await fillAction(page, 'assign', { select: { Behandelaar: 'Mira Manager' } });
    await page.locator('details#assign').getByRole('button', { name: 'Toewijzen' }).click();
    await page.getByText('Gedaan: Behandelaar toewijzen').waitFor();

    // A hearing in the past: refused with the engine's reason, in Dutch, next to the time.
    const hearing = await fillAction(page, 'schedule-hearing', { fill: { Wanneer: '2026-01-05T10:00' }, select: { Vorm: 'Teams' } });
    // The invitation is previewed before it goes: the refusal comes before any preview.
    await hearing.getByRole('button', { name: 'Voorbeeld bekijken' }).click();
    const refusal = page.locator('#scheduleHearing-at-fout');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/5 januari 2026.* ligt in het verleden; kies een tijd die nog komt\./);
    await look(page, 'dossier-refused');

    const contact = await fillAction(page, 'log-contact', { select: { Hoe: 'telefoon' }, fill: { 'Wat er besproken is': 'Gebeld over de late start.' } });
    await contact.getByRole('button', { name: 'Vastleggen' }).click();
    await page.getByText('Gedaan: Contact vastleggen').waitFor();

    const position = await fillAction(page, 'send-position', { fill: { Tekst: 'Wij betreuren de late start.\nDe trainer was ziek.', Oplossing: 'Een gratis extra sessie.' } });
    await previewAndSend(page, position, 'kim.browser@example.nl', 'dossier-position-preview');

    // The complainant, on their phone: not satisfied, and appeals to the director.
    await complainant.goto(await complainantLink(reference, `Ontvangstbevestiging van uw klacht [${reference}]`));
    await look(complainant, 'complainant-dossier');
    await complainant.getByLabel('Nee, ik ben niet tevreden').check();
    await complainant.getByRole('button', { name: 'Antwoord versturen' }).click();
    await complainant.getByText('Dank u wel. Wij hebben uw antwoord ontvangen.').waitFor();
    await complainant.getByLabel('Waarom bent u het niet eens met ons standpunt?').fill('Een extra sessie is niet genoeg.');
    await complainant.getByRole('button', { name: 'Beroep instellen' }).click();
    await complainant.getByText('Wij hebben uw beroep ontvangen.').waitFor();
    await look(complainant, 'complainant-appealed');

    await page.goto(dossierUrl(reference));
    const decision = await fillAction(page, 'decide-appeal', { check: ['deels gegrond'], fill: { Tekst: 'De klacht is deels gegrond: de sessie was te kort.' } });
    await previewAndSend(page, decision, 'kim.browser@example.nl', 'dossier-decision-preview');
    await look(page, 'dossier-decided');
    expect(await page.getByRole('main').textContent()).toContain('Uitspraak over beroep');
  });

  it('handles a Gooiconsult complaint from receipt to closure only through forms, on a desktop', async () => {
    const complainant = await newPage('desktop');
    const reference = await fileOnForm(
      complainant,
      'gooiconsult',
      { 'Uw naam': 'Zoë de Wit', 'Uw e-mailadres': 'zoe.browser@example.nl', 'Straat en huisnummer': 'Brink 3', Postcode: '1211 AA', Plaats: 'Hilversum', 'Omschrijving van uw klacht': 'Het advies kwam drie weken te laat.' },
      true,
    );
    handled.push(reference);
    const page = await staffPage('desktop', 'mira@staff.test');
    // The register finds it by the beginning of its reference.
    await page.goto(`${stack.api.url}/beheer/klachten`);
    await page.getByLabel('Kenmerk (of het begin ervan)').fill(reference.slice(0, 11));
    await page.getByRole('button', { name: 'Zoeken' }).click();
    for (let i = 0; i < 50 && !(await page.getByRole('main').textContent())!.includes(reference); i++) {
      await new Promise((r) => setTimeout(r, 200));
      await page.reload();
    }
    await look(page, 'register');
    await page.getByRole('link', { name: reference }).click();
    await page.waitForURL(dossierUrl(reference));

    await fillAction(page, 'assign', { select: { Behandelaar: 'Mira Manager' } });
    await page.locator('details#assign').getByRole('button', { name: 'Toewijzen' }).click();
    await page.getByText('Gedaan: Behandelaar toewijzen').waitFor();
    const cause = await fillAction(page, 'record-cause', { fill: { Oorzaak: 'Planning te krap', 'Maatregelen om herhaling te voorkomen': 'Een week speling in elke planning' } });
    await cause.getByRole('button', { name: 'Vastleggen' }).click();
    await page.getByText('Gedaan: Oorzaak en maatregelen').waitFor();
    const position = await fillAction(page, 'send-position', { fill: { Tekst: 'Wij hebben het advies nagekeken; het kwam te laat.', Oplossing: 'Wij crediteren de helft.' } });
    await previewAndSend(page, position, 'zoe.browser@example.nl', 'dossier-gooiconsult-preview');

    await complainant.goto(await complainantLink(reference, `Ontvangstbevestiging van uw klacht [${reference}]`));
    await complainant.getByLabel('Ja, ik ben tevreden').check();
    await complainant.getByRole('button', { name: 'Antwoord versturen' }).click();
    await complainant.getByText('Dank u wel. Wij hebben uw antwoord ontvangen.').waitFor();
    await look(complainant, 'complainant-closed');

    await page.goto(dossierUrl(reference));
    for (let i = 0; i < 50 && !(await page.locator('main dl').first().textContent())!.includes('afgesloten'); i++) {
      await new Promise((r) => setTimeout(r, 200));
      await page.reload();
    }
    expect(await page.locator('main dl').first().textContent()).toContain('afgesloten (tevreden)');
    await look(page, 'dossier-closed');
    // The printable access export of the same dossier.
    await page.getByRole('link', { name: 'Inzage-export (AVG art. 15), om te printen' }).click();
    await page.getByRole('heading', { name: `Inzage-export ${reference}` }).waitFor();
    expect(await page.getByRole('main').textContent()).toContain('Wij hebben het advies nagekeken; het kwam te laat.');
    await look(page, 'access-export');
  });

  it('shows the report with its charts, its numbers those of GET /api/admin/reports/:period; a handler gets none', async () => {
    const quarter = periodHolding(localDateOf(new Date(), 'Europe/Amsterdam'), 'quarterly').label;
    // A complaint of its own, so that the quarter has something to draw even when this test runs alone.
    const filed = await call('POST', `${stack.api.url}/api/complaints`, { body: { procedure: 'babbage', complainant: { name: 'Rita Rapport', email: 'rita@example.nl' }, description: 'De offerte kwam niet.' } });
    const { reference } = (await filed.json()) as { reference: string };
    type Report = { complaints: number; byOutcome: Record<string, number>; terms: Record<string, { breached: number }> };
    const report = async () => (await (await call('GET', `${stack.api.url}/api/admin/reports/${quarter}`, { token: staffTokens.mira })).json()) as Report;
    // Visibility lists it a moment after it starts.
    const listed = async () => (await call('GET', `${stack.api.url}/api/admin/complaints?procedure=babbage`, { token: staffTokens.mira }).then((r) => r.text())).includes(reference);
    for (let i = 0; i < 50 && !(await listed()); i++) await new Promise((r) => setTimeout(r, 200));
    const api = await report();
    for (const width of ['phone', 'desktop'] as const) {
      const page = await staffPage(width, 'mira@staff.test');
      await page.getByRole('link', { name: 'Rapportages' }).click();
      await page.getByLabel('Periode', { exact: true }).selectOption(quarter);
      await page.getByRole('button', { name: 'Toon' }).click();
      const figures = page.locator('#cijfers');
      expect(await figures.locator('tr[data-key="complaints"] td').first().textContent()).toBe(String(api.complaints));
      expect(await figures.locator('tr[data-key="open"] td').first().textContent()).toBe(String(api.byOutcome.open ?? 0));
      expect(await figures.locator('tr[data-key="breached"] td').first().textContent()).toBe(String(Object.values(api.terms).reduce((n, t) => n + t.breached, 0)));
      const charts = page.getByRole('img', { name: /Klachten per categorie|Hoe de termijnen afliepen/ });
      expect(await charts.count()).toBe(2);
      for (const chart of await charts.all()) expect((await chart.boundingBox())!.width).toBeGreaterThan(200);
      await look(page, 'reports');
    }
    const hanna = await staffPage('desktop', 'hanna@staff.test');
    expect(await hanna.getByRole('link', { name: 'Rapportages' }).count()).toBe(0);
    const refused = await hanna.goto(`${stack.api.url}/beheer/rapportages`);
    expect(refused!.status()).toBe(403);
    await look(hanna, 'reports-refused');
    await hanna.goto(`${stack.api.url}/beheer`);
    await look(hanna, 'queue-handler');
  });

  it('registers a complaint received by phone with the moment it came in; a moment in the future is refused next to its field', async () => {
    const page = await staffPage('desktop', 'mira@staff.test');
    await page.getByRole('link', { name: 'Klacht registreren (telefoon, brief, balie)' }).click();
    await page.getByLabel('Procedure').selectOption('babbage');
    await page.getByRole('button', { name: 'Verder' }).click();
    await page.getByLabel('Naam van de klager').fill('Tineke Telefoon');
    await page.getByLabel('E-mailadres van de klager').fill('tineke@example.nl');
    await page.getByLabel('Omschrijving van de klacht').fill('Belde over een gemiste afspraak.');
    await page.getByLabel('Binnengekomen op', { exact: false }).fill(wallClockOf(new Date(Date.now() + 3 * 3600_000), 'Europe/Amsterdam'));
    await page.getByRole('button', { name: 'Klacht registreren' }).click();
    expect(await page.locator('#receivedAt-fout').textContent()).toBe('Dit moment ligt in de toekomst: vul in wanneer de klacht binnenkwam.');
    expect(await page.getByLabel('Naam van de klager').inputValue()).toBe('Tineke Telefoon');
    await look(page, 'intake-staff-error');

    const cameIn = wallClockOf(new Date(Date.now() - 2 * 3600_000), 'Europe/Amsterdam');
    await page.getByLabel('Binnengekomen op', { exact: false }).fill(cameIn);
    await page.getByLabel('telefoon', { exact: true }).check();
    await page.getByRole('button', { name: 'Klacht registreren' }).click();
    await page.getByText('De klacht is geregistreerd; de klager krijgt de ontvangstbevestiging per e-mail.').waitFor();
    const details = await page.locator('main dl').first().textContent();
    expect(details).toContain(instantInWords('nl', instantOfWallClock(cameIn, 'Europe/Amsterdam')!, 'Europe/Amsterdam', 'long'));
    expect(await page.getByRole('main').textContent()).toContain('Binnengekomen via: telefoon');
    await look(page, 'dossier-registered');
    const reference = /\/beheer\/klachten\/(KL-[\w-]+)/.exec(page.url())![1]!;
    await stack.mail.waitFor((m) => m.subject === `Ontvangstbevestiging van uw klacht [${reference}]` && stack.mail.to('tineke@example.nl').includes(m));
    await page.goto(`${stack.api.url}/beheer/klachten/nieuw`);
    await look(page, 'intake-staff');
  });

  it('registers a complainant without an e-mail address by phone: the receipt becomes a letter on the letterhead, printed and marked posted through forms', async () => {
    const page = await staffPage('phone', 'mira@staff.test');
    await page.goto(`${stack.api.url}/beheer/klachten/nieuw?procedure=gooiconsult`);
    await page.getByLabel('Naam van de klager').fill('Piet Post');
    await page.getByLabel('Omschrijving van de klacht').fill('Belde: de rekening is twee keer afgeschreven.');
    await page.getByLabel('Binnengekomen op', { exact: false }).fill(wallClockOf(new Date(Date.now() - 3600_000), 'Europe/Amsterdam'));
    await page.getByLabel('telefoon', { exact: true }).check();
    // Neither an e-mail address nor a postal address: nowhere to write to.
    await page.getByRole('button', { name: 'Klacht registreren' }).click();
    expect(await page.locator('#email-fout').textContent()).toBe('Vul het e-mailadres van de klager in, of het postadres: dan gaan de berichten per brief.');
    await look(page, 'intake-staff-no-address');
    await page.getByLabel('Straat en huisnummer').fill('Brievenweg 12');
    await page.getByLabel('Postcode').fill('1234 AB');
    await page.getByLabel('Plaats').fill('Hilversum');
    await page.getByRole('button', { name: 'Klacht registreren' }).click();
    await page.getByText('De klacht is geregistreerd. De klager heeft geen e-mailadres').waitFor();
    const reference = /\/beheer\/klachten\/(KL-[\w-]+)/.exec(page.url())![1]!;

    // The handler hears there is a letter to post, with a link to it.
    const told = await stack.mail.waitFor((m) => m.subject === `Brief te versturen: de ontvangstbevestiging – klacht [${reference}]`);
    const letterPath = /http:\/\/klachtflow\.test(\/beheer\/klachten\/\S+\/brieven\/\d+)/.exec(told.text ?? '')![1]!;
    // The work queue lists it until it is posted.
    let queued = false;
    for (let i = 0; i < 50 && !queued; i++) {
      await page.goto(`${stack.api.url}/beheer`);
      queued = (await page.locator('section', { has: page.getByRole('heading', { name: 'Brieven te versturen' }) }).getByText(reference).count()) > 0;
      if (!queued) await new Promise((r) => setTimeout(r, 200));
    }
    expect(queued).toBe(true);

    await page.goto(dossierUrl(reference));
    expect(await page.getByRole('main').textContent()).toContain('brief, nog te versturen');
    await page.getByRole('link', { name: 'Brief afdrukken' }).click();
    expect(new URL(page.url()).pathname).toBe(letterPath);
    const letter = page.locator('article.letter');
    expect(await letter.locator('address').innerText()).toBe('Piet Post\nBrievenweg 12\n1234 AB Hilversum');
    expect(await letter.locator('.letterhead').textContent()).toContain('Gooiconsult');
    const text = (await letter.locator('.letter-text').textContent())!;
    expect(text).toContain('Beste Piet Post,');
    expect(text).not.toContain('token=…');
    await look(page, 'letter');
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: join(shots, 'letter-print-390.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    // The link on paper works: the complainant types it in and sees their dossier.
    const onPaper = /http:\/\/klachtflow\.test(\/dossier\/\S+)/.exec(text)![1]!;
    const complainantPage = await newPage('phone');
    await complainantPage.goto(`${stack.api.url}${onPaper}`);
    await complainantPage.getByRole('heading', { name: new RegExp(reference) }).first().waitFor();
    expect(await complainantPage.getByRole('main').textContent()).toContain('Een brief aan u staat klaar en gaat binnenkort op de post.');
    await look(complainantPage, 'complainant-dossier-by-post');

    // A moment before the letter was ready is refused next to its field; left empty, it is now.
    await page.getByLabel('Wanneer', { exact: false }).fill(wallClockOf(new Date(Date.now() - 2 * 3600_000), 'Europe/Amsterdam'));
    await page.getByRole('button', { name: 'Vastleggen' }).click();
    expect(await page.locator('#markPosted-at-fout').textContent()).toMatch(/ligt vóór het moment waarop de brief klaarstond/);
    await look(page, 'dossier-letter-refused');
    await page.locator('#markPosted-at').fill('');
    await page.locator('details#mark-posted').getByRole('button', { name: 'Vastleggen' }).click();
    await page.getByRole('status').filter({ hasText: 'Gedaan: Brief verstuurd' }).waitFor();
    const main = (await page.getByRole('main').textContent())!;
    expect(main).toContain('per post verstuurd');
    expect(main).toMatch(/ontvangstbevestiging[^]*gehaald op/);
    await page.goto(`${stack.api.url}${letterPath}`);
    await page.getByText(/^Per post verstuurd op .* door Mira/).waitFor();
    expect(await page.getByRole('button', { name: 'Vastleggen' }).count()).toBe(0);
    await look(page, 'letter-posted');
  });

  it('a complaint that came by e-mail without its address: the complainant completes it on their page, staff see the e-mail and its attachment', async () => {
    // Filed as the mail intake files it: an e-mail to info@gooiconsult.nl with an attachment.
    const file = mailFiler({ complaints: complaintService(stack.env.client, testLinkSecret), procedures, attachments: testAttachments });
    const raw = [
      'From: Wim Mail <wim@example.nl>',
      'To: info@gooiconsult.nl',
      'Subject: Klacht over het rapport',
      'Message-ID: <browser-mail-1@example.nl>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="m1"',
      '',
      '--m1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Het rapport noemt de verkeerde cijfers.',
      '--m1',
      'Content-Type: application/pdf; name="rapport.pdf"',
      'Content-Disposition: attachment; filename="rapport.pdf"',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('%PDF-1.4 rapport').toString('base64'),
      '--m1--',
      '',
    ].join('\r\n');
    const filed = await file(Buffer.from(raw), { recipients: ['info@gooiconsult.nl'], arrivedAt: new Date(Date.now() - 600_000) });
    expect(filed.kind).toBe('complaint');
    const reference = (filed as { reference: string }).reference;

    const complainant = await newPage('phone');
    await complainant.goto(await complainantLink(reference, `Ontvangstbevestiging van uw klacht [${reference}]`));
    await complainant.getByRole('heading', { name: 'Uw gegevens aanvullen' }).waitFor();
    expect(await complainant.getByRole('link', { name: 'rapport.pdf' }).count()).toBe(1);
    await look(complainant, 'complainant-dossier-details');
    await complainant.getByLabel('Straat en huisnummer').fill('Markt 1');
    await complainant.getByLabel('Postcode').fill('1211 BB');
    await complainant.getByLabel('Plaats').fill('Hilversum');
    await complainant.getByRole('button', { name: 'Gegevens versturen' }).click();
    await complainant.getByText('Uw gegevens aangevuld').first().waitFor();
    expect(await complainant.getByRole('heading', { name: 'Uw gegevens aanvullen' }).count()).toBe(0);

    const staffPageNow = await staffPage('desktop', 'mira@staff.test');
    await staffPageNow.goto(dossierUrl(reference));
    const main = (await staffPageNow.getByRole('main').textContent())!;
    expect(main).toContain('Markt 1, 1211 BB Hilversum');
    expect(main).toContain('Binnengekomen via: e-mail');
    // The timeline names the completed field in Dutch, not by its id.
    expect(main).not.toMatch(/\baddress\b/);
    const download = staffPageNow.getByRole('link', { name: 'rapport.pdf' });
    expect(await download.getAttribute('href')).toMatch(new RegExp(`^/beheer/klachten/${reference}/bijlagen/[0-9a-f]{32}$`));
    const fetched = await staffPageNow.request.get(`${stack.api.url}${(await download.getAttribute('href'))!}`);
    expect(fetched.status()).toBe(200);
    expect((await fetched.body()).toString()).toBe('%PDF-1.4 rapport');
    await look(staffPageNow, 'dossier-email');
  });

  it('the landing page points to the forms and the back office; no page has a serious or critical axe-core finding', async () => {
    for (const width of ['phone', 'desktop'] as const) {
      const page = await newPage(width);
      await page.goto(`${stack.api.url}/`);
      await page.getByRole('link', { name: 'Naar het klachtenbeheer' }).waitFor();
      expect(await page.getByRole('link', { name: /^Klacht indienen bij / }).count()).toBe(5);
      await look(page, 'home');
    }
    // The pages the flows saw at one width, at the other: both dossiers, the register, the intakes, the access export.
    const [klassewerk, gooiconsult] = handled;
    for (const [width, suffix] of [['desktop', 'other'], ['phone', 'other']] as const) {
      const page = await staffPage(width, 'mira@staff.test');
      for (const [path, name] of [
        [`/beheer/klachten/${klassewerk}`, 'dossier-klassewerk'],
        [`/beheer/klachten/${gooiconsult}`, 'dossier-gooiconsult'],
        [`/beheer/klachten/${gooiconsult}/inzage`, 'access-export'],
        ['/beheer/klachten', 'register'],
        ['/beheer/klachten/nieuw?procedure=gooiconsult', 'intake-staff'],
        ['/klacht/klassewerk', 'intake-klassewerk'],
        ['/klacht/gooiconsult', 'intake-gooiconsult'],
        ['/dossier/nieuwe-link', 'new-link'],
        ['/dossier/KL-2026-ZZZZZZ?token=verlopen', 'link-invalid'],
      ] as const) {
        await page.goto(`${stack.api.url}${path}`);
        await look(page, `${name}-${suffix}`);
      }
    }
    // Every page of the tests above, at both widths (the complainant's and the sign-in's included).
    expect(Object.keys(findings).length).toBeGreaterThanOrEqual(52);
    expect(Object.entries(findings).filter(([, found]) => found.length)).toEqual([]);
  });
});
