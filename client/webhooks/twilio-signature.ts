/**
 * Twilio signs each webhook with HMAC-SHA1 over the public URL it posted to plus the sorted form
 * parameters. The URL comes from configuration, never from the request's Host header, which a
 * caller controls.
 */
import twilio from 'twilio';

export function hasValidTwilioSignature(
  authToken: string,
  publicBaseUrl: string,
  pathAndQuery: string,
  params: Record<string, string>,
  headers: Record<string, string | string[] | undefined>,
): boolean {
  const header = headers['x-twilio-signature'] ?? headers['X-Twilio-Signature'];
  const signature = Array.isArray(header) ? header[0] : header;
  if (!signature) return false;
  return twilio.validateRequest(authToken, signature, publicUrl(publicBaseUrl, pathAndQuery), params);
}

function publicUrl(publicBaseUrl: string, pathAndQuery: string): string {
  return `${publicBaseUrl.replace(/\/$/, '')}${pathAndQuery.startsWith('/') ? '' : '/'}${pathAndQuery}`;
}
