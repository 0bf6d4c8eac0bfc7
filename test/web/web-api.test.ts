/**
 * The JSON API and the partner links against the real dev server and worker: what a person may
 * do, and that every refused request (no sign-in, wrong role, missing CSRF token, malformed or
 * oversized body, forged, expired or reused link) gets its 4xx and leaves the workflow unchanged.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PartnerLinks } from '../../activities/partner-links';
import { webKeys, webSecret, WebSettings } from '../../infra/web-settings';
import { ROOT } from '../support/referrals-cli';
import { eventually, StaffApi, startWebStack, type WebStack } from '../support/web-stack';
import { consentFor } from '../support/consents';

jest.setTimeout(180_000);
const sample = JSON.parse(readFileSync(path.join(ROOT, 'fixtures', 'sample-transfer.json'), 'utf8'));

let stack: WebStack;
let intake: StaffApi;
let manager: StaffApi;
let referralId: string;

beforeAll(async () => {
  stack = await startWebStack();
  intake = await StaffApi.signIn(stack.url, 'intake');
  manager = await StaffApi.signIn(stack.url, 'manager');
});
afterAll(async () => stack?.stop());

const state = async (id = referralId) => (await intake.call('GET', `/api/transfers/${id}`)).json;

const consent = (signedAt: string) =>
  consentFor([{ providerId: sample.receivingProviderId }], { consentId: 'C-web-1', signedAt });

test('staff must sign in; a wrong password is refused without saying which part was wrong', async () => {
  const bad = await fetch(`${stack.url}/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'intake', password: 'nope' }),
  });
  expect(bad.status).toBe(401);
  expect(await bad.json()).toEqual({ error: 'user name or password not valid' });
  const anonymous = await fetch(`${stack.url}/api/transfers/R-7K3M9Q2XWD`);
  expect(anonymous.status).toBe(401);
  // Security headers on every response.
  expect(anonymous.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  expect(anonymous.headers.get('referrer-policy')).toBe('no-referrer');
});

test('intake starts a transfer through the API; the event carries who sent it and when', async () => {
  const started = await intake.call('POST', '/api/transfers', sample);
  expect(started.status).toBe(201);
  referralId = started.json.referralId;
  const before = Date.now();
  const informed = await intake.call('POST', `/api/transfers/${referralId}/events`, {
    type: 'member-informed',
    concernsAddressed: true,
  });
  expect(informed.status).toBe(200);
  const event = informed.json.timeline.find((t: any) => t.kind === 'event')?.event;
  expect(event).toMatchObject({ type: 'member-informed', actor: { role: 'intake', id: 'intake' } });
  expect(Date.parse(event.sentAt)).toBeGreaterThanOrEqual(before - 1000);
  const listed = await eventually('the list to show it', async () => {
    const rows = (await intake.call('GET', `/api/transfers?provider=${sample.receivingProviderId}`)).json as {
      referralId: string;
    }[];
    return rows.some((r) => r.referralId === referralId) ? rows : undefined;
  });
  expect(listed.length).toBeGreaterThan(0);
  expect((await intake.call('GET', '/api/transfers/stuck')).status).toBe(200);
  // Settled: the packet is assembled and the transfer waits for consent, so later comparisons are fair.
  await eventually('obtain-consent', async () => {
    const s = await state();
    return s.stage === 'obtain-consent' && s.packet?.assembledAt ? true : undefined;
  });
});

test('refused requests get the right 4xx and change nothing', async () => {
  const before = await state();
  const cases: [string, Promise<{ status: number; json: any }>, number][] = [
    [
      'missing CSRF token',
      intake.call('POST', `/api/transfers/${referralId}/events`, { type: 'documents-ready' }, { csrf: null }),
      403,
    ],
    [
      'forged CSRF token',
      intake.call('POST', `/api/transfers/${referralId}/events`, { type: 'documents-ready' }, { csrf: manager.csrf }),
      403,
    ],
    [
      'intake may not withdraw',
      intake.call('POST', `/api/transfers/${referralId}/withdraw`, { reason: 'no longer needed' }),
      403,
    ],
    [
      'intake may not withdraw as an event either',
      intake.call('POST', `/api/transfers/${referralId}/events`, { type: 'withdrawn', reason: 'x' }),
      403,
    ],
    [
      'malformed JSON',
      intake.call('POST', `/api/transfers/${referralId}/events`, undefined, { raw: '{"type": "documents-ready",' }),
      400,
    ],
    [
      'oversized body',
      intake.call('POST', `/api/transfers/${referralId}/events`, undefined, {
        raw: JSON.stringify({ type: 'member-informed', note: 'x'.repeat(40_000) }),
      }),
      413,
    ],
    [
      'an event that fails validation',
      intake.call('POST', `/api/transfers/${referralId}/events`, {
        type: 'appointment-scheduled',
        appointmentAt: 'tomorrow',
      }),
      400,
    ],
    [
      'an actor in the body',
      intake.call('POST', `/api/transfers/${referralId}/events`, {
        type: 'documents-ready',
        actor: { role: 'manager', id: 'someone' },
      }),
      400,
    ],
    [
      'an event the stage refuses',
      intake.call('POST', `/api/transfers/${referralId}/events`, { type: 'attendance-confirmed' }),
      409,
    ],
  ];
  for (const [name, call, status] of cases) {
    const r = await call;
    expect({ name, status: r.status }).toEqual({ name, status });
  }
  expect(await state()).toEqual(before);
  const invalid = await intake.call('POST', `/api/transfers/${referralId}/events`, {
    type: 'appointment-scheduled',
    appointmentAt: 'tomorrow',
  });
  expect(invalid.json.problems).toEqual([{ field: 'appointmentAt', message: expect.any(String) }]);
});

test('an unknown transfer is "not found", and a refusal by role comes before any lookup', async () => {
  const unknown = await intake.call('GET', '/api/transfers/R-7K3M9Q2XWD');
  expect(unknown).toEqual({ status: 404, json: { error: 'Not found.' } });
  expect((await intake.call('POST', '/api/transfers/R-7K3M9Q2XWD/withdraw', { reason: 'x' })).status).toBe(403);
  expect((await manager.call('POST', '/api/transfers/R-7K3M9Q2XWD/withdraw', { reason: 'x' })).status).toBe(404);
});

test('partner links: forged, expired, cross-site and reused links are refused and change nothing', async () => {
  await intake.call('POST', `/api/transfers/${referralId}/events`, {
    type: 'consent-recorded',
    consent: consent(new Date(Date.now() - 60_000).toISOString()),
  });
  const mail = await eventually('the packet email', async () =>
    (await stack.mails()).find((m) => m.subject === `Referral packet ${referralId}`),
  );
  const ackUrl = /acknowledge: (\S+)/.exec(mail.text ?? '')?.[1] ?? '';
  expect(ackUrl.startsWith(`${stack.url}/partner/`)).toBe(true);
  await eventually('the packet sent', async () => {
    const s = await state();
    return s.stage === 'send-packet' && s.requestSentAt && s.timeline.some((t: any) => t.kind === 'disclosure')
      ? true
      : undefined;
  });
  const before = await state();

  const [body = '', signature = ''] = ackUrl.slice(`${stack.url}/partner/`.length).split('.');
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
  const forgedBody = Buffer.from(JSON.stringify({ ...claims, action: 'decline' })).toString('base64url');
  expect((await fetch(`${stack.url}/partner/${forgedBody}.${signature}`)).status).toBe(403);
  const key = webKeys(webSecret(WebSettings.parse({}), stack.dataDir)).partnerLink;
  const expired = new PartnerLinks(key, stack.url, 1).url(
    referralId,
    sample.receivingProviderId,
    'acknowledge',
    Date.now() - 2 * 3_600_000,
  );
  expect((await fetch(expired)).status).toBe(410);
  const page = await fetch(ackUrl);
  expect(page.status).toBe(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const post = (url: string, token: string | null) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: token ? `_csrf=${encodeURIComponent(token)}` : '',
    });
  expect((await post(ackUrl, null)).status).toBe(403);
  expect((await post(expired, csrf)).status).toBe(403); // the token is bound to its own link
  expect(await state()).toEqual(before);

  expect((await post(ackUrl, csrf)).status).toBe(200);
  const acknowledged = await eventually('confirm-scheduled', async () => {
    const s = await state();
    return s.stage === 'confirm-scheduled' ? s : undefined;
  });
  expect(acknowledged.acknowledgedAt).toBeDefined();
  const again = await post(ackUrl, csrf);
  expect(again.status).toBe(409);
  expect(await again.text()).toContain('already been used');
  expect((await fetch(ackUrl)).status).toBe(409);
  expect(await state()).toEqual(acknowledged);
});

test('staff forms need their CSRF token and the right role; a refused form changes nothing', async () => {
  const before = await state();
  const form = (who: StaffApi, action: string, body: string) =>
    fetch(`${stack.url}/transfers/${referralId}/actions/${action}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
  expect((await form(intake, 'documents-ready', '')).status).toBe(403);
  expect((await form(intake, 'documents-ready', '_csrf=forged')).status).toBe(403);
  expect((await form(intake, 'withdrawn', `_csrf=${encodeURIComponent(intake.csrf)}&reason=no`)).status).toBe(403);
  const anonymous = await fetch(`${stack.url}/transfers/${referralId}`, { redirect: 'manual' });
  expect(anonymous.status).toBe(303);
  expect(anonymous.headers.get('location')).toMatch(/^\/sign-in/);
  for (const id of ['R-7K3M9Q2XWD', 'not-an-id'])
    expect((await fetch(`${stack.url}/transfers/${id}`, { headers: { cookie: intake.cookie } })).status).toBe(404);
  expect(await state()).toEqual(before);
});

test('a manager withdraws with a reason', async () => {
  const r = await manager.call('POST', `/api/transfers/${referralId}/withdraw`, {
    reason: 'member moved out of county',
  });
  expect(r.status).toBe(200);
  expect(r.json).toMatchObject({ outcome: 'withdrawn' });
});

test('the web app logs no member information', async () => {
  const logs = stack.logs.join('\n');
  expect(logs).toContain('"msg":"staff sign-in"');
  for (const secret of [
    sample.member.memberId,
    sample.member.phone,
    sample.member.email,
    sample.reason,
    'member moved out of county',
  ])
    expect(logs).not.toContain(secret);
});
