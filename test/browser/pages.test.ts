import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { updateOf } from '../../domain/actions';
import { workflowIdFor } from '../../domain/reference';
import { startTestApi } from '../support/api';
import { staff } from '../support/harness';
import { artifactsDir, launchChromium } from '../support/browser';
import { MailSink } from '../support/mail-sink';
import { timeSkippingEnvironment } from '../support/temporal';
import { startTestWorker } from '../support/worker';

const shots = artifactsDir('pages');

/** What a complainant of each seed procedure fills in, by the labels on the form. */
const complainants: Record<string, { fill: Record<string, string>; choose?: Record<string, string>; select?: Record<string, string> }> = {
  thuiswerkdesk: {
    fill: { 'Uw e-mailadres': 'lisa@example.nl', 'Omschrijving van uw klacht': 'De vacature bestond niet.', 'Wat is er gebeurd?': 'Ik reageerde op een vacature die al weg was.', 'Wat had u verwacht?': 'Een echte vacature.', 'Wanneer is dit gebeurd?': '2026-11-02' },
    select: { 'Waar gaat uw klacht over?': 'vacature' },
  },
  babbage: { fill: { 'Uw naam': 'Bram Bakker', 'Uw e-mailadres': 'bram@example.nl', 'Omschrijving van uw klacht': 'Niemand belde terug.' } },
  studijob: { fill: { 'Uw naam': 'Sam de Vries', 'Uw e-mailadres': 'sam@example.nl', 'Omschrijving van uw klacht': 'Mijn uren zijn niet uitbetaald.' }, choose: { Uitzendkracht: 'uitzendkracht' } },
  klassewerk: { fill: { 'Uw naam': 'Kim Jansen', 'Uw e-mailadres': 'kim@example.nl', 'Uw telefoonnummer': '06 12345678', 'Omschrijving van uw klacht': 'De training begon een uur te laat.' } },
  gooiconsult: {
    fill: { 'Uw naam': 'Zoë de Wit', 'Uw e-mailadres': 'zoe@example.nl', 'Straat en huisnummer': 'Brink 3', Postcode: '1211 AA', Plaats: 'Hilversum', 'Omschrijving van uw klacht': 'Het advies kwam drie weken te laat.' },
  },
};

