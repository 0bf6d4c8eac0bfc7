/** What staff give to start a coordination clock, validated at the edge; the workflow input adds id and policy. */
import { z } from 'zod';
import { Consent, type RecipientFacts } from '../consent';
import { recipientFacts, type Directory } from '../directory';
import type { Policy } from '../policy';
import { isResidential, LevelOfCare } from '../stages';
import { Member } from '../transfer';
import { ClockId } from './kinds';

const DirectoryId = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'expected a directory id');
const IsoInstant = z.iso.datetime({ offset: true });

const common = {
  clockId: ClockId.optional(),
  member: Member,
  /** The program responsible for the member: its case manager gets the tasks, its director the escalations. */
  programId: DirectoryId,
  caseManagerId: DirectoryId,
  /** Records include SUD treatment information (42 CFR Part 2): contacts with outside providers need consent. */
  partTwo: z.boolean(),
  sequestered: z.boolean().default(false),
  /** Consents already on file, for clocks that contact providers (more can be recorded as events). */
  consents: z.array(Consent).max(20).default([]),
};
const clock = <K extends string, S extends z.ZodRawShape>(kind: K, shape: S) =>
  z.object({ kind: z.literal(kind), ...common, ...shape }).strict();

export const ClockRequest = z.discriminatedUnion('kind', [
  clock('residential-notice', {
    event: z.enum(['admission', 'discharge']),
    occurredAt: IsoInstant,
    levelOfCare: LevelOfCare.refine(isResidential, 'expected a residential level of care'),
    managedCarePlanId: DirectoryId,
    /** The transfer this notice belongs to, when a transfer started it. */
    referralId: z.string().optional(),
  }),
  clock('crisis-follow-up', {
    crisisAt: IsoInstant,
    /** The member's other care providers (directory ids); the plan is always included. */
    providerIds: z.array(DirectoryId).max(20).default([]),
    managedCarePlanId: DirectoryId,
  }),
  clock('mat-referral', {
    requestedAt: IsoInstant,
    /** The MAT or narcotic treatment program provider (directory id). */
    providerId: DirectoryId,
    managedCarePlanId: DirectoryId.optional(),
  }),
  clock('problem-list-update', {
    changedAt: IsoInstant,
    crisis: z.boolean().default(false),
    managedCarePlanId: DirectoryId.optional(),
  }),
  clock('initial-screening', {
    enrolledOn: z.iso.date('expected the enrollment date like 2026-12-01'),
    managedCarePlanId: DirectoryId.optional(),
  }),
  clock('monthly-plan-coordination', {
    managedCarePlanId: DirectoryId,
    /** The first month to coordinate, YYYY-MM; defaults to the current month. */
    firstMonth: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month like 2026-12')
      .optional(),
  }),
]);
export type ClockRequest = z.infer<typeof ClockRequest>;
export type ClockRequestInput = z.input<typeof ClockRequest>;

export type ClockInputOf<K extends ClockRequest['kind']> = Omit<Extract<ClockRequest, { kind: K }>, 'clockId'> & {
  clockId: string;
  policy: Policy;
  /**
   * The providers the clock contacts, as the directory described them at the start (read like
   * the policy, so the first workflow task needs no lookup; the clock looks up any missing).
   */
  providers?: RecipientFacts[];
};
export type ClockInput = { [K in ClockRequest['kind']]: ClockInputOf<K> }[ClockRequest['kind']];

/** The workflow's input: the request, its clock id, and what is read once at the start (the policy and the providers). */
export function clockInput(request: ClockRequest, clockId: string, policy: Policy, directory: Directory): ClockInput {
  const providerIds =
    'providerIds' in request ? request.providerIds : 'providerId' in request ? [request.providerId] : [];
  // The plan too: contacts with it pass the same consent rule (Part 2).
  const ids = request.managedCarePlanId ? [...providerIds, request.managedCarePlanId] : providerIds;
  const providers = ids.flatMap((id) => recipientFacts(directory, id) ?? []);
  return { ...request, clockId, policy, providers } as ClockInput;
}
