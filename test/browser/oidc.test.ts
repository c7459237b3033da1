import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startTestApi } from '../support/api';
import { artifactsDir, launchChromium } from '../support/browser';
import { freePorts } from '../support/ports';
import { type Service, startService } from '../support/processes';
import { devStack } from '../support/stack';

// Signing in to the back office with OpenID Connect against a real provider (oidc-provider, as a
// process of its own, its login and consent pages), in Chromium with JavaScript off: the person is
// the staff file's line with the token's e-mail address, their roles those the groups give.
const shots = artifactsDir('oidc');

describe('the back office: signing in with OpenID Connect', () => {
  const stack = devStack();
  let provider: Service;
  let api: Awaited<ReturnType<typeof startTestApi>>;
  let browser: Browser;

  beforeAll(async () => {
    const [providerPort, apiPort] = await freePorts(2);
    const base = `http://127.0.0.1:${apiPort}`;
    [provider, browser] = await Promise.all([
      startService('test/support/oidc-provider.mjs', { ...process.env, OIDC_TEST_PORT: String(providerPort), OIDC_TEST_REDIRECT: `${base}/beheer/inloggen/oidc/terug` }, { ready: 'oidc provider ready' }),
      launchChromium(),
    ]);
    api = await startTestApi(stack.env.client, {
      port: apiPort!,
      publicBaseUrl: base,
      oidc: {
        issuer: `http://127.0.0.1:${providerPort}`,
        clientId: 'klachtflow',
        clientSecret: 'klachtflow-test-client-secret',
        roleGroups: { handler: ['kf-handlers', 'kf-managers'], manager: ['kf-managers'] },
        groupsClaim: 'groups',
        emailClaim: 'email',
        label: 'Testorganisatie',
      },
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    await provider?.stop();
  });

  /** Through the provider's own pages: its login (any password) and its consent. */
  async function signInAs(login: string): Promise<Page> {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 }, locale: 'nl-NL' });
    const page = await context.newPage();
    await page.goto(`${api.url}/beheer/klachten`);
    await page.getByRole('button', { name: 'Inloggen met Testorganisatie' }).click();
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any');
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]').click(); // consent
    await page.waitForLoadState();
    return page;
  }

  it('signs a manager in with the roles their groups give, back to where they began', async () => {
    const page = await signInAs('mira');
    expect(new URL(page.url()).pathname).toBe('/beheer/klachten');
    await page.getByRole('heading', { name: 'Klachtenregister' }).waitFor();
    expect(await page.getByRole('link', { name: 'Rapportages' }).count()).toBe(1);
    await page.screenshot({ path: join(shots, 'signed-in-390.png'), fullPage: true });
  });

  it('gives a handler the handler role alone: their groups give no other', async () => {
    const page = await signInAs('hanna');
    expect(await page.getByRole('link', { name: 'Rapportages' }).count()).toBe(0);
    const refused = await page.goto(`${api.url}/beheer/rapportages`);
    expect(refused!.status()).toBe(403);
  });

  it('refuses someone in no group that gives a role, and someone not in the staff file, in Dutch', async () => {
    const henk = await signInAs('henk');
    await henk.getByText('zit in geen groep die een rol in het klachtenbeheer geeft').waitFor();
    const stranger = await signInAs('stranger');
    await stranger.getByText('niet bekend als medewerker van het klachtenbeheer').waitFor();
    await stranger.screenshot({ path: join(shots, 'unknown-390.png'), fullPage: true });
    // Neither holds a session: the back office still asks them to sign in.
    await stranger.goto(`${api.url}/beheer`);
    expect(new URL(stranger.url()).pathname).toBe('/beheer/inloggen');
  });
});
