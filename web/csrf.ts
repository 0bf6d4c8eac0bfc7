/**
 * Signed cookies (@fastify/cookie) and CSRF tokens (@fastify/csrf-protection) for the web app.
 * The CSRF secret sits in its own signed cookie; each token is also bound to who the form is for:
 * the session secret on staff pages, the link token on partner pages, so a token lifted from one
 * page is refused on any other. Routes ask `csrfPassed` after they know who is signed in, so an
 * anonymous request is told to sign in (401) before it is told its form is stale (403).
 */
import fastifyCookie from '@fastify/cookie';
import fastifyCsrfProtection from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sessionSecret } from './session';

export const isPartnerRoute = (request: FastifyRequest): boolean =>
  request.routeOptions.url?.startsWith('/partner/') ?? false;

/** What a request's CSRF token is bound to (see above). */
function boundTo(request: FastifyRequest): string {
  if (isPartnerRoute(request)) return (request.params as { token?: string }).token ?? '';
  return sessionSecret(request) ?? '';
}

export async function registerCookiesAndCsrf(
  app: FastifyInstance,
  keys: { session: Buffer; csrf: Buffer },
  secure: boolean,
): Promise<void> {
  await app.register(fastifyCookie, { secret: keys.session });
  await app.register(fastifyCsrfProtection, {
    cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, signed: true, secure },
    getUserInfo: boundTo,
    csrfOpts: { hmacKey: keys.csrf, userInfo: true },
    // Refusals are logged by the route's own message, without the token.
    logLevel: 'debug',
  });
}

/**
 * Checks the request's CSRF token. On failure the plugin has already answered (403 through the
 * app's error handler, shaped for a page or the API) and the route must only return `reply`.
 */
export function csrfPassed(request: FastifyRequest, reply: FastifyReply): boolean {
  let passed = false;
  request.server.csrfProtection(request, reply, () => {
    passed = true;
  });
  if (!passed) request.log.warn({ route: request.routeOptions.url }, 'refused: missing or invalid CSRF token');
  return passed;
}

export const isCsrfRefusal = (err: { code?: string }): boolean => err.code?.startsWith('FST_CSRF_') ?? false;
