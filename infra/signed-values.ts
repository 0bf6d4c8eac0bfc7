/**
 * HMAC signing of partner links, and one key per purpose from a secret. Cookies and CSRF tokens
 * are signed by @fastify/cookie and @fastify/csrf-protection (web/csrf.ts), not here.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function hmac(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value).digest('base64url');
}

/** Derives a key for one purpose, so a value signed for one use never verifies for another. */
export function deriveKey(secret: Buffer | string, purpose: string): Buffer {
  return createHmac('sha256', secret).update(purpose).digest();
}

/** Constant-time check of `signature` against the HMAC of `value`. */
export function hmacMatches(key: Buffer, value: string, signature: string): boolean {
  const expected = hmac(key, value);
  return signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}
