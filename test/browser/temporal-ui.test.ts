import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { registerSearchAttributes } from '../../config/temporal';
import { type EmbeddedTemporal, startEmbeddedTemporal } from '../../dev/temporal-server';
import { workflowIdFor } from '../../domain/reference';
import { call, startTestApi } from '../support/api';
import { artifactsDir, launchChromium } from '../support/browser';
import { FormBrowser } from '../support/form-browser';
import { MailSink } from '../support/mail-sink';
import { freePorts } from '../support/ports';
import { testClientOptions } from '../support/temporal';
import { startTestWorker } from '../support/worker';

// The embedded Temporal UI (`temporal server start-dev --ui-codec-endpoint`) in Chromium: a staff
// member signed in to the back office sees a complaint's input decoded by the codec endpoint,
// through their session cookie ("include cross-origin credentials" in the UI's codec settings);
// signed out, the same page shows ciphertext and not one word of the complaint.
const shots = artifactsDir('temporal-ui');

describe('the Temporal UI, decoding through the back-office session', () => {
  const marker = `Ui${randomBytes(5).toString('hex')}`;
  let dataDir: string;
  let temporal: EmbeddedTemporal;
  let mail: MailSink;
  let worker: Worker;
  let running: Promise<void>;
  let client: Client;
  let api: Awaited<ReturnType<typeof startTestApi>>;
  let browser: Browser;
  let uiOrigin: string;
  let reference: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'klachtflow-ui-'));
    const [temporalPort, uiPort, apiPort] = await freePorts(3);
    // One site for the UI and the API (127.0.0.1), so that the session cookie (SameSite=Lax) goes along.
    uiOrigin = `http://127.0.0.1:${uiPort}`;
    [temporal, mail, browser] = await Promise.all([
      startEmbeddedTemporal({ dataDir, port: temporalPort!, uiPort: uiPort!, namespace: 'default', uiCodecEndpoint: `http://127.0.0.1:${apiPort}/codec` }),
      MailSink.start(),
      launchChromium(),
    ]);
    client = new Client({ connection: await Connection.connect({ address: temporal.address }), namespace: 'default', ...testClientOptions });
    await registerSearchAttributes(client);
    worker = await startTestWorker(await NativeConnection.connect({ address: temporal.address }), 'default', mail.url);
    running = worker.run();
    api = await startTestApi(client, { port: apiPort!, codecOrigins: [uiOrigin] });
    const filed = await call('POST', `${api.url}/api/complaints`, { body: { procedure: 'babbage', complainant: { name: `Ulla ${marker}`, email: 'ulla@example.nl' }, description: `De cursus ging niet door (${marker}).` } });
    expect(filed.status).toBe(201);
    reference = ((await filed.json()) as { reference: string }).reference;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    worker?.shutdown();
    await running;
    await client?.connection.close();
    await Promise.all([temporal?.stop(), mail?.stop()]);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** A browser with the UI's codec settings as a staff member sets them once: this endpoint, credentials included. */
  async function uiContext(): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL' });
    await context.addInitScript(
      ({ origin, endpoint }) => {
        const w = globalThis as unknown as { location: { origin: string }; localStorage: { setItem(k: string, v: string): void } };
        if (w.location.origin !== origin) return;
        w.localStorage.setItem('endpoint', JSON.stringify(endpoint));
        w.localStorage.setItem('includeCredentials', 'true');
        w.localStorage.setItem('overrideRemoteCodecConfiguration', 'true');
      },
      { origin: uiOrigin, endpoint: `${api.url}/codec` },
    );
    return context;
  }

  /** The complaint's page in the UI, once it asked the codec endpoint; the status of that answer. */
  async function openComplaint(page: Page): Promise<number> {
    const decoded = page.waitForResponse((r) => r.url().startsWith(`${api.url}/codec/decode`) && r.request().method() === 'POST', { timeout: 60_000 });
    await page.goto(`${uiOrigin}/namespaces/default/workflows/${workflowIdFor(reference)}`);
    return (await decoded).status();
  }

  it('shows the decoded input to a signed-in staff member', async () => {
    const context = await uiContext();
    const page = await context.newPage();
    // Signing in to the back office in the same browser, by the e-mailed link.
    await page.goto(`${api.url}/beheer/inloggen`);
    await page.getByLabel('E-mailadres').fill('hanna@staff.test');
    await page.getByRole('button', { name: 'Stuur mij een inloglink' }).click();
    const link = await mail.waitFor((m) => m.subject === 'Inloggen bij klachtflow');
    await page.goto(`${api.url}${FormBrowser.signInPath(link)}`);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL(`${api.url}/beheer`);

    expect(await openComplaint(page)).toBe(200);
    await page.getByText(`Ulla ${marker}`).first().waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(shots, 'signed-in.png'), fullPage: true });
    await context.close();
  });

  it('shows none of it signed out: the codec endpoint answers 401 and the page keeps the ciphertext', async () => {
    const context = await uiContext();
    const page = await context.newPage();
    expect(await openComplaint(page)).toBe(401);
    // The UI has given up on the codec, and says so; the input stays ciphertext.
    await page.locator('#content').getByText('Codec Server could not connect').waitFor();
    await page.screenshot({ path: join(shots, 'signed-out.png'), fullPage: true });
    expect(await page.locator('body').textContent()).not.toContain(marker);
    await context.close();
  });
});
