/**
 * Staff sign in through the county's OpenID provider: `npm run web` configured for it, a real
 * provider (`oidc-provider`) in its own process, and Chromium as the person at the keyboard.
 * Groups map to roles; someone in no mapped group signs in at the provider and is still refused.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Browser, Page } from 'playwright-core';
import { accessibilityProblems } from '../support/accessibility';
import { launchChromium } from '../support/chromium';
import { freshAppDbUrl } from '../support/app-db';
import { dataFolderWithEhr, envFor, startLocalDevServer } from '../support/local-dev-server';
import { freePorts, NpmStart } from '../support/npm-start';
import { codecEnv } from '../support/test-codec';

jest.setTimeout(180_000);

const CLIENT = { id: 'referrals-web', secret: 'a-client-secret-only-the-tests-know' };
const GROUPS = { casey: ['bh-intake', 'all-staff'], dana: ['bh-it-admins'], visitor: ['all-staff'] };

let temporal: TestWorkflowEnvironment;
let appDb: Awaited<ReturnType<typeof freshAppDbUrl>>;
let provider: NpmStart;
let web: NpmStart;
let webUrl: string;
let browser: Browser;

beforeAll(async () => {
  temporal = await startLocalDevServer();
  appDb = await freshAppDbUrl();
  const [webPort, providerPort] = await freePorts(2);
  webUrl = `http://localhost:${webPort}`;
  provider = new NpmStart(
    {
      OIDC_PORT: String(providerPort),
      OIDC_CLIENT_ID: CLIENT.id,
      OIDC_CLIENT_SECRET: CLIENT.secret,
      OIDC_REDIRECT_URI: `${webUrl}/sign-in/oidc/callback`,
      OIDC_GROUPS: JSON.stringify(GROUPS),
    },
    ['node', 'test/support/oidc-provider.mjs'],
  );
  await provider.waitFor(/oidc provider listening/, 30_000);
  web = new NpmStart(
    {
      ...envFor(temporal.connection.options.address!, dataFolderWithEhr('referrals-oidc-')),
      ...codecEnv(),
      LOG_LEVEL: 'info',
      APP_DATABASE_URL: appDb.url,
      REFERRALS_WEB_PORT: String(webPort),
      REFERRALS_WEB_OIDC_ISSUER: `http://localhost:${providerPort}`,
      REFERRALS_WEB_OIDC_CLIENT_ID: CLIENT.id,
      REFERRALS_WEB_OIDC_CLIENT_SECRET: CLIENT.secret,
      REFERRALS_WEB_OIDC_ROLES: 'bh-intake=intake, bh-managers=manager, bh-it-admins=admin',
      REFERRALS_WEB_OIDC_NAME: 'County ID',
    },
    ['npx', 'tsx', 'web/main.ts'],
  );
  await web.waitFor(/web app listening/, 60_000);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  web?.kill();
  provider?.kill();
  await appDb?.drop();
  await temporal?.teardown();
});

/** What a person does: open a staff page, choose the county sign-in, log in and consent at the provider. */
async function signInAtProvider(user: string, startAt: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${webUrl}${startAt}`);
  await expect(accessibilityProblems(page)).resolves.toEqual([]);
  await page.getByRole('link', { name: 'Sign in with County ID' }).click();
  await page.locator('input[name=login]').fill(user);
  await page.locator('input[name=password]').fill('whatever-the-provider-asks');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((url) => url.origin === webUrl);
  return page;
}

test('a case manager in the intake group signs in at the provider and lands on the page they asked for', async () => {
  const page = await signInAtProvider('casey', '/transfers');
  expect(new URL(page.url()).pathname).toBe('/transfers');
  await expect(page.locator('header').innerText()).resolves.toContain('casey (intake)');
  // Intake, not more: the Access page is for admins.
  const access = await page.goto(`${webUrl}/access`);
  expect(access?.status()).toBe(403);
  expect(web.output).toMatch(/"user":"casey","role":"intake","msg":"staff sign-in \(OpenID Connect\)"/);
});

test('an admin by group sees their own provider session on the Access page', async () => {
  const page = await signInAtProvider('dana', '/access');
  expect(new URL(page.url()).pathname).toBe('/access');
  await expect(page.locator('header').innerText()).resolves.toContain('dana (admin)');
  await expect(page.locator('main').innerText()).resolves.toMatch(/dana\s+admin/);
});

test('someone in no mapped group signs in at the provider but gets no session here', async () => {
  const page = await signInAtProvider('visitor', '/transfers');
  await expect(page.locator('main').innerText()).resolves.toContain('your account has no role in this app');
  await expect(accessibilityProblems(page)).resolves.toEqual([]);
  const cookies = await page.context().cookies(webUrl);
  expect(cookies.map((c) => c.name)).not.toContain('referrals_web_session');
  await page.goto(`${webUrl}/transfers`);
  expect(new URL(page.url()).pathname).toBe('/sign-in');
  expect(web.output).toMatch(/"why":"no mapped role","msg":"staff sign-in refused \(OpenID Connect\)"/);
});

test('a callback without the flow this browser started is refused', async () => {
  const page = await (await browser.newContext()).newPage();
  const response = await page.goto(`${webUrl}/sign-in/oidc/callback?code=stolen&state=guessed`);
  expect(response?.status()).toBe(400);
  await expect(page.locator('main').innerText()).resolves.toContain('Sign in again');
});
