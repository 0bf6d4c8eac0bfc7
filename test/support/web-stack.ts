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
import { startWebApp } from '../../web/run';
import { createReferralsWorker } from '../../worker/create-worker';
import { freePort } from './npm-start';
import { ANY_HOUR_POLICY_FILE, bundledWorkflows, dataFolderWithEhr, startLocalDevServer } from './local-dev-server';
import { codecEnv } from './test-codec';
import { freshAppDbUrl } from './app-db';
import { temporalUiLinksSentOutside } from './internal-links';
import { loadDirectory } from '../../infra/config-files';
export { eventually } from './eventually';

export const PASSWORDS = {
  intake: 'intake-password-1',
  manager: 'manager-password-1',
  admin: 'admin-password-1',
} as const;
export type StaffName = keyof typeof PASSWORDS;

export interface StaffWebApp {
  url: string;
  config: RuntimeConfig;
  /** The web app's log lines (JSON), to check that no member information reaches them. */
  logs: string[];
  /** The environment for `referrals` acting as `user`: the API URL and a token its admin issued. */
  cliEnv(user: StaffName): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export interface WebStack {
  env: TestWorkflowEnvironment;
  url: string;
  dataDir: string;
  config: RuntimeConfig;
  /** The web app's log lines (JSON), to check that no member information reaches them. */
  logs: string[];
  /** The .eml files in the mailbox folder, parsed, oldest first. */
  mails(): Promise<Awaited<ReturnType<typeof simpleParser>>[]>;
  cliEnv: StaffWebApp['cliEnv'];
  stop(): Promise<void>;
}

/**
 * The web app alone, as `npm start` runs it, with one account per role (known passwords), on the
 * app database in APP_DATABASE_URL (the caller's fresh schema). Temporal is wherever `env` points:
 * a closed port suits tests of input the app must refuse before reaching it.
 */
export async function startStaffWebApp(env: Record<string, string>): Promise<StaffWebApp> {
  const config = loadRuntimeConfig(env);
  const accountsFile = path.join(config.REFERRALS_DATA_DIR, 'accounts.json');
  writeFileSync(
    accountsFile,
    JSON.stringify({
      accounts: Object.entries(PASSWORDS).map(([id, pw]) => ({ id, role: id, passwordHash: hashPassword(pw) })),
    }),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const settings = WebSettings.parse({
    REFERRALS_WEB_PORT: String(port),
    REFERRALS_WEB_PUBLIC_URL: url,
    REFERRALS_WEB_ACCOUNTS_FILE: accountsFile,
  });
  const logs: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(line) });
  const web = await startWebApp(config, settings, logger);
  const tokens = new Map<StaffName, string>();
  return {
    url,
    config,
    logs,
    async cliEnv(user) {
      if (!tokens.has(user)) {
        // Issued as an admin would, on the Access API.
        const admin = await StaffApi.signIn(url, 'admin');
        const issued = await admin.call('POST', '/api/access/tokens', { userId: user, label: 'tests' });
        if (issued.status !== 201) throw new Error(`token for ${user}: ${issued.status}`);
        tokens.set(user, issued.json.token);
      }
      return { ...env, REFERRALS_API_URL: url, REFERRALS_API_TOKEN: tokens.get(user)! };
    },
    close: () => web.close(),
  };
}

export async function startWebStack(opts: { policy?: (p: Record<string, unknown>) => void } = {}): Promise<WebStack> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const env = await startLocalDevServer();
  const { dataDir, ehrDir } = dataFolderWithEhr('referrals-web-');
  const policy = JSON.parse(readFileSync(ANY_HOUR_POLICY_FILE, 'utf8')) as Record<string, unknown>;
  opts.policy?.(policy);
  const policyFile = path.join(dataDir, 'policy.json');
  writeFileSync(policyFile, JSON.stringify(policy));
  const appDb = await freshAppDbUrl();
  const appEnv = {
    TEMPORAL_ADDRESS: env.address,
    REFERRALS_DATA_DIR: dataDir,
    REFERRALS_EHR_DIR: ehrDir,
    REFERRALS_POLICY_FILE: policyFile,
    REFERRALS_REPORT_SWEEP_SECONDS: '2',
    LOG_LEVEL: 'warn',
    ...codecEnv(),
  };
  // The web app and the worker find the app database in the environment; the worker signs the
  // packet email's links with the web app's settings.
  const savedEnv = { ...process.env };
  process.env.APP_DATABASE_URL = appDb.url;
  const web = await startStaffWebApp(appEnv);
  const { url, config, logs } = web;
  Object.assign(process.env, { REFERRALS_WEB_PORT: new URL(url).port, REFERRALS_WEB_PUBLIC_URL: url });
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
    cliEnv: web.cliEnv,
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

  static async signIn(url: string, user: StaffName, password: string = PASSWORDS[user]): Promise<StaffApi> {
    const res = await fetch(`${url}/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: user, password }),
    });
    if (res.status !== 200) throw new Error(`sign-in as ${user}: ${res.status}`);
    // The session cookie and the CSRF secret's cookie, as a browser would keep them.
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
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

/**
 * A token for `user` on a web app `npm start` runs: its admin signs in with the password written
 * on first start (web-accounts.json.passwords) and issues one on the Access API.
 */
export async function tokenAfterFirstStart(url: string, dataDir: string, user: StaffName): Promise<string> {
  const passwords = readFileSync(path.join(dataDir, 'web-accounts.json.passwords'), 'utf8');
  const password = /^admin \(admin\): (\S+)$/m.exec(passwords)?.[1];
  if (!password) throw new Error('no admin password in the passwords file');
  const admin = await StaffApi.signIn(url, 'admin', password);
  const issued = await admin.call('POST', '/api/access/tokens', { userId: user, label: 'tests' });
  if (issued.status !== 201) throw new Error(`token for ${user}: ${issued.status}`);
  return issued.json.token as string;
}
