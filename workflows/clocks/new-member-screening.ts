/**
 * Seed 003 I.3: the initial screening of every new member within 90 calendar days of the
 * effective date of enrollment, with further attempts when contact fails (on the policy's
 * schedule: by default 2, then 5, then every 10 business days), and the outcome recorded.
 */
import { addDuration, endOfCalendarDayAfter, outsideQuietHours } from '../../domain/calendar';
import type { ClockInputOf } from '../../domain/clocks/requests';
import type { ClockState } from '../../domain/clocks/state';
import { CoordinationClock, now } from './coordination-clock';

export async function newMemberScreening(input: ClockInputOf<'initial-screening'>): Promise<ClockState> {
  const { calendar, clocks } = input.policy;
  const due = endOfCalendarDayAfter(input.enrolledOn, clocks.screeningWithinCalendarDays, calendar);
  const clock = new CoordinationClock(input, due, ['member']);
  const s = clock.state;
  const screened = () => s.screeningResult !== undefined;

  let lastAttemptAt = now();

  /** One contact attempt: a task for staff now, and a neutral "please call us" to the member outside quiet hours. */
  const attempt = async (n: number) => {
    s.attempts = n;
    lastAttemptAt = now();
    const facts = {
      stage: 'screen-new-member' as const,
      deadline: due.toISOString(),
      items: [`contact attempt ${n}: call the member and complete the initial screening`],
    };
    const toMember = async () => {
      const { quietHoursStart, quietHoursEnd } = input.policy.memberMessages;
      const sendAt = outsideQuietHours(now(), input.member.timeZone, quietHoursStart, quietHoursEnd);
      if (!(await clock.waitUntil(screened, sendAt)))
        await clock.notify('member', 'contact-request', `attempt-${n}`, {});
    };
    await Promise.all([clock.notify('case-manager', 'stage-request', `attempt-${n}`, facts), toMember()]);
  };

  /**
   * After a failed contact, the next attempt waits the scheduled gap (the last gap repeats).
   * Only a failure recorded since the latest attempt counts, so two failures logged for one
   * attempt do not skip a gap.
   */
  const attemptAgainWhenContactFails = async () => {
    for (let n = 2; ; n++) {
      const failedSinceLastAttempt = () => s.lastFailedAt !== undefined && new Date(s.lastFailedAt) >= lastAttemptAt;
      await clock.waitUntil(() => screened() || failedSinceLastAttempt());
      if (screened()) return;
      const gap = clocks.screeningRetryAfter[Math.min(n - 2, clocks.screeningRetryAfter.length - 1)]!;
      if (await clock.waitUntil(screened, addDuration(new Date(s.lastFailedAt!), gap, calendar))) return;
      await attempt(n);
    }
  };

  return clock.run(async () => {
    clock.inBackground(attemptAgainWhenContactFails);
    await clock.wait('screen-new-member', 'case-manager', due, screened, { request: () => attempt(1) });
    clock.met();
  });
}
