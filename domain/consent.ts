/**
 * The consent rule (DESIGN.md, "Consent"; seeds 002, 003 I.2.a.iv and I.6, 004; 42 CFR Part 2; HIPAA).
 * This file is the one place that decides whether a disclosure needs consent and whether a
 * consent on record allows it.
 */
import { z } from 'zod';
import { DisclosureCategory } from './packet';

const IsoInstant = z.iso.datetime({ offset: true });

const ConsentRecipient = z.union([
  z.object({ providerId: z.string().min(1) }).strict(),
  z.object({ providerClass: z.string().min(1) }).strict(),
]);

export const Consent = z
  .object({
    consentId: z.string().min(1).max(100),
    memberId: z.string().min(1).max(100),
    /** Who may disclose: the sending program's directory id. */
    discloserProgramId: z.string().min(1),
    recipients: z.array(ConsentRecipient).min(1),
    categories: z.array(DisclosureCategory).min(1),
    purpose: z.string().min(1).max(500),
    expiration: z.union([
      z.object({ date: IsoInstant }).strict(),
      z.object({ event: z.string().min(1).max(200) }).strict(),
    ]),
    signedAt: IsoInstant,
    signedBy: z.union([
      z.object({ kind: z.literal('member') }).strict(),
      z
        .object({ kind: z.literal('representative'), name: z.string().min(1), relationship: z.string().min(1) })
        .strict(),
    ]),
    toldOfRightToRevoke: z.literal(true, { error: 'the member must be told of the right to revoke' }),
  })
  .strict();
export type Consent = z.infer<typeof Consent>;

/** What the directory knows of a receiving provider (or a managed care plan) that bears on consent. */
export interface RecipientFacts {
  /** The provider's or the plan's directory id. */
  providerId: string;
  inMentalHealthPlan: boolean;
  sharedEhr: boolean;
  classes: string[];
  /** A managed care plan the county coordinates care with under its agreement (seed 003 I.2.b). */
  managedCarePlan?: boolean;
}

export interface DisclosureContext {
  partTwo: boolean;
  sequestered: boolean;
}

export type ConsentOnRecord = Consent & { revokedAt?: string };

/** Why a disclosure to this recipient needs written consent; empty when it needs none. */
export function consentReasons(ctx: DisclosureContext, recipient: RecipientFacts): string[] {
  const reasons: string[] = [];
  if (ctx.partTwo) reasons.push('records include substance use disorder treatment information (42 CFR Part 2)');
  // The plan's notices and coordination are the county's duty under its agreement with the plan
  // (HIPAA treatment and operations): only Part 2 and a sequestered chart ask consent for them.
  if (!recipient.managedCarePlan) {
    if (!recipient.inMentalHealthPlan) reasons.push('recipient is outside the Mental Health Plan');
    if (!recipient.sharedEhr) reasons.push('recipient is outside the shared EHR');
  }
  if (ctx.sequestered) reasons.push("the member's chart is sequestered");
  return reasons;
}

function consentRequired(ctx: DisclosureContext, recipient: RecipientFacts): boolean {
  return consentReasons(ctx, recipient).length > 0;
}

/** Whether this consent, as of `now`, allows disclosure to the recipient. */
function consentCovers(consent: ConsentOnRecord, recipient: RecipientFacts, now: Date): boolean {
  if (consent.revokedAt !== undefined) return false;
  if (new Date(consent.signedAt).getTime() > now.getTime()) return false;
  if ('date' in consent.expiration && new Date(consent.expiration.date).getTime() <= now.getTime()) return false;
  return consent.recipients.some((r) =>
    'providerId' in r ? r.providerId === recipient.providerId : recipient.classes.includes(r.providerClass),
  );
}

/** The newest consent on record that allows disclosure to the recipient now, if any. */
export function validConsentFor(
  consents: readonly ConsentOnRecord[],
  recipient: RecipientFacts,
  now: Date,
): ConsentOnRecord | undefined {
  return [...consents].reverse().find((c) => consentCovers(c, recipient, now));
}

export type DisclosureDecision =
  { allowed: true; consent?: ConsentOnRecord; elements: DisclosureCategory[] } | { allowed: false; reason: string };

/**
 * The gate every disclosure to a partner passes: nothing goes out before a valid, unexpired
 * consent naming that partner (or a class that includes it) when one is needed, and the packet
 * holds only the categories that consent covers.
 */
export function decideDisclosure(
  ctx: DisclosureContext,
  recipient: RecipientFacts,
  consents: readonly ConsentOnRecord[],
  elements: readonly DisclosureCategory[],
  now: Date,
): DisclosureDecision {
  if (!consentRequired(ctx, recipient)) return { allowed: true, elements: [...elements] };
  const consent = validConsentFor(consents, recipient, now);
  if (!consent) return { allowed: false, reason: 'no valid written consent names this recipient' };
  const covered = elements.filter((e) => consent.categories.includes(e));
  if (covered.length === 0) return { allowed: false, reason: 'the consent covers none of the packet categories' };
  return { allowed: true, consent, elements: covered };
}

/** Whether the partner may be contacted about this member at all (reminders included). */
export function mayContactRecipient(
  ctx: DisclosureContext,
  recipient: RecipientFacts,
  consents: readonly ConsentOnRecord[],
  now: Date,
): boolean {
  return !consentRequired(ctx, recipient) || validConsentFor(consents, recipient, now) !== undefined;
}
