/**
 * Who is signed in. Browsers hold a session cookie signed by @fastify/cookie whose value is a
 * random secret; the session itself lives in the app database (infra/app-db/staff-credentials.ts),
 * so signing out, or an admin ending it, refuses the cookie in every web process at once. Scripts
 * and the CLI present a personal API token instead (`Authorization: Bearer`), which an admin
 * issues and revokes. CSRF tokens (@fastify/csrf-protection, web/csrf.ts) are bound to the
 * session secret, so a token from one session is worthless in another.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiTokenStore, Holder, StaffSessionStore } from '../infra/app-db/staff-credentials';
import { StaffRole, type StaffUser } from './accounts';
import type { PageChrome } from './html';

/** The codec server reads it too (codec-server/staff-access.ts). */
export const WEB_SESSION_COOKIE = 'referrals_web_session';

/** How the person proved who they are: a token needs no CSRF check, it is never sent by a browser on its own. */
export type SignedInUser = StaffUser & { via: 'session' | 'token' };

export class Sessions {
  constructor(
    readonly store: StaffSessionStore,
    readonly tokens: ApiTokenStore,
    private readonly hours: number,
    private readonly secure: boolean,
  ) {}

  /** Starts a session and sets its cookie; returns the CSRF token for it. */
  async start(reply: FastifyReply, user: StaffUser): Promise<string> {
    const { secret } = await this.store.start({ userId: user.id, role: user.role }, this.hours);
    reply.setCookie(WEB_SESSION_COOKIE, secret, {
      signed: true,
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      maxAge: Math.round(this.hours * 3600),
      secure: this.secure,
    });
    return reply.generateCsrf({ userInfo: secret });
  }

  /** Ends the request's session: its cookie is refused from now on, even if it was kept. */
  async end(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    reply.clearCookie(WEB_SESSION_COOKIE, { path: '/' });
    const secret = sessionSecret(request);
    if (secret) await this.store.endBySecret(secret);
  }

  /** The signed-in user, or null for no, forged, expired, ended or revoked credentials. */
  async user(request: FastifyRequest): Promise<SignedInUser | null> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (bearer !== undefined) return asUser(await this.tokens.holderOf(bearer), 'token');
    const secret = sessionSecret(request);
    return secret ? asUser(await this.store.find(secret), 'session') : null;
  }

  /** A staff page's header: its title, who is signed in, and the CSRF token its sign-out form sends. */
  chrome(reply: FastifyReply, user: StaffUser, title: string): PageChrome {
    return { title, user: { ...user, csrf: this.csrfToken(reply) } };
  }

  /** A CSRF token for the request's session, for the forms on the page being drawn. */
  csrfToken(reply: FastifyReply): string {
    return reply.generateCsrf({ userInfo: sessionSecret(reply.request) ?? '' });
  }
}

/** The session secret from a cookie whose signature holds, else undefined. */
export function sessionSecret(request: FastifyRequest): string | undefined {
  const raw = request.cookies[WEB_SESSION_COOKIE];
  if (!raw) return undefined;
  const unsigned = request.unsignCookie(raw);
  return unsigned.valid && unsigned.value ? unsigned.value : undefined;
}

function asUser(holder: Holder | null, via: SignedInUser['via']): SignedInUser | null {
  const role = StaffRole.safeParse(holder?.role);
  return holder && role.success ? { id: holder.userId, role: role.data, via } : null;
}
