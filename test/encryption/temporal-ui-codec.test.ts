/**
 * The Temporal UI (2.54, in the dev server) in headless Chromium shows a transfer's input decoded
 * through our codec server, once staff signed in there; without signing in it shows none of it.
 * The UI sends the sign-in cookie only with its codec option "include cross-origin credentials",
 * which a person sets under Settings > Data Encoder; here it is set the same way, in localStorage.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { buildCodecServer } from '../../codec-server/app';
import { uiOriginsFor } from '../../codec-server/run';
import { TransferService } from '../../client/transfer-service';
import { SEARCH_ATTRIBUTE_FLAGS } from '../../domain/search-attributes';
import { loadRuntimeConfig } from '../../infra/config';
import { loadDirectory } from '../../infra/config-files';
import { referralsDataConverter, referralsPayloadCodec } from '../../infra/data-converter';
import { loadKeyRing } from '../../infra/key-ring';
import { startDevServer, waitUntilReady, type DevServer, placementIn } from '../../scripts/dev-server';
import { ensureTemporalCli } from '../../scripts/temporal-binaries';
import { createReferralsWorker } from '../../worker/create-worker';
import { freePorts } from '../support/npm-start';
import { codecEnv } from '../support/test-codec';
import { sampleRequest } from '../support/transfer-harness';
import { useFreshAppDb } from '../support/app-db';

jest.setTimeout(180_000);
const ROOT = path.resolve(__dirname, '../..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const TOKEN = 'ui-test-codec-token-0123456789abcdefghijklmnop';

let dir: string;
let server: DevServer;
let codecServer: FastifyInstance;
let codecUrl: string;
let uiUrl: string;
let browser: Browser;
let stopWorker: () => Promise<void>;
let workflowId: string;
let referralId: string;
const request = sampleRequest({ reason: 'Alcohol use disorder, severe; step down after residential phase UI-1' });

// The worker's send ledger and opt-outs, in a schema of this file's own.
useFreshAppDb();

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  dir = mkdtempSync(path.join(os.tmpdir(), 'referrals-ui-codec-'));
  const [port, uiPort, codecPort] = (await freePorts(3)) as [number, number, number];
  uiUrl = `http://localhost:${uiPort}`;
  codecUrl = `http://localhost:${codecPort}`;
  const config = loadRuntimeConfig({
    TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
    TEMPORAL_UI_URL: uiUrl,
    REFERRALS_DATA_DIR: dir,
    REFERRALS_EHR_DIR: path.join(dir, 'ehr'),
    LOG_LEVEL: 'warn',
    ...codecEnv(),
  });
  cpSync(path.join(ROOT, 'fixtures', 'ehr'), config.REFERRALS_EHR_DIR, { recursive: true });

  codecServer = await buildCodecServer({
    codec: referralsPayloadCodec(loadKeyRing(config)),
    token: TOKEN,
    uiOrigins: uiOriginsFor(uiUrl),
    logger: pino({ level: 'silent' }),
  });
  await codecServer.listen({ host: '127.0.0.1', port: codecPort });
  // As npm start does when the UI server is not installed: the dev server's own UI points at the codec server.
  server = startDevServer({
    cliPath: ensureTemporalCli(),
    ...placementIn(dir, port, uiPort),
    searchAttributes: SEARCH_ATTRIBUTE_FLAGS,
    codecEndpoint: codecUrl,
  });
  const connection = await waitUntilReady({
    address: server.address,
    namespace: 'default',
    exited: server.exited,
    logFile: path.join(dir, 'temporal-server.log'),
  });

  const { worker, close } = await createReferralsWorker(config, {
    workflowBundle: { codePath: process.env.REFERRALS_WORKFLOW_BUNDLE! },
    workflowsPath: undefined,
  });
  const running = worker.run();
  stopWorker = async () => {
    worker.shutdown();
    await running;
    await close();
  };
  const client = new Client({
    connection,
    namespace: 'default',
    dataConverter: referralsDataConverter(loadKeyRing(config)),
  });
  const service = new TransferService({
    config,
    directory: loadDirectory(config.REFERRALS_DIRECTORY_FILE),
    temporal: async () => client,
  });
  ({ workflowId, referralId } = await service.startTransfer(request));

  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stopWorker?.();
  await server?.stop();
  await codecServer?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The UI's Data Encoder settings, as that dialog stores them (UI 2.54 persists them in localStorage). */
async function includeCredentialsInCodecCalls(page: Page): Promise<void> {
  await page.addInitScript((endpoint) => {
    // Runs in the browser (this project's TypeScript has no DOM types).
    const storage = (globalThis as unknown as { localStorage: { setItem(key: string, value: string): void } })
      .localStorage;
    storage.setItem('endpoint', JSON.stringify(endpoint));
    storage.setItem('includeCredentials', 'true');
    storage.setItem('overrideRemoteCodecConfiguration', 'true');
  }, codecUrl);
}

/** The UI renders user metadata as markdown in sandboxed frames: search every frame's text. */
async function eventuallyOnPage(page: Page, text: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const contents = await Promise.all(page.frames().map((f) => f.content().catch(() => '')));
    if (contents.some((c) => c.includes(text))) return;
    if (Date.now() > deadline) throw new Error(`"${text}" did not appear in the UI within ${timeoutMs} ms`);
    await page.waitForTimeout(250);
  }
}

async function openTransfer(page: Page): Promise<void> {
  await page.goto(`${uiUrl}/namespaces/default/workflows/${encodeURIComponent(workflowId)}`, {
    waitUntil: 'domcontentloaded',
  });
  // The input appears once the UI has the history; encoded or decoded, the workflow id is on the page.
  await page.getByText(workflowId).first().waitFor({ timeout: 60_000 });
}

test('signed in at the codec server, staff see the decoded input in the Temporal UI', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  try {
    const page = await context.newPage();
    await page.goto(`${codecUrl}/sign-in`);
    await page.fill('input[name=token]', TOKEN);
    await page.click('button[type=submit]');
    await page.getByText('Signed in.').waitFor();

    await includeCredentialsInCodecCalls(page);
    await openTransfer(page);
    await page.getByText(request.member.email!, { exact: false }).first().waitFor({ timeout: 60_000 });
    expect(await page.content()).toContain(request.reason);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'temporal-ui-decoded-input.png'), fullPage: true });
    // User metadata decodes too: the static summary managers read, under the "User Metadata" tab.
    await page
      .getByRole('tab', { name: 'User Metadata' })
      .or(page.getByText('User Metadata', { exact: true }))
      .first()
      .click();
    await eventuallyOnPage(page, `Transfer ${referralId}: north-county-residential`);
    await eventuallyOnPage(page, 'Waiting on case manager to inform the member');
    await page.screenshot({ path: path.join(ARTIFACTS, 'temporal-ui-decoded-user-metadata.png'), fullPage: true });
  } finally {
    await context.close();
  }
});

test('without signing in, the codec server refuses the UI and no member information shows', async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const refused: number[] = [];
    page.on('response', (r) => {
      if (r.url().startsWith(`${codecUrl}/decode`)) refused.push(r.status());
    });
    await includeCredentialsInCodecCalls(page);
    await openTransfer(page);
    const deadline = Date.now() + 20_000;
    while (!refused.length && Date.now() < deadline) await page.waitForTimeout(250);
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(refused)).toEqual(new Set([401]));
    const html = (await Promise.all(page.frames().map((f) => f.content().catch(() => '')))).join('\n');
    expect(html).toContain(workflowId);
    expect(html).not.toContain(request.member.email);
    expect(html).not.toContain(request.reason);
  } finally {
    await context.close();
  }
});
