/**
 * Staff sessions: a cookie `<base64url {id, role, exp}>.<HMAC>`, stateless like the codec
 * server's. Each session's CSRF token is the HMAC of its cookie under another key, so a form
 * from another site cannot carry it; partner forms use the HMAC of their link token instead.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hmac, hmacMatches, parseCookies } from '../infra/signed-values';
import { StaffRole, type StaffUser } from './accounts';

const WEB_SESSION_COOKIE = 'referrals_web_session';

export class Sessions {
  constructor(
    private readonly keys: { session: Buffer; csrf: Buffer },
    private readonly hours: number,
    private readonly secure: boolean,
  ) {}

  start(reply: FastifyReply, user: StaffUser, now = Date.now()): string {
    const body = Buffer.from(
      JSON.stringify({ id: user.id, role: user.role, exp: now + this.hours * 3_600_000 }),
    ).toString('base64url');
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

  end(reply: FastifyReply): void {
    reply.header('set-cookie', `${WEB_SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
  }

  /** The signed-in user, or null for no, forged or expired session. */
  user(request: FastifyRequest, now = Date.now()): StaffUser | null {
    const value = this.cookie(request);
    if (!value) return null;
    const [body = '', signature = ''] = value.split('.');
    if (!hmacMatches(this.keys.session, body, signature)) return null;
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as {
      id: string;
      role: string;
      exp: number;
    };
    const role = StaffRole.safeParse(claims.role);
    return role.success && claims.exp > now ? { id: claims.id, role: role.data } : null;
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
