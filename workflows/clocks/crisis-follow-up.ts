/**
 * Seed 003 I.7.a: every SUD crisis service is followed up within 24 hours with the member's other
 * care providers, including the managed care plan, to share and support relapse prevention.
 * Contacts with outside providers pass the consent rule first.
 */
import type { ClockInputOf } from '../../domain/clocks/requests';
import type { ClockState } from '../../domain/clocks/state';
import { CoordinationClock } from './coordination-clock';

export async function crisisFollowUp(input: ClockInputOf<'crisis-follow-up'>): Promise<ClockState> {
  const recipients = [...new Set([...input.providerIds, input.managedCarePlanId])];
  const clock = new CoordinationClock(input, new Date(0), recipients);
  const due = clock.deadlineAfter(input.crisisAt, input.policy.clocks.crisisFollowUpWithin);
  clock.state.dueAt = due.toISOString();
  const followedUp = (id: string) => clock.state.contacts.some((c) => c.with === id);

  return clock.run(async () => {
    await clock.knowProviders(recipients);
    await clock.wait('follow-up-providers', 'case-manager', due, () => recipients.every(followedUp), {
      items: recipients.map((id) => clock.contactItem(id)),
    });
    clock.met();
  });
}
