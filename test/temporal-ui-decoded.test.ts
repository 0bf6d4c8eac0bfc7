/**
 * The Temporal UI ready for managers, as `npm start` runs it: a manager signs in to the web app,
 * follows the transfer page's link into the Temporal UI and reads the workflow's input decoded,
 * with no setting made in the browser; after signing out, no longer. A browser that is not signed
 * in sees only ciphertext.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { stopLeftoverAppDb } from '../infra/app-db/embedded-server';
import { launchChromium } from './support/chromium';
import { freshStackPlace, NpmStart, stackEnv } from './support/npm-start';

jest.setTimeout(240_000);

const SAMPLE = readFileSync(path.resolve(__dirname, '../fixtures/sample-transfer.json'), 'utf8');
/** From the sample's reason: on the page only when the UI could decode the input. */
const DECODED_TEXT = 'step down to outpatient';

let dataDir: string;
let run: NpmStart;
let browser: Browser;
let webUrl: string;
let referralId: string;
let workflowId: string;

beforeAll(async () => {
  const place = await freshStackPlace('referrals-ui-');
  dataDir = place.dataDir;
  run = new NpmStart({ ...stackEnv(place), LOG_LEVEL: 'info' });
  await run.waitFor(/^Ready\./m, 120_000);
  webUrl = `http://localhost:${place.webPort}`;
  const intakeToken = /^intake API token.*: (rft_\S+)$/m.exec(passwords())?.[1];
  const started = await fetch(`${webUrl}/api/transfers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${intakeToken}`, 'content-type': 'application/json' },
    body: SAMPLE,
  });
  expect(started.status).toBe(201);
  ({ referralId, workflowId } = (await started.json()) as { referralId: string; workflowId: string });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  // Ctrl-C, as a person stops it: the UI server, the dev server and the app database stop too.
  run?.interrupt();
  await run?.exitWithin(30_000).catch(() => run.kill());
  await stopLeftoverAppDb(dataDir);
  rmSync(dataDir, { recursive: true, force: true });
});

/** What the first start wrote for the person setting up: one password per role and a CLI token. */
const passwords = (): string => readFileSync(path.join(dataDir, 'web-accounts.json.passwords'), 'utf8');

/** The transfer page's link into the Temporal UI, as staff follow it. */
async function openInTemporalUi(page: Page): Promise<Page> {
  await page.goto(`${webUrl}/transfers/${referralId}`);
  const [ui] = await Promise.all([
    page.context().waitForEvent('page'),
    page.getByRole('link', { name: 'Open this workflow in the Temporal UI' }).click(),
  ]);
  await ui.waitForLoadState();
  return ui;
}

test('a manager signed in to the web app reads the transfer decoded in the Temporal UI', async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${webUrl}/sign-in`);
  await page.fill('#username', 'manager');
  await page.fill('#password', /^manager \(manager\): (\S+)$/m.exec(passwords())![1]!);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/transfers/);

  const ui = await openInTemporalUi(page);
  await ui.getByText(DECODED_TEXT).first().waitFor({ timeout: 30_000 });
  await expect(ui.locator('body').innerText()).resolves.not.toContain('Codec Server could not connect');

  // Signing out of the web app closes the Temporal UI's decoding too: the session is gone.
  await page.getByRole('button', { name: 'Sign out' }).click();
  const refused = ui.waitForResponse((r) => new URL(r.url()).pathname === '/decode' && r.status() === 401);
  await ui.reload();
  await refused;
});

test('a browser that is not signed in gets only ciphertext, and the codec server refuses it', async () => {
  const page = await (await browser.newContext()).newPage();
  // Straight to the UI, at the address npm start printed: the transfer page would ask for a sign-in first.
  const uiUrl = /Temporal UI\s+(\S+)/.exec(run.output)![1];
  const refused = page.waitForResponse((r) => new URL(r.url()).pathname === '/decode' && r.status() === 401);
  await page.goto(`${uiUrl}/namespaces/default/workflows/${workflowId}`);
  await refused;
  // The input is shown as it is stored: a long run of base64.
  await page
    .getByText(/"[A-Za-z0-9+/]{200,}/)
    .first()
    .waitFor({ timeout: 30_000 });
  await expect(page.locator('body').innerText()).resolves.not.toContain(DECODED_TEXT);
  expect(run.output).toMatch(/codec request refused: no valid token or session/);
});
