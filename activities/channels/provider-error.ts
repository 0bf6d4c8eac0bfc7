/**
 * A provider's error as it may leave the courier: for the send ledger, Temporal's failure and the
 * worker's logs. SMTP servers and Twilio name the recipient in their errors (nodemailer also lists
 * it in `rejected` and `rejectedErrors`, Twilio in "The 'To' number … is not a valid phone number"),
 * and the SDK logs every failed attempt with the whole error object. So the courier never rethrows
 * the provider's object: it throws a new error of the same name, with every address and phone
 * number masked and only the codes an operator needs kept.
 */
import { ApplicationFailure } from '@temporalio/common';

const EMAIL = /[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+\.[a-z]{2,}/gi;
// E.164 and the usual US spellings, e.g. +17075550987, (707) 555-0987, 707-555-0987.
const PHONE = /\+?\d?[\s.-]?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b/g;

/** The text with each email address and phone number replaced, and the recipient itself too. */
function maskContacts(text: string, recipient?: string): string {
  const masked = recipient ? text.split(recipient).join('[recipient]') : text;
  return masked.replace(EMAIL, '[address]').replace(PHONE, '[number]');
}

/** Codes worth keeping: nodemailer's `code` and `responseCode`, Twilio's `code` and `status`. */
const KEPT = ['code', 'responseCode', 'status', 'command'] as const;

export function providerErrorWithoutContacts(err: unknown, recipient: string): Error {
  const source = err instanceof Error ? err : new Error(String(err));
  const message = maskContacts(source.message, recipient);
  if (source instanceof ApplicationFailure) {
    // Its type and retry decision are what the workflow acts on; details could hold anything.
    return ApplicationFailure.create({
      message,
      type: source.type ?? undefined,
      nonRetryable: source.nonRetryable ?? undefined,
    });
  }
  const safe = new Error(message);
  safe.name = source.name;
  for (const key of KEPT) {
    const value = (source as unknown as Record<string, unknown>)[key];
    if (typeof value === 'number' || typeof value === 'string')
      Object.assign(safe, { [key]: typeof value === 'string' ? maskContacts(value, recipient) : value });
  }
  return safe;
}
