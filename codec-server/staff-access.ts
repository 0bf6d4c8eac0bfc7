/**
 * Who may use the codec server:
 * - a caller presenting the access token (`Authorization: Bearer`): scripts, the Temporal CLI;
 * - a browser holding the web app's staff session cookie, when the codec server shares the web
 *   app's database and secret (as under `npm start`): staff signed in to the web app read decoded
 *   transfers in the Temporal UI with nothing else to do;
 * - a browser that signed in here with the token, holding this server's own session cookie (its
 *   expiry, signed under a key derived from the token: changing the token ends every session).
 * The Temporal UI sends cookies when its codec setting "include credentials" is on
 * (docs/encryption.md); the UI, the web app and this server are one site (one host), so Lax
 * cookies reach it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { unsign } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StaffSessionStore } from '../infra/app-db/staff-credentials';
import { deriveKey } from '../infra/signed-values';
import { StaffRole } from '../web/accounts';
import { WEB_SESSION_COOKIE } from '../web/session';

export const SESSION_COOKIE = 'referrals_codec_session';
const SESSION_HOURS = 8;

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Constant time whatever was presented (digests have equal length). */
function tokenMatches(presented: string, token: string): boolean {
  return timingSafeEqual(digest(presented), digest(token));
}

/** The key @fastify/cookie signs the session cookie with. */
export const cookieKey = (token: string): Buffer => deriveKey(token, 'referrals codec session');

/** The web app's staff sessions: the key its session cookie is signed with, and where sessions live. */
export interface WebSessions {
  key: Buffer;
  store: Pick<StaffSessionStore, 'find'>;
}

export class StaffAccess {
  constructor(
    private readonly token: string,
    private readonly webSessions?: WebSessions,
  ) {}

  async isAuthorized(request: FastifyRequest, now = Date.now()): Promise<boolean> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (bearer !== undefined) return tokenMatches(bearer, this.token);
    const own = request.cookies[SESSION_COOKIE];
    if (own !== undefined) {
      const unsigned = request.unsignCookie(own);
      if (unsigned.valid && Number(unsigned.value) > now) return true;
    }
    return this.hasWebSession(request);
  }

  /** A live web session of any staff role: all of them may read transfers (web/roles.ts). */
  private async hasWebSession(request: FastifyRequest): Promise<boolean> {
    const raw = request.cookies[WEB_SESSION_COOKIE];
    if (!this.webSessions || raw === undefined) return false;
    const unsigned = unsign(raw, this.webSessions.key);
    if (!unsigned.valid || !unsigned.value) return false;
    const holder = await this.webSessions.store.find(unsigned.value);
    return holder !== null && StaffRole.safeParse(holder.role).success;
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
