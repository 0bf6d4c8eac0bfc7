/**
 * Seed 003 I.2.b.ix (1): notify the managed care plan by phone, secure email or fax within 24
 * hours of a residential SUD admission or discharge; escalate when the plan has not confirmed.
 * A transfer leaving (or entering) residential treatment starts this as a child workflow.
 * The notice names the member as the plan knows them, so it is a disclosure: under Part 2 it
 * waits for the member's written consent naming the plan, and it is written to the disclosure log.
 */
import type { ClockInputOf } from '../../domain/clocks/requests';
import type { ClockState } from '../../domain/clocks/state';
import { CoordinationClock } from './coordination-clock';

export async function residentialPlanNotice(input: ClockInputOf<'residential-notice'>): Promise<ClockState> {
  const clock = new CoordinationClock(input, new Date(0), [input.managedCarePlanId]);
  const due = clock.deadlineAfter(input.occurredAt, input.policy.residentialNoticeWithin);
  clock.state.dueAt = due.toISOString();
  const plan = input.managedCarePlanId;
  const confirmed = () => clock.state.planConfirmedAt !== undefined;
  const consented = () => clock.mayContact(plan);

  return clock.run(async () => {
    await clock.knowProviders([plan]);
    // 42 CFR Part 2: the plan may hear of a residential SUD stay only with the member's written consent.
    if (!consented()) {
      await clock.wait('notify-plan', 'case-manager', due, consented, {
        items: [
          `record the member's signed consent naming ${plan} (42 CFR Part 2); the notice goes to the plan once it is on file`,
        ],
      });
    }
    await clock.wait('notify-plan', 'managed-care-plan', due, confirmed, {
      request: async () => {
        const sent = await clock.notify('managed-care-plan', `residential-${input.event}`, 'notice', {
          occurredAt: input.occurredAt,
          deadline: due.toISOString(),
        });
        if (sent.status === 'sent' || sent.status === 'duplicate') {
          // Secure email: the notice itself is the coordination action; the plan's confirmation is awaited.
          clock.met();
          clock.noteAction({
            action: `residential ${input.event} notice to ${input.managedCarePlanId}`,
            narrative: `Notified the managed care plan (${input.managedCarePlanId}) by secure email of the member's residential ${input.event}, within 24 hours as required.`,
            followUp: 'Coordinate appropriate follow-up services with the plan contact.',
          });
        } else {
          // The plan takes notices by phone or fax: the case manager makes that contact. Recording
          // it (contact-made) meets the 24 hours; the plan's confirmation is still awaited.
          clock.state.waitingOn = 'case-manager';
          clock.publish();
          clock.inBackground(async () => {
            await clock.waitUntil(() => clock.state.contacts.some((c) => c.with === input.managedCarePlanId));
            clock.met();
          });
        }
      },
    });
    clock.met();
  });
}
