/** A member's signed consent for the sample member, as staff record it: every packet category, no expiry date. */
import type { Consent } from '../../domain/consent';

export function consentFor(recipients: Consent['recipients'], overrides: Partial<Consent> = {}): Consent {
  return {
    consentId: 'C-1',
    memberId: 'M-100234',
    discloserProgramId: 'north-county-residential',
    recipients,
    categories: [
      'member-information',
      'transition-of-care-tool',
      'assessments',
      'diagnosis',
      'risk-assessments',
      'recent-service-notes',
      'discharge-summary',
    ],
    purpose: 'Continuity of care at the new level of care',
    expiration: { event: 'end of treatment at the receiving provider' },
    signedAt: '2020-01-01T00:00:00Z',
    signedBy: { kind: 'member' },
    toldOfRightToRevoke: true,
    ...overrides,
  };
}
