/**
 * HMAC signing of small values (session cookies, CSRF tokens, partner links) and cookie parsing,
 * shared by the codec server and the web app so there is one way to sign and compare.
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

export function parseCookies(header: string | undefined): Record<string, string> {
  const jar: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) jar[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return jar;
}
