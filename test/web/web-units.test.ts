/** The web app's pieces that need no Temporal: escaping, link signing, accounts, rate limits, sign-in settings. */
import type { AccountingReader } from '../../client/disclosure-accounting';
import type { ReportReader } from '../../client/reports/open-reports';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { PartnerLinks } from '../../activities/partner-links';
import type { ClockService } from '../../client/clock-service';
import type { TransferService } from '../../client/transfer-service';
import { loadDirectory } from '../../infra/config-files';
import { hashPassword, StaffAccounts } from '../../web/accounts';
import { buildWebApp } from '../../web/app';
import { html } from '../../web/html';
import { Sessions } from '../../web/session';
import { loadWebSettings, WebSettings } from '../../infra/web-settings';
import { oidcSettings, roleFromClaims } from '../../web/oidc-sign-in';
import { ROOT } from '../support/referrals-cli';
import { openTestDb } from '../support/app-db';
import { ApiTokenStore, StaffSessionStore } from '../../infra/app-db/staff-credentials';
import { MemberIndex } from '../../infra/app-db/member-index';

test('interpolated values are escaped, so member data cannot become markup', () => {
  expect(html`<p>${'<script>alert("x")</script>'}</p>`.value).toBe(
    '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>',
  );
  expect(html`<p>${html`<b>${"O'Neil"}</b>`}</p>`.value).toBe('<p><b>O&#39;Neil</b></p>');
});

describe('partner links', () => {
  const links = new PartnerLinks(Buffer.alloc(32, 1), 'http://web.test/', 1);
  const token = links.token('R-7K3M9Q2XWD', 'bayside-outpatient', 'schedule', 1_000_000);

  test('are bound to transfer, provider and action, and expire', () => {
    expect(links.url('R-7K3M9Q2XWD', 'bayside-outpatient', 'schedule').startsWith('http://web.test/partner/')).toBe(
      true,
    );
    expect(links.check(token, 1_000_001)).toEqual({
      ok: true,
      claims: {
        referralId: 'R-7K3M9Q2XWD',
        providerId: 'bayside-outpatient',
        action: 'schedule',
        issuedAt: 1_000_000,
        expiresAt: 1_000_000 + 3_600_000,
      },
    });
    expect(links.check(token, 1_000_000 + 3_600_000)).toEqual({ ok: false, why: 'expired' });
  });

  test('altered, truncated or foreign-key links are invalid', () => {
    const [body = '', sig = ''] = token.split('.');
    const altered = Buffer.from(Buffer.from(body, 'base64url').toString().replace('schedule', 'decline')).toString(
      'base64url',
    );
    expect(links.check(`${altered}.${sig}`, 1_000_001)).toEqual({ ok: false, why: 'invalid' });
    expect(links.check(body, 1_000_001)).toEqual({ ok: false, why: 'invalid' });
    expect(links.check(`${token}.x`, 1_000_001)).toEqual({ ok: false, why: 'invalid' });
    expect(new PartnerLinks(Buffer.alloc(32, 2), 'http://web.test', 1).check(token, 1_000_001)).toEqual({
      ok: false,
      why: 'invalid',
    });
  });
});

test('accounts check hashed passwords; an unknown user and a wrong password look alike', async () => {
  const accounts = new StaffAccounts([
    { id: 'ana', role: 'intake', passwordHash: hashPassword('right horse battery') },
  ]);
  expect(await accounts.signIn('ana', 'right horse battery')).toEqual({ id: 'ana', role: 'intake' });
  expect(await accounts.signIn('ana', 'wrong')).toBeNull();
  expect(await accounts.signIn('nobody', 'right horse battery')).toBeNull();
});

