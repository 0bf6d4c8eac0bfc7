/**
 * The codec server over real HTTP on a loopback port: access, CORS for the UI's origin, limits,
 * round trip. (Not app.inject: light-my-request loads cookie@2, an ES module Jest on Node 20 cannot require.)
 */
import { defaultPayloadConverter } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildCodecServer, BODY_LIMIT_BYTES } from '../../codec-server/app';
import { toJson } from '../../codec-server/payloads-json';
import { uiOriginsFor } from '../../codec-server/run';
import { SESSION_COOKIE } from '../../codec-server/staff-access';
import { AesGcmPayloadCodec } from '../../infra/payload-codec';
import { testKeyRing } from '../support/test-codec';

const TOKEN = 'a-codec-server-token-of-at-least-32-characters';
const UI = 'http://localhost:8233';
const codec = new AesGcmPayloadCodec(testKeyRing());
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  app = await buildCodecServer({ codec, token: TOKEN, uiOrigins: uiOriginsFor(UI), logger: pino({ level: 'silent' }) });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => app?.close());

interface Call {
  method: string;
  url: string;
  headers?: Record<string, string>;
  payload?: unknown;
  cookies?: Record<string, string>;
}
interface Answer {
  statusCode: number;
  headers: Record<string, string | undefined>;
  body: string;
  json(): any;
  setCookie: string | undefined;
}

async function call(c: Call): Promise<Answer> {
  const headers: Record<string, string> = { ...c.headers };
  let body: string | undefined;
  if (typeof c.payload === 'string') body = c.payload;
  else if (c.payload !== undefined) {
    body = JSON.stringify(c.payload);
    headers['content-type'] ??= 'application/json';
  }
  if (c.cookies)
    headers.cookie = Object.entries(c.cookies)
      .map(([k, v]) => `${k}=${v}`)
      .join('; ');
  const r = await fetch(`${base}${c.url}`, { method: c.method, headers, body });
  const text = await r.text();
  return {
    statusCode: r.status,
    headers: Object.fromEntries(r.headers.entries()),
    body: text,
    json: () => JSON.parse(text),
    setCookie: r.headers.get('set-cookie') ?? undefined,
  };
}

const member = { memberId: 'M-100234', email: 'member.sample@example.org' };
const encrypted = async () => ({
  payloads: (await codec.encode([defaultPayloadConverter.toPayload(member)])).map(toJson),
});
const decodedValue = (body: { payloads: ReturnType<typeof toJson>[] }) => {
  const p = body.payloads[0]!;
  return JSON.parse(Buffer.from(p.data!, 'base64').toString('utf8'));
};

test('refuses /decode and /encode without credentials, or with a wrong token', async () => {
  for (const url of ['/decode', '/encode']) {
    const none = await call({ method: 'POST', url, payload: await encrypted() });
    expect(none.statusCode).toBe(401);
    expect(none.body).not.toContain('M-100234');
    const wrong = await call({
      method: 'POST',
      url,
      headers: { authorization: 'Bearer not-the-token' },
      payload: await encrypted(),
    });
    expect(wrong.statusCode).toBe(401);
  }
});

test('with the token: decodes what the worker encrypted, and encodes what the UI sends', async () => {
  const decoded = await call({
    method: 'POST',
    url: '/decode',
    headers: { authorization: `Bearer ${TOKEN}` },
    payload: await encrypted(),
  });
  expect(decoded.statusCode).toBe(200);
  expect(decodedValue(decoded.json())).toEqual(member);

  const plain = { payloads: [toJson(defaultPayloadConverter.toPayload(member))] };
  const encoded = await call({
    method: 'POST',
    url: '/encode',
    headers: { authorization: `Bearer ${TOKEN}` },
    payload: plain,
  });
  expect(encoded.statusCode).toBe(200);
  expect(encoded.body).not.toContain(Buffer.from('M-100234').toString('base64').slice(0, 8));
  const roundTrip = await codec.decode(
    encoded.json().payloads.map((p: { metadata: Record<string, string>; data: string }) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
      data: Buffer.from(p.data, 'base64'),
    })),
  );
  expect(defaultPayloadConverter.fromPayload(roundTrip[0]!)).toEqual(member);
});

