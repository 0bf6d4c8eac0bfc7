/**
 * The county's policy settings. Read from configuration at start and passed to the workflow
 * as input, so a running transfer keeps the policy it began with (DESIGN.md, "Policy").
 * Every default below is DESIGN.md's number; a county changes them in config/policy.json.
 */
import { z } from 'zod';
import { Duration } from './durations';
import { ReferralStage } from './stages';

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time as HH:MM');

export const CalendarSettings = z
  .object({
    timeZone: z.string().refine(isKnownTimeZone, 'unknown IANA time zone').default('America/Los_Angeles'),
    holidays: z.array(IsoDate).default([]),
    /** ISO weekdays the county works (1 Monday ... 7 Sunday): business-day deadlines count these. */
    businessDays: z.array(z.number().int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5]),
    /** When partners and staff are written to: business days, between these wall-clock times in the county's zone. */
    businessHours: z
      .object({ start: ClockTime, end: z.union([ClockTime, z.literal('24:00')]) })
      .strict()
      .refine((h) => h.start < h.end, { message: 'start must be before end', path: ['end'] })
      .default({ start: '08:00', end: '18:00' }),
  })
  .strict();
export type CalendarSettings = z.infer<typeof CalendarSettings>;

const ClockSettings = z
  .object({
    /** I.7.a: follow-up to the member's other providers and the plan after a SUD crisis service. */
    crisisFollowUpWithin: Duration.default({ hours: 24 }),
    /** I.8.a.iv: the MAT referral goes out within this time of the request. */
    matReferralWithin: Duration.default({ hours: 24 }),
    /** I.8.a.i: the follow-up phone call after the referral is sent. */
    matFollowUpCallWithin: Duration.default({ businessDays: 1 }),
    /** I.8.a.ii: the appointment is confirmed within this time of the referral. */
    matAppointmentWithin: Duration.default({ businessDays: 3 }),
    /** I.2.e: the problem list is updated within 72 hours of a change, 24 for crisis items. */
    problemListWithin: Duration.default({ hours: 72 }),
    problemListCrisisWithin: Duration.default({ hours: 24 }),
    /** I.3: initial screening within 90 calendar days of the enrollment date. */
    screeningWithinCalendarDays: z.number().int().min(1).max(365).default(90),
    /** I.3: after a failed contact, the next attempt waits this long; the last gap repeats. */
    screeningRetryAfter: z
      .array(Duration)
      .min(1)
      .max(10)
      .default([{ businessDays: 2 }, { businessDays: 5 }, { businessDays: 10 }]),
    /** I.2.b: months of plan-coordination evidence a monthly clock carries across continue-as-new. */
    monthlyEvidenceKept: z.number().int().min(1).max(120).default(24),
  })
  .strict();
type ClockSettings = z.infer<typeof ClockSettings>;

const DEFAULT_DEADLINES: Record<ReferralStage, Duration> = {
  'inform-member': { businessDays: 2 },
  'assemble-packet': { businessDays: 2 },
  'obtain-consent': { businessDays: 5 },
  'send-packet': { businessDays: 1 },
  'confirm-scheduled': { businessDays: 10 },
  // Until the appointment itself; this bound only applies when no appointment is known.
  'warm-handoff': { businessDays: 10 },
  'confirm-attendance': { businessDays: 1 },
  'close-episode': { businessDays: 3 },
};

export const Policy = z
  .object({
    calendar: CalendarSettings.default(CalendarSettings.parse({})),
    deadlines: z.record(ReferralStage, Duration).default(DEFAULT_DEADLINES),
    /** Stages whose deadline counts clock hours for an urgent referral. */
    urgentDeadlines: z.partialRecord(ReferralStage, Duration).default({ 'confirm-scheduled': { hours: 48 } }),
    /** Time staff have to choose another provider after a partner declines. */
    chooseProviderDeadline: Duration.default({ businessDays: 2 }),
    ladder: z
      .object({
        /** Reminders to whoever is awaited, as fractions of the stage's deadline ("repeated requests"). */
        reminderFractions: z.array(z.number().positive().max(1)).min(1).default([0.5, 1]),
        clinicDirectorAfterDeadline: Duration.default({ businessDays: 1 }),
        contractMonitorAfterDeadline: Duration.default({ businessDays: 3 }),
      })
      .strict()
      .default({
        reminderFractions: [0.5, 1],
        clinicDirectorAfterDeadline: { businessDays: 1 },
        contractMonitorAfterDeadline: { businessDays: 3 },
      }),
    /** No-shows allowed before the transfer ends lost-to-follow-up. */
    allowedReschedules: z.number().int().min(0).max(10).default(2),
    memberMessages: z
      .object({
        quietHoursStart: ClockTime.default('21:00'),
        quietHoursEnd: ClockTime.default('08:00'),
        appointmentRemindersBefore: z.array(Duration).default([{ hours: 48 }, { hours: 2 }]),
        /** Frequency caps on reminders to a member, in the member's calendar days. */
        remindersPerDay: z.number().int().min(1).default(1),
        remindersPerWeek: z.number().int().min(1).default(3),
      })
      .strict()
      .default({
        quietHoursStart: '21:00',
        quietHoursEnd: '08:00',
        appointmentRemindersBefore: [{ hours: 48 }, { hours: 2 }],
        remindersPerDay: 1,
        remindersPerWeek: 3,
      }),
    /** Residential discharge: the managed care plan is told within this time (seed 003 I.2.b.ix). */
    residentialNoticeWithin: Duration.default({ hours: 24 }),
    /** The other care-coordination clocks (seed 003; domain/clocks). */
    clocks: ClockSettings.default(ClockSettings.parse({})),
  })
  .strict();
export type Policy = z.infer<typeof Policy>;
export type PolicyInput = z.input<typeof Policy>;

export function defaultPolicy(): Policy {
  return Policy.parse({});
}

function isKnownTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
