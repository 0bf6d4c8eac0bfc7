/**
 * Seed 003 I.8.a, when medication-assisted treatment needs are identified:
 *   iv. refer within 24 hours of the request            -> refer-for-mat
 *   i.  by secure email or fax, and a follow-up call    -> follow-up-call
 *   ii. confirm the scheduled appointment               -> confirm-appointment
 *   iii. assist with transportation                     -> arrange-transportation
 * Staff send the referral (it discloses SUD information, so the consent rule is checked first).
 */
import type { ClockInputOf } from '../../domain/clocks/requests';
import type { ClockState } from '../../domain/clocks/state';
import { CoordinationClock } from './coordination-clock';

export async function medicationAssistedTreatmentReferral(input: ClockInputOf<'mat-referral'>): Promise<ClockState> {
  const { clocks } = input.policy;
  const clock = new CoordinationClock(input, new Date(0), [input.providerId]);
  const due = clock.deadlineAfter(input.requestedAt, clocks.matReferralWithin);
  clock.state.dueAt = due.toISOString();
  const s = clock.state;
  const provider = () => [clock.contactItem(input.providerId)];

  return clock.run(async () => {
    await clock.knowProviders([input.providerId]);

    // iv. and i.: the referral goes out within 24 hours of the request.
    await clock.wait('refer-for-mat', 'case-manager', due, () => s.referralSent !== undefined, { items: provider() });
    clock.met();
    const sentAt = s.referralSent!.at;

    // i. The follow-up phone call to the provider.
    const called = () => s.contacts.some((c) => c.with === input.providerId && c.at >= sentAt);
    await clock.wait(
      'follow-up-call',
      'case-manager',
      clock.deadlineAfter(sentAt, clocks.matFollowUpCallWithin),
      () => called() || s.appointment !== undefined,
      { items: provider() },
    );

    // ii. Confirm the scheduled appointment (the provider is awaited: its contract monitor hears of a lapse).
    // Often confirmed during the call already: then there is nothing to ask for.
    if (!s.appointment)
      await clock.wait(
        'confirm-appointment',
        'partner',
        clock.deadlineAfter(sentAt, clocks.matAppointmentWithin),
        () => s.appointment !== undefined,
        { items: provider() },
      );

    // iii. Offer transportation help, settled before the appointment.
    await clock.wait(
      'arrange-transportation',
      'case-manager',
      new Date(s.appointment!.at),
      () => s.transportation !== undefined,
      { items: ['offer a ride or transit help, or record that none is needed'] },
    );
  });
}
