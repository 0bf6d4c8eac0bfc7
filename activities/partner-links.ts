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

export class PartnerLinks {
  constructor(
    private readonly key: Buffer,
    private readonly baseUrl: string,
    private readonly ttlHours: number,
  ) {}

  token(referralId: string, providerId: string, action: PartnerAction, now = Date.now()): string {
    const claims: PartnerLinkClaims = {
      referralId,
      providerId,
      action,
      issuedAt: now,
      expiresAt: now + this.ttlHours * 3_600_000,
    };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${body}.${hmac(this.key, body)}`;
  }

  url(referralId: string, providerId: string, action: PartnerAction, now = Date.now()): string {
    return `${this.baseUrl.replace(/\/$/, '')}/partner/${this.token(referralId, providerId, action, now)}`;
  }

  check(token: string, now = Date.now()): LinkCheck {
    const [body = '', signature = '', extra] = token.split('.');
    if (extra !== undefined || !hmacMatches(this.key, body, signature)) return { ok: false, why: 'invalid' };
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as PartnerLinkClaims;
    return claims.expiresAt > now ? { ok: true, claims } : { ok: false, why: 'expired' };
  }
}
