/**
 * Seed 003 I.2.b: communication and coordination with the member's managed care plan at a minimum
 * monthly, with evidence of each contact (seed 003 II). One run covers one county month; it then
 * continues as new, carrying the months' evidence, so history stays small however long a member
 * is shared. A contact counts for the month it falls in; a late one also closes a lapsed month.
 */
import * as wf from '@temporalio/workflow';
import { endOfMonth, monthOf, nextMonth } from '../../domain/calendar';
import type { ClockInputOf } from '../../domain/clocks/requests';
import type { ClockState } from '../../domain/clocks/state';
import { CoordinationClock, now, type ClockCarry } from './coordination-clock';

type MonthlyInput = ClockInputOf<'monthly-plan-coordination'> & { carried?: ClockCarry };

export async function monthlyPlanCoordination(input: MonthlyInput): Promise<ClockState> {
  const { calendar, clocks } = input.policy;
  const month = input.firstMonth ?? monthOf(now(), calendar);
  const due = endOfMonth(month, calendar);
  const clock = new CoordinationClock(input, due, [input.managedCarePlanId], input.carried);
  const s = clock.state;
  s.month = month;
  const inThisMonthOrLater = () =>
    s.contacts.filter((c) => c.with === input.managedCarePlanId && monthOf(new Date(c.at), calendar) >= month);

  return clock.run(async () => {
    // Part 2: coordinating about the member with the plan needs a consent naming it.
    await clock.knowProviders([input.managedCarePlanId]);
    // A late contact that closed last month may already cover this one: then nothing to ask.
    if (inThisMonthOrLater().length === 0) {
      await clock.wait('coordinate-with-plan', 'case-manager', due, () => inThisMonthOrLater().length > 0, {
        items: [`${clock.contactItem(input.managedCarePlanId)}: coordination for ${month}`],
      });
    }
    clock.met();
    // The month is covered; later contacts this month are recorded as further evidence.
    await clock.waitUntil(() => false, due);
    // The month's evidence: its own contacts, or for a lapsed month the late contact that closed it.
    const inMonth = s.contacts.filter((c) => monthOf(new Date(c.at), calendar) === month);
    const evidence = inMonth.length ? inMonth : inThisMonthOrLater().slice(0, 1);
    s.months = [...s.months, { month, contacts: evidence, met: s.metOnTime === true }].slice(
      -clocks.monthlyEvidenceKept,
    );
    const carried: ClockCarry = {
      months: s.months,
      notesDrafted: s.notesDrafted,
      consents: s.consents,
      contacts: s.contacts.filter((c) => new Date(c.at) >= due),
      eventOutcomes: clock.eventOutcomes(),
    };
    return () => wf.continueAsNew<typeof monthlyPlanCoordination>({ ...input, firstMonth: nextMonth(month), carried });
  });
}
