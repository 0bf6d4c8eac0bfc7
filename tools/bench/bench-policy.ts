/**
 * A policy for real-time runs on the dev server: hour-long deadlines (no reminder fires while a
 * lifecycle takes seconds), one member reminder a second before the appointment, no quiet hours,
 * and every hour of every day a business hour (a bench at night or on a Sunday must not wait for
 * the county to open before writing to the partner).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Policy, type PolicyInput } from '../../domain/policy';
import { REFERRAL_STAGES } from '../../domain/stages';

export function benchPolicy(): PolicyInput {
  return {
    calendar: {
      timeZone: 'America/Los_Angeles',
      holidays: [],
      businessDays: [1, 2, 3, 4, 5, 6, 7],
      businessHours: { start: '00:00', end: '24:00' },
    },
    deadlines: Object.fromEntries(REFERRAL_STAGES.map((stage) => [stage, { hours: 1 }])) as PolicyInput['deadlines'],
    urgentDeadlines: {},
    memberMessages: {
      quietHoursStart: '00:00',
      quietHoursEnd: '00:00',
      appointmentRemindersBefore: [{ hours: 1 / 3600 }],
    },
  };
}

/** Writes the policy (validated) into `dir` and returns the file, for REFERRALS_POLICY_FILE. */
export function writeBenchPolicy(dir: string): string {
  const file = path.join(dir, 'bench-policy.json');
  writeFileSync(file, JSON.stringify(Policy.parse(benchPolicy()), null, 2));
  return file;
}