describe('the complainant pages in Chromium, with JavaScript off, on a 390 px wide screen', () => {
  let env: TestWorkflowEnvironment;
  let mail: MailSink;
  let worker: Worker;
  let running: Promise<void>;
  let api: Awaited<ReturnType<typeof startTestApi>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    [env, mail, browser] = await Promise.all([timeSkippingEnvironment(), MailSink.start(), launchChromium()]);
    worker = await startTestWorker(env.nativeConnection, 'default', mail.url);
    running = worker.run();
    api = await startTestApi(env.client);
    context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 }, locale: 'nl-NL' });
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await api?.stop();
    worker?.shutdown();
    await running;
    await Promise.all([env?.teardown(), mail?.stop()]);
  });

  const shoot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });

  async function fileComplaint(procedure: string): Promise<string> {
    await page.goto(`${api.url}/klacht/${procedure}`);
    const data = complainants[procedure]!;
    for (const [label, value] of Object.entries(data.fill)) await page.getByLabel(label).fill(value);
    for (const [label, value] of Object.entries(data.select ?? {})) await page.getByLabel(label).selectOption(value);
    for (const label of Object.keys(data.choose ?? {})) await page.getByLabel(label).check();
    await page.getByRole('button', { name: 'Klacht versturen' }).click();
    await page.getByRole('heading', { name: 'Wij hebben uw klacht ontvangen' }).waitFor();
    return (await page.locator('#kenmerk').textContent())!;
  }

  const sendPosition = (reference: string, input: { text: string; solution?: string }) =>
    env.client.workflow.getHandle(workflowIdFor(reference)).executeUpdate(updateOf('sendPosition'), { args: [{ actor: staff('hanna'), input }] });

  /** The dossier link from the receipt e-mail, on the test server's address. */
  async function linkFromReceipt(reference: string): Promise<string> {
    const receipt = await mail.waitFor((m) => m.subject === `Ontvangstbevestiging van uw klacht [${reference}]`);
    const link = /http:\/\/klachtflow\.test(\/dossier\/\S+)/.exec(receipt.text ?? '')![1]!;
    return `${api.url}${link}`;
  }

  it.each(Object.keys(complainants))('%s: the form asks what the procedure asks, states its terms, and files the complaint', async (procedure) => {
    await page.goto(`${api.url}/klacht/${procedure}`);
    await shoot(`intake-${procedure}`);
    // Landmarks, a heading, and a label on every field.
    for (const role of ['banner', 'main', 'contentinfo'] as const) expect(await page.getByRole(role).count()).toBe(1);
    const unlabelled = await page.locator('input:not([type=hidden]), select, textarea').evaluateAll(
      (elements) =>
        (elements as unknown as { labels: { length: number } | null; getAttribute(name: string): string | null }[])
          .filter((e) => !e.labels?.length)
          .map((e) => e.getAttribute('name')),
    );
    expect(unlabelled).toEqual([]);
    const main = await page.getByRole('main').textContent();
    if (procedure === 'gooiconsult') {
      expect(main).toContain('U ontvangt binnen 5 werkdagen een bevestiging dat wij uw klacht hebben ontvangen.');
      expect(main).toContain('Lukt dat niet, dan hoort u dat uiterlijk 3 werkdagen vooraf, met de reden en de nieuwe termijn.');
    }
    if (procedure === 'babbage') expect(main).toContain('Wij streven ernaar u binnen 5 werkdagen ons schriftelijk standpunt te sturen.');
    if (procedure === 'thuiswerkdesk') expect(main).toContain('Wij nemen binnen 5 werkdagen contact met u op.');

    const reference = await fileComplaint(procedure);
    expect(reference).toMatch(/^KL-\d{4}-[0-9A-Z]{6}$/);
    await shoot(`confirmation-${procedure}`);
    const confirmation = await page.getByRole('main').textContent();
    expect(confirmation).toContain('Deze termijnen gelden voor uw klacht');
    if (procedure === 'gooiconsult') expect(confirmation).toMatch(/Afhandeling van uw klacht: uiterlijk \w+dag \d+ \w+ \d{4}/);
  });

  it('an empty form shows each error next to its field, in Dutch, and an invalid one keeps what was typed', async () => {
    await page.goto(`${api.url}/klacht/gooiconsult`);
    await page.getByRole('button', { name: 'Klacht versturen' }).click();
    await page.getByRole('heading', { name: 'Controleer de volgende velden' }).waitFor();
    await shoot('intake-errors');
    expect(await page.locator('#email-fout').textContent()).toBe('Vul uw e-mailadres in.');
    expect(await page.locator('#street-fout').textContent()).toBe('Vul uw straat en huisnummer in.');
    expect(await page.locator('#postalCode-fout').textContent()).toBe('Vul uw postcode in.');
    expect(await page.locator('#city-fout').textContent()).toBe('Vul uw woonplaats in.');
    expect(await page.locator('#description-fout').textContent()).toBe('Beschrijf uw klacht.');
    expect(await page.getByLabel('Uw e-mailadres').getAttribute('aria-invalid')).toBe('true');
    // The first field in error has the focus.
    expect(await page.locator('[autofocus]').getAttribute('name')).toBe('name');

    await page.getByLabel('Uw naam').fill('Zoë de Wit');
    await page.getByLabel('Uw e-mailadres').fill('zoe@');
    await page.getByLabel('Omschrijving van uw klacht').fill('Het advies kwam te laat.');
    await page.getByRole('button', { name: 'Klacht versturen' }).click();
    await page.getByRole('heading', { name: 'Controleer de volgende velden' }).waitFor();
    expect(await page.locator('#email-fout').textContent()).toBe('Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.');
    expect(await page.getByLabel('Uw naam').inputValue()).toBe('Zoë de Wit');
    expect(await page.getByLabel('Omschrijving van uw klacht').inputValue()).toBe('Het advies kwam te laat.');
    expect(await page.locator('#name-fout').count()).toBe(0);
  });

  it('speaks English with ?lang=en', async () => {
    await page.goto(`${api.url}/klacht/babbage?lang=en`);
    await shoot('intake-english');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('heading', { name: 'File a complaint with Babbage' }).waitFor();
    await page.getByLabel('Your e-mail address').waitFor();
  });

  it('opens the dossier from the e-mail link; the complainant answers "not satisfied" and appeals to the committee', async () => {
    const reference = await fileComplaint('gooiconsult');
    const link = await linkFromReceipt(reference);
    await page.goto(link);
    await shoot('dossier-received');
    expect(await page.locator('#status').textContent()).toBe('Ontvangen');
    expect(await page.getByRole('region', { name: 'Termijnen' }).textContent()).toMatch(/Ontvangstbevestiging\s*uiterlijk \w+dag \d+ \w+ \d{4} · Voldaan op/);

    await sendPosition(reference, { text: 'Wij hebben het advies nagekeken.\nHet kwam inderdaad te laat.', solution: 'Wij crediteren de helft.' });
    await page.goto(`${link}&satisfied=no`);
    await shoot('dossier-position');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await page.getByLabel('Nee, ik ben niet tevreden').isChecked()).toBe(true);
    await page.getByLabel('Toelichting (niet verplicht)').fill('De helft is te weinig.');
    await page.getByRole('button', { name: 'Antwoord versturen' }).click();
    await page.getByText('Dank u wel. Wij hebben uw antwoord ontvangen.').waitFor();

    const appeal = page.getByRole('region', { name: 'In beroep gaan' });
    expect(await appeal.textContent()).toMatch(/U kunt tot en met \w+dag \d+ \w+ \d{4} in beroep bij Geschillencommissie NRTO\./);
    await page.getByLabel('Waarom bent u het niet eens met ons standpunt?').fill('Ik wil dat de commissie ernaar kijkt.');
    await page.getByRole('button', { name: 'Beroep instellen' }).click();
    await page.getByText('Wij hebben uw beroep ontvangen.').waitFor();
    await shoot('dossier-appealed');
    expect(await page.locator('#status').textContent()).toBe('Bij een externe instantie');
    expect(await page.getByRole('main').textContent()).toContain('Beroep ingesteld');
  });

  it('a forged or foreign link shows a page that says only that the link does not work', async () => {
    const reference = await fileComplaint('babbage');
    const link = new URL(await linkFromReceipt(reference));
    const response = await page.goto(`${api.url}/dossier/${reference}?token=${link.searchParams.get('token')}x`);
    expect(response?.status()).toBe(403);
    await shoot('dossier-invalid-link');
    expect(await page.getByRole('heading').first().textContent()).toBe('Deze link werkt niet (meer)');
    const body = (await page.content()).toLowerCase();
    expect(body).not.toContain(reference.toLowerCase());
    expect(body).not.toContain('bram');
  });

  it('once the time to appeal has passed, the page says on which day it closed and offers no form that cannot succeed', async () => {
    const reference = await fileComplaint('gooiconsult');
    const link = await linkFromReceipt(reference);
    await sendPosition(reference, { text: 'Ons standpunt.' });
    // Two weeks and a day later (the server's clock; the page's own clock stays today).
    await env.sleep('15 days');
    await page.goto(link);
    const appeal = page.getByRole('region', { name: 'In beroep gaan' });
    await appeal.getByText(/^De termijn om in beroep te gaan is verstreken op \w+dag \d+ \w+ \d{4}\.$/).waitFor();
    await shoot('dossier-appeal-closed');
    expect(await appeal.getByRole('button').count()).toBe(0);
    expect(await page.locator('#status').textContent()).toBe('Wacht op uw reactie');
  });

  it('an answer the engine refuses in the meantime is shown next to its form, in Dutch, from the refusal\'s code', async () => {
    const reference = await fileComplaint('gooiconsult');
    const link = await linkFromReceipt(reference);
    await sendPosition(reference, { text: 'Ons standpunt.' });
    await page.goto(link);
    // Meanwhile, in another tab, the complainant appeals to the committee.
    const other = await context.newPage();
    await other.goto(link);
    await other.getByLabel('Waarom bent u het niet eens met ons standpunt?').fill('Naar de commissie.');
    await other.getByRole('button', { name: 'Beroep instellen' }).click();
    await other.getByText('Wij hebben uw beroep ontvangen.').waitFor();
    await other.close();
    await page.getByLabel('Ja, ik ben tevreden').check();
    await page.getByRole('button', { name: 'Antwoord versturen' }).click();
    // The form is gone with the state it belonged to: the refusal is said at the top of the page.
    await page.getByRole('alert').getByText('Het beroep bij Geschillencommissie NRTO loopt nog; de uitspraak daarover beantwoordt dit.').waitFor();
    expect(await page.getByRole('region', { name: 'Bent u tevreden met de afhandeling?' }).count()).toBe(0);
    await shoot('dossier-answer-refused');
    expect(await page.locator('#status').textContent()).toBe('Bij een externe instantie');
  });
});
