/**
 * The codec server the Temporal UI calls to show encrypted payloads: POST /encode and /decode
 * with `{ payloads }` in protobuf JSON form. Every call needs staff access (staff-access.ts);
 * browsers may call it only from the UI's origin. Logs carry counts and key ids, never payloads.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyCors from '@fastify/cors';
import fastifyRateLimit from '@fastify/rate-limit';
import type { PayloadCodec } from '@temporalio/common';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import { FailureLock } from '../infra/failure-lock';
import { registerSecurityHeaders } from '../infra/security-headers';
import type pino from 'pino';
import { MissingCodecKeyError, PayloadDecryptionError } from '../infra/payload-codec';
import { fromJson, PayloadsBody, toJson } from './payloads-json';
import { signInPage } from './sign-in-page';
import { cookieKey, StaffAccess, type WebSessions } from './staff-access';

/** Temporal's own limit is 2 MiB per payload; a UI page decodes a few dozen. */
export const BODY_LIMIT_BYTES = 4 * 1024 * 1024;

const SIGN_IN_ATTEMPTS_PER_MINUTE = 10;

export interface CodecServerOptions {
  codec: PayloadCodec;
  token: string;
  /** Set when the codec server shares the web app's database and secret: staff signed in there may decode. */
  webSessions?: WebSessions;
  /** Origins allowed to call from a browser (the Temporal UI's). */
  uiOrigins: string[];
  logger: pino.Logger;
}

export async function buildCodecServer(o: CodecServerOptions): Promise<FastifyInstance> {
  // Fastify's request logs carry method, url and status: no payloads.
  const app = Fastify({ loggerInstance: o.logger as FastifyBaseLogger, bodyLimit: BODY_LIMIT_BYTES });
  const access = new StaffAccess(o.token, o.webSessions);
  // Wrong tokens per address: the token cannot be guessed, but nobody gets to try for long.
  const failures = new FailureLock();
  const tooManyFailures = (reply: FastifyReply) =>
    reply
      .code(429)
      .header('retry-after', String(failures.windowMs / 1000))
      .send({ error: failures.message });
  await registerSecurityHeaders(app, 'same-origin');
  await app.register(fastifyCookie, { secret: cookieKey(o.token) });
  // Sign-in attempts per address, like the web app's; encode and decode are for signed-in staff.
  await app.register(fastifyRateLimit, { global: false, timeWindow: '1 minute' });
  await app.register(fastifyCors, {
    origin: o.uiOrigins,
    credentials: true,
    methods: ['POST'],
    allowedHeaders: ['content-type', 'x-namespace', 'authorization'],
    maxAge: 600,
  });
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 4096 },
    (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    },
  );

  // A browser on any other origin is refused outright, not just denied the response.
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (
      origin &&
      request.method !== 'GET' &&
      !o.uiOrigins.includes(origin) &&
      !isOwnOrigin(origin, request.headers.host)
    ) {
      return reply.code(403).send({ error: 'origin not allowed' });
    }
  });

  for (const route of ['encode', 'decode'] as const) {
    app.post(`/${route}`, async (request, reply) => {
      if (failures.locked(request.ip)) return tooManyFailures(reply);
      if (!(await access.isAuthorized(request))) {
        if (request.headers.authorization) failures.failed(request.ip);
        request.log.warn({ route, ip: request.ip }, 'codec request refused: no valid token or session');
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer')
          .send({ error: 'sign in to the web app, or here at /sign-in, or send Authorization: Bearer <token>' });
      }
      const body = PayloadsBody.safeParse(request.body);
      if (!body.success) {
        return reply
          .code(400)
          .send({ error: body.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') });
      }
      try {
        const payloads = body.data.payloads.map(fromJson);
        const result = route === 'encode' ? await o.codec.encode(payloads) : await o.codec.decode(payloads);
        request.log.debug(
          { route, count: payloads.length, namespace: request.headers['x-namespace'] },
          'codec request',
        );
        return { payloads: result.map(toJson) };
      } catch (err) {
        if (err instanceof MissingCodecKeyError || err instanceof PayloadDecryptionError) {
          // The message names a key id at most; no payload content.
          request.log.error({ route, keyId: (err as Partial<MissingCodecKeyError>).keyId }, err.message);
          return reply.code(422).send({ error: err.message });
        }
        throw err;
      }
    });
  }

  app.get('/sign-in', async (_request, reply) => reply.type('text/html').send(signInPage()));
  app.post('/sign-in', { config: { rateLimit: { max: SIGN_IN_ATTEMPTS_PER_MINUTE } } }, async (request, reply) => {
    if (failures.locked(request.ip)) return tooManyFailures(reply);
    const presented = (request.body as Record<string, unknown> | undefined)?.token;
    if (typeof presented !== 'string' || !access.tokenMatches(presented.trim())) {
      failures.failed(request.ip);
      request.log.warn({ ip: request.ip }, 'codec sign-in refused');
      return reply.code(401).type('text/html').send(signInPage('That token is not valid.'));
    }
    access.startSession(reply, request.protocol === 'https');
    request.log.info({ ip: request.ip }, 'codec sign-in');
    return reply.type('text/html').send(signInPage(undefined, true));
  });
  app.get('/health', async () => ({ ok: true }));
  return app;
}

/** The sign-in form posts to its own origin. */
function isOwnOrigin(origin: string, host: string | undefined): boolean {
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
