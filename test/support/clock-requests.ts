/** Clock requests for the sample member of fixtures/sample-transfer.json, and helpers to place workflow time. */
import type { WorkflowHandle } from '@temporalio/client';
import { DateTime } from 'luxon';
import type { ClockRequestInput } from '../../domain/clocks/requests';
import type { TransferHarness } from './transfer-harness';
import { CASE_MANAGER, EventRefused, sampleRequest } from './transfer-harness';

export const ZONE = 'America/Los_Angeles';

type Kind = ClockRequestInput['kind'];
/** The fields every clock needs, for the sample member and program; spread the kind's own fields over it. */
export function clockRequest<K extends Kind>(
  kind: K,
  fields: Omit<Extract<ClockRequestInput, { kind: K }>, 'kind' | 'member' | 'programId' | 'caseManagerId' | 'partTwo'> &
    Partial<Pick<ClockRequestInput, 'partTwo' | 'member'>>,
): ClockRequestInput {
  const sample = sampleRequest();
  return {
    kind,
    member: sample.member,
    programId: sample.sendingProgramId,
    caseManagerId: sample.caseManagerId,
    partTwo: true,
    ...fields,
  } as ClockRequestInput;
}

/** Moves workflow time forward to the next `weekday` (1 = Monday … 7 = Sunday) at hh:mm county time. */
export async function advanceToNext(h: TransferHarness, weekday: number, hour: number, minute = 0): Promise<Date> {
  const now = DateTime.fromJSDate(await h.now(), { zone: ZONE });
  let target = now.set({ hour, minute, second: 0, millisecond: 0 });
  while (target.weekday !== weekday || target <= now.plus({ minutes: 1 })) target = target.plus({ days: 1 });
  await h.advance(target.toMillis() - now.toMillis());
  return target.toJSDate();
}

/** Moves workflow time to a given instant (which must be ahead). */
export async function advanceTo(h: TransferHarness, at: Date): Promise<void> {
  await h.advance(at.getTime() - (await h.now()).getTime());
}

/** The reason the workflow gave for refusing an event (fails the test if it was accepted). */
export async function refusal(sent: Promise<unknown>): Promise<string> {
  const outcome = await sent.then(
    () => undefined,
    (err: unknown) => err as Error,
  );
  if (!outcome) throw new Error('expected the event to be refused, but it was accepted');
  if (!(outcome instanceof EventRefused)) throw outcome;
  return outcome.message;
}

/** Why the clock refused the case manager's phone call with `withId` (fails the test if it was accepted). */
export function callRefusal(h: TransferHarness, clock: WorkflowHandle, withId: string): Promise<string> {
  return refusal(h.sendClock(clock, { type: 'contact-made', actor: CASE_MANAGER, with: withId, method: 'phone' }));
}
