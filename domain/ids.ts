/**
 * Referral ids are opaque: never a medical record number or a name, because they appear in
 * workflow ids, search attributes, logs and partner links.
 */
import { z } from 'zod';

export const ReferralId = z.string().regex(/^R-[0-9A-HJKMNP-TV-Z]{10}$/, 'expected a referral id like R-7K3M9Q2XWD');
export type ReferralId = z.infer<typeof ReferralId>;

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U

/** A new referral id from a source of random bytes (crypto outside workflows). */
export function newReferralId(randomBytes: (n: number) => Uint8Array): ReferralId {
  const bytes = randomBytes(10);
  return `R-${Array.from(bytes, (b) => ALPHABET[b % 32]).join('')}`;
}

export const workflowIdFor = (referralId: string): string => `transition-${referralId}`;
export const TASK_QUEUE = 'referrals';
export const WORKFLOW_TYPE = 'levelOfCareTransition';
