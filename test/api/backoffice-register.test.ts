import { addDays, localDateOf } from '../../domain/local-date';
import { call } from '../support/api';
import { FormBrowser } from '../support/form-browser';
import { devStack } from '../support/stack';

// The back office's register page over real HTTP against the dev server and the real worker: the
// filters, "due before", the search by reference, paging and the CSV of what matches.
describe('the back office: the register', () => {
  const stack = devStack();
  const references = (html: string) => [...html.matchAll(/<tr><td><a href="\/beheer\/klachten\/(KL-[\w-]+)">/g)].map((m) => m[1]!);

  it('filters, searches by reference, pages and downloads what matches', async () => {
    const file = async (procedure: string, name: string) => {
      const response = await call('POST', `${stack.api.url}/api/complaints`, { body: { procedure, complainant: { name, email: 'register@example.nl', ...(procedure === 'gooiconsult' ? { address: { street: 'Brink 3', postalCode: '1234 AB', city: 'Laren' } } : {}), ...(procedure === 'klassewerk' ? { phone: '06 12345678' } : {}) }, description: `Klacht van ${name}` } });
      expect(response.status).toBe(201);
      return ((await response.json()) as { reference: string }).reference;
    };
    const babbage = [await file('babbage', 'Bea Babbage'), await file('babbage', 'Bram Babbage')];
    const klassewerk = await file('klassewerk', 'Karel Klassewerk');
    const browser = new FormBrowser(() => stack.api.url);
    await browser.signIn(stack.mail, 'hanna@staff.test');

    // Visibility lists a new complaint a moment after it starts.
    let all = await browser.request('GET', '/beheer/klachten');
    for (let i = 0; i < 50 && ![...babbage, klassewerk].every((r) => references(all.html).includes(r)); i++) {
      await new Promise((r) => setTimeout(r, 200));
      all = await browser.request('GET', '/beheer/klachten');
    }
    expect(all.status).toBe(200);
    expect(all.html).toContain('<td>Karel Klassewerk</td><td>Klacht van Karel Klassewerk</td><td>klassewerk</td><td>ontvangen</td>');

    const only = await browser.request('GET', '/beheer/klachten?procedure=babbage');
    expect(references(only.html).sort()).toEqual([...babbage].sort());
    expect(only.html).toContain('<option value="babbage" selected>babbage</option>');

    // By the beginning of a reference; a whole one opens the dossier.
    const prefix = klassewerk.slice(0, 11).toLowerCase();
    const byPrefix = await browser.request('GET', `/beheer/klachten?kenmerk=${prefix}`);
    expect(references(byPrefix.html)).toContain(klassewerk);
    expect(references(byPrefix.html).every((r) => r.startsWith(klassewerk.slice(0, 11)))).toBe(true);
    expect(await browser.request('GET', `/beheer/klachten?kenmerk=${klassewerk}`)).toMatchObject({ status: 303, location: `/beheer/klachten/${klassewerk}` });

    // Due before: a receipt term lies a few working days ahead; yesterday has none of them.
    const today = localDateOf(new Date(), 'Europe/Amsterdam');
    expect(references((await browser.request('GET', `/beheer/klachten?termijnVoor=${addDays(today, -1)}`)).html)).not.toContain(klassewerk);
    expect(references((await browser.request('GET', `/beheer/klachten?termijnVoor=${addDays(today, 40)}`)).html)).toContain(klassewerk);

    // Paging: two lines a page, the next page by its link, none repeated.
    const first = await browser.request('GET', '/beheer/klachten?aantal=2');
    expect(references(first.html)).toHaveLength(2);
    const next = /<a href="([^"]+)" rel="next">Volgende pagina<\/a>/.exec(first.html)![1]!.replace(/&amp;/g, '&');
    const second = await browser.request('GET', next);
    expect(references(second.html).length).toBeGreaterThan(0);
    expect(references(second.html).some((r) => references(first.html).includes(r))).toBe(false);
    expect(second.html).toContain('Eerste pagina');
    const forged = await browser.request('GET', '/beheer/klachten?pagina=AAAA.BBBBBBBBBBBBBBBBBBBBBB');
    expect(forged.status).toBe(400);
    expect(forged.html).toContain('Deze pagina bestaat niet (meer)');

    // Wrong values: a Dutch message next to each field, nothing listed.
    const wrong = await browser.request('GET', '/beheer/klachten?ontvangenVanaf=gisteren&procedure=nergens&kenmerk=%3Cscript%3E');
    expect(wrong.status).toBe(400);
    expect(wrong.html).toContain('<small class="error" id="ontvangenVanaf-fout">Vul een datum in, zoals 2026-04-01.</small>');
    expect(wrong.html).toContain('<small class="error" id="procedure-fout">Kies een procedure uit de lijst.</small>');
    expect(wrong.html).toContain('<small class="error" id="kenmerk-fout">');
    expect(wrong.html).not.toContain('<script>');

    // The CSV: what the filter matches, the register's columns.
    const csv = await browser.request('GET', '/beheer/klachten.csv?procedure=babbage');
    expect(csv.status).toBe(200);
    const lines = csv.html.trim().split('\r\n');
    expect(lines[0]!.startsWith('kenmerk;procedure;status')).toBe(true);
    expect(lines.slice(1).map((l) => l.split(';')[0]).sort()).toEqual([...babbage].sort());
    expect(csv.html).toContain('Bea Babbage');

    // Signed out: the sign-in page, for the CSV as well.
    expect((await new FormBrowser(() => stack.api.url).request('GET', '/beheer/klachten.csv')).status).toBe(303);
  });
});
