/**
 * The partner's single-purpose action links in packet emails. PLACEHOLDER: the web issue replaces
 * this function with signed, expiring links; until then the URL is clearly marked as unsigned.
 */
export type PartnerAction = 'acknowledge' | 'schedule' | 'decline';
export const PARTNER_ACTIONS: PartnerAction[] = ['acknowledge', 'schedule', 'decline'];

export function partnerActionUrl(referralId: string, action: PartnerAction, baseUrl = 'http://localhost:8080'): string {
  return `${baseUrl.replace(/\/$/, '')}/partner/${encodeURIComponent(referralId)}/${action}?placeholder=unsigned-link`;
}
