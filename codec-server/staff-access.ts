/**
 * Who may use the codec server: a caller presenting the access token (`Authorization: Bearer`),
 * or a staff browser that signed in with it and holds the session cookie. The Temporal UI sends
 * that cookie when its codec setting "include cross-origin credentials" is on (docs/encryption.md).
 * The cookie is `<expiry ms>.<HMAC of the expiry under a key derived from the token>`: stateless,
 * and changing the token ends every session.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { deriveKey, hmac, hmacMatches, parseCookies } from '../infra/signed-values';

export const SESSION_COOKIE = 'referrals_codec_session';
const SESSION_HOURS = 8;

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Constant time whatever was presented (digests have equal length). */
function tokenMatches(presented: string, token: string): boolean {
  return timingSafeEqual(digest(presented), digest(token));
}

export class StaffAccess {
  private readonly sessionKey: Buffer;

  constructor(private readonly token: string) {
    this.sessionKey = deriveKey(token, 'referrals codec session');
  }

  isAuthorized(request: FastifyRequest, now = Date.now()): boolean {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (bearer !== undefined) return tokenMatches(bearer, this.token);
    const session = parseCookies(request.headers.cookie)[SESSION_COOKIE];
    return session !== undefined && this.sessionValid(session, now);
  }

  tokenMatches(presented: string): boolean {
    return tokenMatches(presented, this.token);
  }

  startSession(reply: FastifyReply, secure: boolean, now = Date.now()): void {
    const expiresAt = String(now + SESSION_HOURS * 3_600_000);
    const attributes = [
      `${SESSION_COOKIE}=${expiresAt}.${this.sign(expiresAt)}`,
      'Path=/',
      'HttpOnly',
      // The UI and the codec server are the same site (same host, another port), so Lax cookies reach it.
      'SameSite=Lax',
      `Max-Age=${SESSION_HOURS * 3600}`,
      ...(secure ? ['Secure'] : []),
    ];
    reply.header('set-cookie', attributes.join('; '));
  }

  private sessionValid(value: string, now: number): boolean {
    const [expiresAt = '', signature = ''] = value.split('.');
    return hmacMatches(this.sessionKey, expiresAt, signature) && Number(expiresAt) > now;
  }

  private sign(value: string): string {
    return hmac(this.sessionKey, value);
  }
}