test("staff sign in with the token once; the session cookie then authorizes the UI's calls", async () => {
  const refused = await call({
    method: 'POST',
    url: '/sign-in',
    payload: 'token=wrong',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(refused.statusCode).toBe(401);
  expect(refused.setCookie).toBeUndefined();

  const signIn = await call({
    method: 'POST',
    url: '/sign-in',
    payload: `token=${encodeURIComponent(TOKEN)}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(signIn.statusCode).toBe(200);
  const setCookie = signIn.setCookie ?? '';
  expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[^;]+;`));
  expect(setCookie.split('; ').slice(1).sort()).toEqual(['HttpOnly', 'Max-Age=28800', 'Path=/', 'SameSite=Lax']);
  const cookie = { value: setCookie.split(';')[0]!.split('=')[1]! };

  const decoded = await call({
    method: 'POST',
    url: '/decode',
    headers: { origin: UI },
    cookies: { [SESSION_COOKIE]: cookie.value },
    payload: await encrypted(),
  });
  expect(decoded.statusCode).toBe(200);
  expect(decoded.headers['access-control-allow-origin']).toBe(UI);
  expect(decoded.headers['access-control-allow-credentials']).toBe('true');
  expect(decodedValue(decoded.json())).toEqual(member);

  // A forged or altered cookie is worth nothing.
  const forged = await call({
    method: 'POST',
    url: '/decode',
    cookies: { [SESSION_COOKIE]: 'staff.99999999999999' },
    payload: await encrypted(),
  });
  expect(forged.statusCode).toBe(401);
  const [expiry, signature] = cookie.value.split('.');
  const extended = await call({
    method: 'POST',
    url: '/decode',
    cookies: { [SESSION_COOKIE]: `${Number(expiry) + 1}.${signature}` },
    payload: await encrypted(),
  });
  expect(extended.statusCode).toBe(401);
});

test("CORS: the UI's origin may call with credentials; any other origin is refused", async () => {
  const preflight = await call({
    method: 'OPTIONS',
    url: '/decode',
    headers: {
      origin: UI,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,x-namespace',
    },
  });
  expect(preflight.statusCode).toBe(204);
  expect(preflight.headers['access-control-allow-origin']).toBe(UI);
  expect(preflight.headers['access-control-allow-credentials']).toBe('true');
  expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/x-namespace/);

  const elsewhere = await call({
    method: 'POST',
    url: '/decode',
    headers: { origin: 'https://evil.example', authorization: `Bearer ${TOKEN}` },
    payload: await encrypted(),
  });
  expect(elsewhere.statusCode).toBe(403);
  expect(elsewhere.headers['access-control-allow-origin']).toBeUndefined();
});

test('bodies: too large is 413, malformed is 400 naming the field', async () => {
  const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const huge = await call({
    method: 'POST',
    url: '/decode',
    headers: auth,
    payload: JSON.stringify({ payloads: [{ data: 'A'.repeat(BODY_LIMIT_BYTES) }] }),
  });
  expect(huge.statusCode).toBe(413);
  const bad = await call({
    method: 'POST',
    url: '/decode',
    headers: auth,
    payload: { payloads: [{ data: 'not base64!' }] },
  });
  expect(bad.statusCode).toBe(400);
  expect(bad.json().error).toMatch(/^payloads\.0\.data: expected base64/);
});

test('a payload under a key the ring lacks is 422 naming the key id only', async () => {
  const other = new AesGcmPayloadCodec(
    testKeyRing({ REFERRALS_CODEC_KEYS: `gone-key:${Buffer.alloc(32, 7).toString('base64')}` }),
  );
  const payloads = (await other.encode([defaultPayloadConverter.toPayload(member)])).map(toJson);
  const r = await call({
    method: 'POST',
    url: '/decode',
    headers: { authorization: `Bearer ${TOKEN}` },
    payload: { payloads },
  });
  expect(r.statusCode).toBe(422);
  expect(r.json().error).toMatch(/"gone-key" is not in the key ring/);
});

test('the sign-in page has the security headers; ten wrong tokens from one address lock it out, even with the right token next', async () => {
  const page = await call({ method: 'GET', url: '/sign-in' });
  expect(page.headers['x-frame-options']).toBe('DENY');
  expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");

  // A server of its own, so the lock-out does not reach the other tests.
  await withOwnServer(async (ownBase) => {
    const signIn = (token: string) =>
      fetch(`${ownBase}/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `token=${encodeURIComponent(token)}`,
      }).then((r) => r.status);
    const bearer = (token: string) =>
      fetch(`${ownBase}/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ payloads: [] }),
      }).then((r) => r.status);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push(await signIn(`guess-${i}`), await bearer(`guess-${i}`));
    expect(statuses).toEqual(Array(10).fill(401));
    expect(await signIn(TOKEN)).toBe(429);
    expect(await bearer(TOKEN)).toBe(429);
  });
});

test('sign-ins are limited to ten a minute per address however the path is spelled, like the web app', async () => {
  await withOwnServer(async (ownBase) => {
    const signIn = (path: string) =>
      fetch(`${ownBase}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `token=${encodeURIComponent(TOKEN)}`,
      });
    const statuses = [];
    for (let i = 0; i < 10; i++) statuses.push((await signIn(i % 2 ? '/%73ign-in' : '/sign-in')).status);
    expect(statuses).toEqual(Array(10).fill(200));
    const refused = await signIn('/sign%2Din');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('x-frame-options')).toBe('DENY');
  });
});

/** A codec server of the test's own on a real port: its limits and locks reach no other test. */
async function withOwnServer(use: (base: string) => Promise<void>): Promise<void> {
  const own = await buildCodecServer({
    codec,
    token: TOKEN,
    uiOrigins: uiOriginsFor(UI),
    logger: pino({ level: 'silent' }),
  });
  try {
    await use(await own.listen({ host: '127.0.0.1', port: 0 }));
  } finally {
    await own.close();
  }
}
