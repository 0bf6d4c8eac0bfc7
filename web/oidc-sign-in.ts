/**
 * Staff sign-in through the county's identity provider (OpenID Connect, authorization code with
 * PKCE, by `openid-client`), beside the local accounts. The role comes from one claim (groups by
 * default) whose values are mapped to ours in the settings; someone the county has not given a
 * mapped value is refused and starts no session. After the provider answers, the session is the
 * same server-side session a local sign-in starts (web/session.ts).
 */
import * as oidc from 'openid-client';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ConfigError } from '../infra/config';
import type { WebSettings } from '../infra/web-settings';
import { StaffRole, type StaffUser } from './accounts';
import type { Sessions } from './session';
import { alert, html, page } from './html';
import { field } from './form-body';
import { safeNext } from './next-page';

export const OIDC_START_PATH = '/sign-in/oidc';
export const OIDC_CALLBACK_PATH = '/sign-in/oidc/callback';
const FLOW_COOKIE = 'referrals_oidc_flow';
/** Long enough to type a password and answer a second factor; the flow is void after. */
const FLOW_MINUTES = 10;

export interface OidcSettings {
  issuer: URL;
  clientId: string;
  clientSecret?: string;
  roleClaim: string;
  /** Claim value → our role. */
  roles: Map<string, StaffRole>;
  /** Words on the button: "Sign in with …". */
  name: string;
  redirectUri: string;
}

/** The settings, or null when the county has no identity provider configured. */
export function oidcSettings(s: WebSettings): OidcSettings | null {
  if (!s.REFERRALS_WEB_OIDC_ISSUER || !s.REFERRALS_WEB_OIDC_CLIENT_ID || !s.REFERRALS_WEB_OIDC_ROLES) return null;
  const roles = new Map<string, StaffRole>();
  for (const pair of s.REFERRALS_WEB_OIDC_ROLES.split(',')) {
    const [value = '', role = ''] = pair.split('=').map((p) => p.trim());
    const parsed = StaffRole.safeParse(role);
    if (!value || !parsed.success)
      throw new ConfigError(
        `Invalid configuration:\n  REFERRALS_WEB_OIDC_ROLES: expected claim-value=role pairs separated by commas, roles ${StaffRole.options.join(', ')}`,
      );
    roles.set(value, parsed.data);
  }
  return {
    issuer: new URL(s.REFERRALS_WEB_OIDC_ISSUER),
    clientId: s.REFERRALS_WEB_OIDC_CLIENT_ID,
    ...(s.REFERRALS_WEB_OIDC_CLIENT_SECRET ? { clientSecret: s.REFERRALS_WEB_OIDC_CLIENT_SECRET } : {}),
    roleClaim: s.REFERRALS_WEB_OIDC_ROLE_CLAIM,
    roles,
    name: s.REFERRALS_WEB_OIDC_NAME,
    redirectUri: new URL(OIDC_CALLBACK_PATH, s.REFERRALS_WEB_PUBLIC_URL).href,
  };
}

/**
 * The highest role any of the person's claim values maps to, or null. A claim may be one string
 * or a list (groups usually are).
 */
export function roleFromClaims(settings: OidcSettings, claims: Record<string, unknown>): StaffRole | null {
  const raw = claims[settings.roleClaim];
  const values = Array.isArray(raw) ? raw : [raw];
  const mapped = values.flatMap((v) =>
    typeof v === 'string' && settings.roles.has(v) ? [settings.roles.get(v)!] : [],
  );
  if (!mapped.length) return null;
  // Roles are listed from least to most allowed: someone in two mapped groups gets the wider one.
  return [...StaffRole.options].reverse().find((role) => mapped.includes(role)) ?? null;
}

/** Who the person is in events and logs: their user name at the provider, else its subject id. */
const userIdFrom = (claims: Record<string, unknown>): string | null => {
  const name = z.string().min(1).max(100).safeParse(claims.preferred_username);
  if (name.success) return name.data;
  const sub = z.string().min(1).max(100).safeParse(claims.sub);
  return sub.success ? sub.data : null;
};

const FlowCookie = z.object({ verifier: z.string(), state: z.string(), nonce: z.string(), next: z.string() }).strict();

/** A refused sign-in: it says what to do, and nothing about what the provider said. */
const refusedPage = (message: string) =>
  page(
    { title: 'Sign-in refused' },
    html`${alert('error', message)}
      <p><a class="usa-link" href="/sign-in">Back to sign-in</a></p>`,
  );