/** The web app on a real port with accounts ana and bob (password "pw"); sign-in never reaches the service. */
async function signInApp(signInLimit: number) {
  const keys = { session: Buffer.alloc(32, 3), csrf: Buffer.alloc(32, 4) };
  const { db, drop } = await openTestDb();
  const app = await buildWebApp(
    {
      service: {} as TransferService,
      clocks: {} as ClockService,
      accountings: {} as AccountingReader,
      reports: {} as ReportReader,
      directory: loadDirectory(`${ROOT}/config/directory.json`),
      accounts: new StaffAccounts(
        ['ana', 'bob'].map((id) => ({ id, role: 'intake' as const, passwordHash: hashPassword('pw') })),
      ),
      sessions: new Sessions(new StaffSessionStore(db), new ApiTokenStore(db), 1, false),
      members: new MemberIndex(db),
      keys,
      secureCookies: false,
      partnerLinks: new PartnerLinks(Buffer.alloc(32, 5), 'http://web.test', 1),
      timeZone: 'America/Los_Angeles',
      temporalUiUrl: 'http://localhost:8233',
      namespace: 'default',
      logger: pino({ level: 'silent' }),
    },
    { rateLimits: { 'sign-in': signInLimit, partner: 30, staff: 600 } },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/sign-in`;
  const attempt = (username: string, password: string) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `username=${username}&password=${password}`,
      redirect: 'manual',
    }).then((r) => r.status);
  const close = async () => {
    await app.close();
    await drop();
  };
  return { url, attempt, close };
}

test('sign-in attempts beyond the limit get 429, on a real server', async () => {
  const { close, url, attempt } = await signInApp(3);
  try {
    expect([
      await attempt('ana', 'wrong'),
      await attempt('ana', 'wrong'),
      await attempt('ana', 'wrong'),
      await attempt('ana', 'wrong'),
    ]).toEqual([401, 401, 401, 429]);
    const refused = await fetch(url, { method: 'POST' });
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({ error: 'too many requests; try again in a minute' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const page = await fetch(url);
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(await page.text()).toContain('<form method="post" action="/sign-in">');
  } finally {
    await close();
  }
});

test('ten wrong passwords lock that user name, even with the right one next; other names still sign in', async () => {
  const { close, attempt } = await signInApp(1000);
  try {
    for (let i = 0; i < 10; i++) expect(await attempt('ana', `guess-${i}`)).toBe(401);
    expect(await attempt('ana', 'pw')).toBe(429);
    expect(await attempt('ANA', 'pw')).toBe(429);
    expect(await attempt('bob', 'pw')).toBe(303);
    // A name that does not exist is locked alike, so the lock tells nothing about which names exist.
    for (let i = 0; i < 10; i++) expect(await attempt('nobody', 'guess')).toBe(401);
    expect(await attempt('nobody', 'guess')).toBe(429);
  } finally {
    await close();
  }
});

test('partner links follow the web port unless the public URL is set', () => {
  expect(WebSettings.parse({ REFERRALS_WEB_PORT: '9235' }).REFERRALS_WEB_PUBLIC_URL).toBe('http://localhost:9235');
  expect(WebSettings.parse({}).REFERRALS_WEB_PUBLIC_URL).toBe('http://localhost:8235');
  expect(
    WebSettings.parse({ REFERRALS_WEB_PORT: '9235', REFERRALS_WEB_PUBLIC_URL: 'https://referrals.county.example.org' })
      .REFERRALS_WEB_PUBLIC_URL,
  ).toBe('https://referrals.county.example.org');
});

describe('OpenID Connect settings', () => {
  const base = {
    REFERRALS_WEB_OIDC_ISSUER: 'https://login.county.example.org',
    REFERRALS_WEB_OIDC_CLIENT_ID: 'referrals',
    REFERRALS_WEB_OIDC_ROLES: 'bh-intake=intake,bh-managers=manager,it-admins=admin',
  };

  test('an issuer without a client id or a role map stops start-up, naming what is missing', () => {
    expect(() => loadWebSettings({ REFERRALS_WEB_OIDC_ISSUER: base.REFERRALS_WEB_OIDC_ISSUER })).toThrow(
      /REFERRALS_WEB_OIDC_CLIENT_ID: required[\s\S]*REFERRALS_WEB_OIDC_ROLES: required/,
    );
  });

  test('a role map naming a role the app does not have is refused', () => {
    const settings = loadWebSettings({ ...base, REFERRALS_WEB_OIDC_ROLES: 'bh-intake=intake,everyone=superuser' });
    expect(() => oidcSettings(settings)).toThrow(/REFERRALS_WEB_OIDC_ROLES: expected claim-value=role pairs/);
  });

  test('the widest mapped role wins; unmapped values, other types and a missing claim give none', () => {
    const oidc = oidcSettings(loadWebSettings(base))!;
    expect(oidc.redirectUri).toBe('http://localhost:8235/sign-in/oidc/callback');
    expect(roleFromClaims(oidc, { groups: ['all-staff', 'bh-managers', 'bh-intake'] })).toBe('manager');
    expect(roleFromClaims(oidc, { groups: 'it-admins' })).toBe('admin');
    expect(roleFromClaims(oidc, { groups: ['all-staff', 42] })).toBeNull();
    expect(roleFromClaims(oidc, {})).toBeNull();
    expect(oidcSettings(loadWebSettings({}))).toBeNull();
  });
});
