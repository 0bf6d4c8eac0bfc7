/**
 * Staff sessions: a cookie `<base64url {sid, id, role, exp}>.<HMAC>`, checked without a lookup.
 * Signing out revokes the session id until it would have expired: in this process at once, in
 * the app database for the others, which reload the list every few seconds. Each session's CSRF
 * token is the HMAC of its cookie under another key, so a form from another site cannot carry it;
 * partner forms use the HMAC of their link token instead.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RevokedSessionStore } from '../infra/app-db/revoked-sessions';
import { hmac, hmacMatches, parseCookies } from '../infra/signed-values';
import { StaffRole, type StaffUser } from './accounts';

interface Claims {
  sid: string;
  id: string;
  role: string;
  exp: number;
}

const WEB_SESSION_COOKIE = 'referrals_web_session';

export class Sessions {
  /** Session id → when it would have expired (ms). */
  private revoked = new Map<string, number>();

  constructor(
    private readonly keys: { session: Buffer; csrf: Buffer },
    private readonly hours: number,
    private readonly secure: boolean,
    private readonly store?: RevokedSessionStore,
  ) {}

  start(reply: FastifyReply, user: StaffUser, now = Date.now()): string {
    const claims: Claims = {
      sid: randomBytes(16).toString('base64url'),
      id: user.id,
      role: user.role,
      exp: now + this.hours * 3_600_000,
    };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    const value = `${body}.${hmac(this.keys.session, body)}`;
    const attributes = [
      `${WEB_SESSION_COOKIE}=${value}`,
      'Path=/',
      'HttpOnly',
      'SameSite=Lax',
      `Max-Age=${Math.round(this.hours * 3600)}`,
      ...(this.secure ? ['Secure'] : []),
    ];
    reply.header('set-cookie', attributes.join('; '));
    return this.csrfFor(value);
  }

  /** Ends the request's session: its cookie is refused from now on, even if it was kept. */
  async end(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    reply.header('set-cookie', `${WEB_SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
    const claims = this.claims(request);
    if (!claims) return;
    this.revoked.set(claims.sid, claims.exp);
    await this.store?.revoke(claims.sid, new Date(claims.exp));
  }

  /** Takes in the sessions other web processes ended; run at start and every few seconds. */
  async reloadRevoked(now = new Date()): Promise<void> {
    if (!this.store) return;
    const stored = await this.store.current(now);
    for (const [sid, exp] of this.revoked) if (exp > now.getTime()) stored.set(sid, exp);
    this.revoked = stored;
  }

  /** The signed-in user, or null for no, forged, expired or ended session. */
  user(request: FastifyRequest, now = Date.now()): StaffUser | null {
    const claims = this.claims(request);
    if (!claims || claims.exp <= now || this.revoked.has(claims.sid)) return null;
    const role = StaffRole.safeParse(claims.role);
    return role.success ? { id: claims.id, role: role.data } : null;
  }

  private claims(request: FastifyRequest): Claims | null {
    const value = this.cookie(request);
    if (!value) return null;
    const [body = '', signature = ''] = value.split('.');
    if (!hmacMatches(this.keys.session, body, signature)) return null;
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<Claims>;
    // Cookies from before sessions had ids cannot be ended: sign in again.
    return typeof claims.sid === 'string' && typeof claims.id === 'string' && typeof claims.exp === 'number'
      ? (claims as Claims)
      : null;
  }

  csrfToken(request: FastifyRequest): string {
    return this.csrfFor(this.cookie(request) ?? '');
  }

  csrfFor(bound: string): string {
    return hmac(this.keys.csrf, bound);
  }

  csrfValid(bound: string, presented: unknown): boolean {
    return typeof presented === 'string' && bound !== '' && hmacMatches(this.keys.csrf, bound, presented);
  }

  cookie(request: FastifyRequest): string | undefined {
    return parseCookies(request.headers.cookie)[WEB_SESSION_COOKIE];
  }
}
