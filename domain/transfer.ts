/** What intake staff give to start a transfer, and what the workflow receives. */
import { z } from 'zod';
import type { RecipientFacts } from './consent';
import { recipientFacts, type Directory } from './directory';
import { ReferralId } from './ids';
import { Policy } from './policy';
import { LevelOfCare, Urgency } from './stages';

const DirectoryId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'expected a directory id');

export const Member = z
  .object({
    /** The member's id in the EHR: used to fetch documents, never shown in ids or search attributes. */
    memberId: z.string().min(1).max(100),
    /** Health information like the rest of the input: encrypted in payloads, never in logs, ids or search attributes. Required by the web form; optional here for older callers. */
    name: z.string().trim().min(1).max(200).optional(),
    dateOfBirth: z.iso.date('expected a date like 1980-04-30').optional(),
    phone: z
      .string()
      .regex(/^\+[1-9]\d{7,14}$/, 'expected a phone number in E.164 form, like +15105550123')
      .optional(),
    email: z.email().optional(),
    /**
     * The member as the managed care plan knows them: the Medi-Cal CIN or the plan's own member id.
     * Plan notices name the member by it (seed 003 I.2.b.ix); without it they become a task.
     */
    planMemberId: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{4,40}$/, "expected the plan's member id or Medi-Cal CIN, like 91234567A")
      .optional(),
    language: z.enum(['en', 'es']).default('en'),
    timeZone: z.string().default('America/Los_Angeles'),
    contactPreferences: z.array(z.enum(['sms', 'email'])).default(['sms', 'email']),
  })
  .strict();
export type Member = z.infer<typeof Member>;

export const TransferRequest = z
  .object({
    referralId: ReferralId.optional(),
    member: Member,
    sendingProgramId: DirectoryId,
    caseManagerId: DirectoryId,
    receivingProviderId: DirectoryId,
    fromLevelOfCare: LevelOfCare,
    toLevelOfCare: LevelOfCare,
    urgency: Urgency.default('routine'),
    /** Records include SUD treatment information (42 CFR Part 2). */
    partTwo: z.boolean(),
    /** The member's chart is sequestered (seed 004). */
    sequestered: z.boolean().default(false),
    reason: z.string().min(1).max(2000),
    managedCarePlanId: DirectoryId.optional(),
  })
  .strict();
export type TransferRequest = z.infer<typeof TransferRequest>;
export type TransferRequestInput = z.input<typeof TransferRequest>;

export type TransitionInput = Omit<TransferRequest, 'referralId'> & {
  referralId: string;
  policy: Policy;
  /**
   * The receiving provider as the directory described it at the start, read like the policy by
   * whoever starts the transfer, so the first workflow task needs no lookup (without it the
   * workflow looks the provider up).
   */
  recipient?: RecipientFacts;
  /** The managed care plan as the directory described it at the start, for the consent rule on plan notices. */
  plan?: RecipientFacts;
};

/** The workflow's input: the request, its referral id, and what is read once at the start (the policy and the receiving provider). */
export function transitionInput(
  request: TransferRequest,
  referralId: string,
  policy: Policy,
  directory: Directory,
): TransitionInput {
  const plan = request.managedCarePlanId ? recipientFacts(directory, request.managedCarePlanId) : undefined;
  return {
    ...request,
    referralId,
    policy,
    recipient: recipientFacts(directory, request.receivingProviderId),
    ...(plan ? { plan } : {}),
  };
}
