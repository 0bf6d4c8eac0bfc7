/** Seed 003 I.2.e: the problem list is updated within 72 hours of a change in the member's status, 24 hours for crisis items. */
import type { ClockInputOf } from '../../domain/clocks/requests';
import type { ClockState } from '../../domain/clocks/state';
import { CoordinationClock } from './coordination-clock';

export async function problemListUpdate(input: ClockInputOf<'problem-list-update'>): Promise<ClockState> {
  const { clocks } = input.policy;
  const clock = new CoordinationClock(input, new Date(0));
  const due = clock.deadlineAfter(
    input.changedAt,
    input.crisis ? clocks.problemListCrisisWithin : clocks.problemListWithin,
  );
  clock.state.dueAt = due.toISOString();

  return clock.run(async () => {
    await clock.wait('update-problem-list', 'case-manager', due, () => clock.state.problemListUpdatedAt !== undefined, {
      items: [
        input.crisis
          ? 'a crisis item: due within 24 hours of the change'
          : 'a change in status: due within 72 hours of the change',
      ],
    });
    clock.met();
  });
}
