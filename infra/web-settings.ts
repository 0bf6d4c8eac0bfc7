/**
 * Settings of the web app (staff pages, JSON API, partner links), validated at the edge; errors
 * name the variable. The worker reads the same settings to sign the links in packet emails.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, parseEnvironment } from './config';
import { deriveKey } from './signed-values';

const Secret = z.string().trim().min(32, 'expected at least 32 characters');

const WebSettingsFields = z.object({
  REFERRALS_WEB_IP: z.ipv4().default('127.0.0.1'),
  REFERRALS_WEB_PORT: z.coerce.number().int().min(0).max(65535).default(8235),
  /** Where people reach the web app: partner links in emails are built from it. Default: localhost on the port. */
  REFERRALS_WEB_PUBLIC_URL: z.url().optional(),
  /** Signs sessions, CSRF tokens and partner links; defaults to a generated file in the data folder. */
  REFERRALS_WEB_SECRET: Secret.optional(),
  REFERRALS_WEB_SECRET_FILE: z.string().min(1).optional(),
  /** Staff accounts (hashed passwords); defaults to web-accounts.json in the data folder. */
  REFERRALS_WEB_ACCOUNTS_FILE: z.string().min(1).optional(),
  REFERRALS_PARTNER_LINK_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 60)
    .default(14 * 24),
  REFERRALS_WEB_SESSION_HOURS: z.coerce.number().positive().max(24).default(8),
  /** Staff requests a minute per client address; raise it when every staff member comes through one proxy. */
  REFERRALS_WEB_STAFF_REQUESTS_PER_MINUTE: z.coerce.number().int().positive().default(600),
  /** Sign-in through the county's OpenID provider (web/oidc-sign-in.ts), beside the local accounts. */
  REFERRALS_WEB_OIDC_ISSUER: z.url().optional(),
  REFERRALS_WEB_OIDC_CLIENT_ID: z.string().min(1).optional(),
  /** Unset for a public client: PKCE alone then proves the code is ours. */
  REFERRALS_WEB_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** The claim whose values give the role (a string or a list of strings): groups, roles, … */
  REFERRALS_WEB_OIDC_ROLE_CLAIM: z.string().min(1).default('groups'),
  /** Which claim values give which role: `county-intake=intake,county-bh-managers=manager`. */
  REFERRALS_WEB_OIDC_ROLES: z.string().min(1).optional(),
  /** The sign-in button's words: "Sign in with …". */
  REFERRALS_WEB_OIDC_NAME: z.string().min(1).max(60).default('the county sign-in'),
});

/** The public URL follows the port unless it is set: links must reach the app where it listens. */
export const WebSettings = WebSettingsFields.transform((s) => ({
  ...s,
  REFERRALS_WEB_PUBLIC_URL: s.REFERRALS_WEB_PUBLIC_URL ?? `http://localhost:${s.REFERRALS_WEB_PORT}`,
}));
export const WEB_SETTING_NAMES = Object.keys(WebSettingsFields.shape);
export type WebSettings = z.infer<typeof WebSettings>;

export function loadWebSettings(env: NodeJS.ProcessEnv = process.env): WebSettings {
  const settings = parseEnvironment(WebSettings, env);
  if (settings.REFERRALS_WEB_OIDC_ISSUER) {
    const missing = (['REFERRALS_WEB_OIDC_CLIENT_ID', 'REFERRALS_WEB_OIDC_ROLES'] as const).filter((k) => !settings[k]);
    if (missing.length)
      throw new ConfigError(
        `Invalid configuration:\n${missing.map((k) => `  ${k}: required with REFERRALS_WEB_OIDC_ISSUER`).join('\n')}`,
      );
  }
  return settings;
}

const webSecretFile = (s: WebSettings, dataDir: string): string =>
  s.REFERRALS_WEB_SECRET_FILE ?? path.join(dataDir, 'web-secret');
export const webAccountsFile = (s: WebSettings, dataDir: string): string =>
  s.REFERRALS_WEB_ACCOUNTS_FILE ?? path.join(dataDir, 'web-accounts.json');

/** The secret from the environment, else from its file, created (owner-only) on first use. */
export function webSecret(s: WebSettings, dataDir: string): string {
  if (s.REFERRALS_WEB_SECRET) return s.REFERRALS_WEB_SECRET;
  const file = webSecretFile(s, dataDir);
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      // The worker and the web app may both create it at start: the first one wins.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const parsed = Secret.safeParse(readFileSync(file, 'utf8'));
  if (!parsed.success) throw new ConfigError(`Invalid ${file}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** One key per purpose, all from the one secret. */
export function webKeys(secret: string): { session: Buffer; csrf: Buffer; partnerLink: Buffer } {
  return {
    session: deriveKey(secret, 'referrals web session'),
    csrf: deriveKey(secret, 'referrals web csrf'),
    partnerLink: deriveKey(secret, 'referrals partner link'),
  };
}
