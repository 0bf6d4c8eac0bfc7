/**
 * Who may use the codec server: a caller presenting the access token (`Authorization: Bearer`),
 * or a staff browser that signed in with it and holds the session cookie. The Temporal UI sends
 * that cookie when its codec setting "include cross-origin credentials" is on (docs/encryption.md).
 * The cookie holds its expiry, signed by @fastify/cookie under a key derived from the token:
 * stateless, and changing the token ends every session.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { deriveKey } from '../infra/signed-values';

export const SESSION_COOKIE = 'referrals_codec_session';
const SESSION_HOURS = 8;

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Constant time whatever was presented (digests have equal length). */
function tokenMatches(presented: string, token: string): boolean {
  return timingSafeEqual(digest(presented), digest(token));
}

/** The key @fastify/cookie signs the session cookie with. */
export const cookieKey = (token: string): Buffer => deriveKey(token, 'referrals codec session');

export class StaffAccess {
  constructor(private readonly token: string) {}

  isAuthorized(request: FastifyRequest, now = Date.now()): boolean {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (bearer !== undefined) return tokenMatches(bearer, this.token);
    const session = request.cookies[SESSION_COOKIE];
    if (session === undefined) return false;
    const unsigned = request.unsignCookie(session);
    return unsigned.valid && Number(unsigned.value) > now;
  }

  tokenMatches(presented: string): boolean {
    return tokenMatches(presented, this.token);
  }

  startSession(reply: FastifyReply, secure: boolean, now = Date.now()): void {
    reply.setCookie(SESSION_COOKIE, String(now + SESSION_HOURS * 3_600_000), {
      signed: true,
      path: '/',
      httpOnly: true,
      // The UI and the codec server are the same site (same host, another port), so Lax cookies reach it.
      sameSite: 'lax',
      maxAge: SESSION_HOURS * 3600,
      secure,
    });
  }
}
