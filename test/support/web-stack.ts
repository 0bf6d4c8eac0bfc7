/**
 * A real stack for web tests: the Temporal dev server (CLI), the worker, and the web app on a
 * local port, sharing one temporary data folder (mailbox, web secret). Accounts have known
 * passwords; the policy may be replaced so a test can reach later stages in seconds.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { simpleParser } from 'mailparser';
import pino from 'pino';
import { loadRuntimeConfig, type RuntimeConfig } from '../../infra/config';
import { WebSettings } from '../../infra/web-settings';
import { hashPassword } from '../../web/accounts';
import { startWebApp, type RunningWebApp } from '../../web/run';
import { createReferralsWorker } from '../../worker/create-worker';
import { freePort } from './npm-start';
import { ANY_HOUR_POLICY_FILE, bundledWorkflows, dataFolderWithEhr, startLocalDevServer } from './local-dev-server';
import { codecEnv } from './test-codec';
import { freshAppDbUrl } from './app-db';
import { temporalUiLinksSentOutside } from './internal-links';
import { loadDirectory } from '../../infra/config-files';
export { eventually } from './eventually';

export const PASSWORDS = { intake: 'intake-password-1', manager: 'manager-password-1' } as const;

export interface WebStack {
  env: TestWorkflowEnvironment;
  url: string;
  dataDir: string;
  config: RuntimeConfig;
  /** The web app's log lines (JSON), to check that no member information reaches them. */
  logs: string[];
  /** The .eml files in the mailbox folder, parsed, oldest first. */
  mails(): Promise<Awaited<ReturnType<typeof simpleParser>>[]>;
  stop(): Promise<void>;
}

export async function startWebStack(opts: { policy?: (p: Record<string, unknown>) => void } = {}): Promise<WebStack> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const env = await startLocalDevServer();
  const { dataDir, ehrDir } = dataFolderWithEhr('referrals-web-');
  const policy = JSON.parse(readFileSync(ANY_HOUR_POLICY_FILE, 'utf8')) as Record<string, unknown>;
  opts.policy?.(policy);
  const policyFile = path.join(dataDir, 'policy.json');
  writeFileSync(policyFile, JSON.stringify(policy));
  const accountsFile = path.join(dataDir, 'accounts.json');
  writeFileSync(
    accountsFile,
    JSON.stringify({
      accounts: Object.entries(PASSWORDS).map(([id, pw]) => ({ id, role: id, passwordHash: hashPassword(pw) })),
    }),
  );

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const appDb = await freshAppDbUrl();
  const webEnv = {
    REFERRALS_WEB_PORT: String(port),
    REFERRALS_WEB_PUBLIC_URL: url,
    REFERRALS_WEB_ACCOUNTS_FILE: accountsFile,
    APP_DATABASE_URL: appDb.url,
  };
  const config = loadRuntimeConfig({
    TEMPORAL_ADDRESS: env.address,
    REFERRALS_DATA_DIR: dataDir,
    REFERRALS_EHR_DIR: ehrDir,
    REFERRALS_POLICY_FILE: policyFile,
    REFERRALS_REPORT_SWEEP_SECONDS: '2',
    LOG_LEVEL: 'warn',
    ...codecEnv(),
  });
  const logs: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(line) });
  // The web app and the worker find the app database in the environment; the worker signs the
  // packet email's links with the same settings.
  const savedEnv = { ...process.env };
  Object.assign(process.env, webEnv);
  const web: RunningWebApp = await startWebApp(config, WebSettings.parse(webEnv), logger);
  const worker: { worker: Worker; close(): Promise<void> } = await createReferralsWorker(config, bundledWorkflows());
  const running = worker.worker.run();
  const mailbox = path.join(dataDir, 'mailbox');
  const mails = async () => {
    let files: string[] = [];
    try {
      files = readdirSync(mailbox)
        .filter((f) => f.endsWith('.eml'))
        .sort();
    } catch {
      return [];
    }
    return Promise.all(files.map((f) => simpleParser(readFileSync(path.join(mailbox, f)))));
  };
  return {
    env,
    url,
    dataDir,
    config,
    logs,
    mails,
    async stop() {
      // Whatever the test did, nothing it sent outside county staff linked the Temporal UI.
      const sent = (await mails()).map((m) => ({
        to: m.to && !Array.isArray(m.to) ? m.to.text : '',
        subject: m.subject,
        text: m.text ?? '',
      }));
      await web.close();
      worker.worker.shutdown();
      await running;
      await worker.close();
      await env.teardown();
      process.env = savedEnv;
      await appDb.drop();
      rmSync(dataDir, { recursive: true, force: true });
      expect(
        temporalUiLinksSentOutside(sent, config.TEMPORAL_UI_URL, loadDirectory(config.REFERRALS_DIRECTORY_FILE)),
      ).toEqual([]);
    },
  };
}

/** A staff API client holding the session cookie and CSRF token of one sign-in. */
export class StaffApi {
  private constructor(
    private readonly url: string,
    readonly cookie: string,
    readonly csrf: string,
  ) {}

  static async signIn(url: string, user: keyof typeof PASSWORDS): Promise<StaffApi> {
    const res = await fetch(`${url}/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: user, password: PASSWORDS[user] }),
    });
    if (res.status !== 200) throw new Error(`sign-in as ${user}: ${res.status}`);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    return new StaffApi(url, cookie, ((await res.json()) as { csrfToken: string }).csrfToken);
  }

  async call(
    method: string,
    p: string,
    body?: unknown,
    opts: { csrf?: string | null; raw?: string; contentType?: string } = {},
  ): Promise<{ status: number; json: any }> {
    const csrf = opts.csrf === undefined ? this.csrf : opts.csrf;
    const headers: Record<string, string> = { cookie: this.cookie, ...(csrf ? { 'x-csrf-token': csrf } : {}) };
    if (body !== undefined || opts.raw !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
    const res = await fetch(`${this.url}${p}`, {
      method,
      headers,
      body: opts.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  }
}