export function oidcRoutes(
  app: FastifyInstance,
  settings: OidcSettings,
  sessions: Sessions,
  secureCookies: boolean,
): void {
  // Discovery on first use and again after a failure, so the app starts while the provider is down.
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = (): Promise<oidc.Configuration> => {
    discovered ??= oidc
      .discovery(
        settings.issuer,
        settings.clientId,
        settings.clientSecret,
        settings.clientSecret ? undefined : oidc.None(),
        // Plain http only for a provider on this machine (a trial or the tests), never across a network.
        isLoopback(settings.issuer) ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((err: unknown) => {
        discovered = undefined;
        throw err;
      });
    return discovered;
  };

  app.get(OIDC_START_PATH, async (request, reply) => {
    const config = await providerOr503(request, reply, configuration);
    if (!config) return reply;
    const flow = {
      verifier: oidc.randomPKCECodeVerifier(),
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      next: safeNext(field(request.query, 'next')),
    };
    reply.setCookie(FLOW_COOKIE, Buffer.from(JSON.stringify(flow)).toString('base64url'), {
      signed: true,
      // The provider sends the browser back with a top-level GET, which carries a lax cookie.
      sameSite: 'lax',
      httpOnly: true,
      path: OIDC_CALLBACK_PATH,
      maxAge: FLOW_MINUTES * 60,
      secure: secureCookies,
    });
    const target = oidc.buildAuthorizationUrl(config, {
      redirect_uri: settings.redirectUri,
      scope: `openid profile ${settings.roleClaim}`,
      code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    return reply.redirect(target.href, 303);
  });

  app.get(OIDC_CALLBACK_PATH, async (request, reply) => {
    const refuse = (status: number, message: string, why: string) => {
      request.log.warn({ ip: request.ip, why }, 'staff sign-in refused (OpenID Connect)');
      return reply.code(status).type('text/html').send(refusedPage(message));
    };
    const flow = readFlow(request);
    reply.clearCookie(FLOW_COOKIE, { path: OIDC_CALLBACK_PATH });
    if (!flow) return refuse(400, 'That sign-in took too long or was started elsewhere. Sign in again.', 'no flow');
    const config = await providerOr503(request, reply, configuration);
    if (!config) return reply;
    let claims: Record<string, unknown>;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, new URL(request.url, settings.redirectUri), {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
      });
      claims = { ...tokens.claims() };
      // Providers often keep groups out of the ID token: ask the userinfo endpoint for the rest.
      if (claims[settings.roleClaim] === undefined && config.serverMetadata().userinfo_endpoint)
        claims = { ...(await oidc.fetchUserInfo(config, tokens.access_token, String(claims.sub))), ...claims };
    } catch (err) {
      return refuse(400, 'The sign-in could not be completed. Sign in again.', errorCode(err));
    }
    const id = userIdFrom(claims);
    const role = roleFromClaims(settings, claims);
    if (!id || !role)
      return refuse(
        403,
        'You signed in, but your account has no role in this app. Ask the app administrator to add you to a staff group.',
        'no mapped role',
      );
    const user: StaffUser = { id, role };
    await sessions.start(reply, user);
    request.log.info({ user: user.id, role: user.role }, 'staff sign-in (OpenID Connect)');
    return reply.redirect(flow.next, 303);
  });
}

function readFlow(request: FastifyRequest): z.infer<typeof FlowCookie> | null {
  const raw = request.cookies[FLOW_COOKIE];
  const unsigned = raw ? request.unsignCookie(raw) : null;
  if (!unsigned?.valid || !unsigned.value) return null;
  try {
    const parsed = FlowCookie.safeParse(JSON.parse(Buffer.from(unsigned.value, 'base64url').toString()));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

async function providerOr503(
  request: FastifyRequest,
  reply: FastifyReply,
  configuration: () => Promise<oidc.Configuration>,
): Promise<oidc.Configuration | null> {
  try {
    return await configuration();
  } catch (err) {
    request.log.error({ why: errorCode(err) }, 'identity provider unreachable');
    void reply
      .code(503)
      .type('text/html')
      .send(
        refusedPage('The county sign-in cannot be reached just now. Try again in a minute, or use a local account.'),
      );
    return null;
  }
}

/** The library's error code (never its message, which may quote what the provider returned). */
function errorCode(err: unknown): string {
  const code = err && typeof err === 'object' && 'code' in err ? err.code : undefined;
  if (typeof code === 'string') return code;
  return err instanceof Error ? err.name : 'unknown';
}

const isLoopback = (url: URL): boolean => ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
