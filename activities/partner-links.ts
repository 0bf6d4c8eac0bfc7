/**
 * The partner's single-purpose action links in packet emails and on partner pages. Each link is
 * bound to one transfer, one action and one provider, expires, and is signed (HMAC) with the web
 * secret, so a partner needs no account and cannot alter what the link does. "Used once" is read
 * from the transfer's timeline (web/partner-link-use.ts), not stored here.
 */
import type { ReferralStage } from '../domain/stages';
import { hmac, hmacMatches } from '../infra/signed-values';

const PARTNER_ACTIONS = ['acknowledge', 'decline', 'schedule', 'attended', 'no-show'] as const;
export type PartnerAction = (typeof PARTNER_ACTIONS)[number];

/**
 * What a partner can do at each stage that waits on them: every message to the partner in that
 * stage (the packet email, its reminders, the attendance request) carries exactly these links,
 * whoever moved the transfer there (a partner link, staff in the web app or the CLI).
 */
export const PARTNER_ACTIONS_BY_STAGE: Partial<Record<ReferralStage, PartnerAction[]>> = {
  'send-packet': ['acknowledge', 'schedule', 'decline'],
  'confirm-scheduled': ['schedule', 'decline'],
  'confirm-attendance': ['attended', 'no-show'],
};

export interface PartnerLinkClaims {
  referralId: string;
  providerId: string;
  action: PartnerAction;
  /** Milliseconds since the epoch. */
  issuedAt: number;
  expiresAt: number;
}

export type LinkCheck = { ok: true; claims: PartnerLinkClaims } | { ok: false; why: 'invalid' | 'expired' };

/** A partner system's access to one referral's FHIR Task and ServiceRequest (web/fhir-routes.ts). */
export interface FhirAccessClaims {
  referralId: string;
  providerId: string;
  scope: 'fhir';
  issuedAt: number;
  expiresAt: number;
}

export class PartnerLinks {
  constructor(
    private readonly key: Buffer,
    private readonly baseUrl: string,
    private readonly ttlHours: number,
  ) {}

  token(referralId: string, providerId: string, action: PartnerAction, now = Date.now()): string {
    return this.sign({ referralId, providerId, action, issuedAt: now, expiresAt: now + this.ttlHours * 3_600_000 });
  }

  /** A bearer token for the partner's system: reads and moves this referral's Task, nothing else. */
  fhirToken(referralId: string, providerId: string, now = Date.now()): string {
    return this.sign({
      referralId,
      providerId,
      scope: 'fhir',
      issuedAt: now,
      expiresAt: now + this.ttlHours * 3_600_000,
    });
  }

  checkFhirToken(token: string, now = Date.now()): FhirAccessClaims | null {
    const claims = this.verify(token);
    return claims?.scope === 'fhir' && Number(claims.expiresAt) > now ? (claims as unknown as FhirAccessClaims) : null;
  }

  private sign(claims: PartnerLinkClaims | FhirAccessClaims): string {
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${body}.${hmac(this.key, body)}`;
  }

  private verify(token: string): Record<string, unknown> | null {
    const [body = '', signature = '', extra] = token.split('.');
    if (extra !== undefined || !hmacMatches(this.key, body, signature)) return null;
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Record<string, unknown>;
  }

  url(referralId: string, providerId: string, action: PartnerAction, now = Date.now()): string {
    return `${this.baseUrl.replace(/\/$/, '')}/partner/${this.token(referralId, providerId, action, now)}`;
  }

  fhirTaskUrl(referralId: string): string {
    return `${this.baseUrl.replace(/\/$/, '')}/fhir/Task/${referralId}`;
  }

  check(token: string, now = Date.now()): LinkCheck {
    const claims = this.verify(token);
    // A FHIR token is not a link: it has no action.
    if (!claims || !(PARTNER_ACTIONS as readonly unknown[]).includes(claims.action))
      return { ok: false, why: 'invalid' };
    const link = claims as unknown as PartnerLinkClaims;
    return link.expiresAt > now ? { ok: true, claims: link } : { ok: false, why: 'expired' };
  }
}
