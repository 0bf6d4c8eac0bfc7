import { createHash } from 'node:crypto';

/**
 * The Message-ID of the email sent for a business key: the same key always gives the same id,
 * so a resend after a crash is recognisably the same message to the receiver and in the ledger.
 * Hashed so the key (which holds a referral id) does not show in mail headers.
 */
export function messageIdFor(key: string, domain: string): string {
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 40)}@${domain}>`;
}
