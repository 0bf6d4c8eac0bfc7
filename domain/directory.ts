/**
 * The directory of sending programs, receiving providers and managed care plans, with the
 * contacts the ladder needs. Read from a validated configuration file (config/directory.json).
 */
import { z } from 'zod';
import type { RecipientFacts } from './consent';

const Id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'expected a directory id: lowercase letters, digits and dashes');
const Contact = z.object({ name: z.string().min(1), email: z.email(), phone: z.string().min(7).optional() }).strict();

export const SendingProgram = z
  .object({
    id: Id,
    name: z.string().min(1),
    /** Said to members who text HELP: a program name that reveals no diagnosis. */
    publicName: z.string().min(1),
    helpPhone: z.string().min(7),
    clinicDirector: Contact,
    /** Level 3 when the county or the member is late (domain/ladder.ts); the clinic director when none is named. */
    programManager: Contact.optional(),
    caseManagers: z.array(Contact.extend({ id: Id })).min(1),
  })
  .strict();
export type SendingProgram = z.infer<typeof SendingProgram>;

export const ReceivingProvider = z
  .object({
    id: Id,
    name: z.string().min(1),
    intakeEmail: z.email(),
    phone: z.string().min(7).optional(),
    inMentalHealthPlan: z.boolean(),
    sharedEhr: z.boolean(),
    /** Classes a consent may name instead of the provider, e.g. "county-sud-outpatient". */
    classes: z.array(z.string().min(1)).default([]),
    /** Its system follows referrals over FHIR (docs/fhir.md): packet emails carry the Task's URL and token. */
    fhirTask: z.boolean().default(false),
    contractMonitor: Contact,
  })
  .strict();
export type ReceivingProvider = z.infer<typeof ReceivingProvider>;

export const ManagedCarePlan = z
  .object({
    id: Id,
    name: z.string().min(1),
    notificationEmail: z.email(),
    /**
     * How the plan wants admission and discharge notices (seed 003 I.2.b.ix: phone, secure email or
     * fax). Secure email is sent by the system; phone and fax become a task for the case manager.
     */
    notificationChannel: z.enum(['secure-email', 'fax', 'phone']).default('secure-email'),
    fax: z.string().min(7).optional(),
    phone: z.string().min(7).optional(),
    /** Classes a consent may name instead of the plan, e.g. "medi-cal-managed-care-plan". */
    classes: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .refine((p) => p.notificationChannel === 'secure-email' || p[p.notificationChannel] !== undefined, {
    message: "the plan's fax or phone number is missing for its notification channel",
    path: ['notificationChannel'],
  });
export type ManagedCarePlan = z.infer<typeof ManagedCarePlan>;

export const Directory = z
  .object({
    programs: z.array(SendingProgram).min(1),
    providers: z.array(ReceivingProvider).min(1),
    managedCarePlans: z.array(ManagedCarePlan).default([]),
    /** Who the watchdog emails when a transfer's workflow tasks keep failing (worker/task-watchdog.ts). */
    onCall: Contact.default({ name: 'Referrals on-call', email: 'referrals-oncall@county.example.org' }),
  })
  .strict()
  .superRefine((dir, ctx) => {
    const seen = new Set<string>();
    const all = [
      ...dir.programs,
      ...dir.providers,
      ...dir.managedCarePlans,
      ...dir.programs.flatMap((p) => p.caseManagers),
    ];
    for (const entry of all) {
      if (seen.has(entry.id)) ctx.addIssue({ code: 'custom', message: `duplicate directory id ${entry.id}` });
      seen.add(entry.id);
    }
  });
export type Directory = z.infer<typeof Directory>;

export function findProgram(dir: Directory, id: string): SendingProgram | undefined {
  return dir.programs.find((p) => p.id === id);
}
export function findProvider(dir: Directory, id: string): ReceivingProvider | undefined {
  return dir.providers.find((p) => p.id === id);
}
export function findPlan(dir: Directory, id: string | undefined): ManagedCarePlan | undefined {
  return dir.managedCarePlans.find((p) => p.id === id);
}
/** What the directory says of a receiving provider or a managed care plan that bears on consent; undefined when neither is listed. */
export function recipientFacts(dir: Directory, id: string): RecipientFacts | undefined {
  const p = findProvider(dir, id);
  if (p)
    return { providerId: p.id, inMentalHealthPlan: p.inMentalHealthPlan, sharedEhr: p.sharedEhr, classes: p.classes };
  const plan = findPlan(dir, id);
  return (
    plan && {
      providerId: plan.id,
      inMentalHealthPlan: false,
      sharedEhr: false,
      classes: plan.classes,
      managedCarePlan: true,
    }
  );
}
/** Who hears level 3 of a step the county or the member owes. */
export function countyEscalationContact(program: SendingProgram): z.infer<typeof Contact> {
  return program.programManager ?? program.clinicDirector;
}

export function findCaseManager(dir: Directory, programId: string, id: string) {
  return findProgram(dir, programId)?.caseManagers.find((c) => c.id === id);
}
