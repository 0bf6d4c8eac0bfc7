/**
 * The happy-path transfer's shape, as the bench drives it (tools/bench/simulated-people.ts: a Part 2
 * residential discharge, every answer at once, one member reminder): what the bare baseline copies.
 * Fixed here rather than read from a warm-up transfer, so the baseline is the same from run to run.
 * test/bench-happy-path-shape.test.ts checks the transfer's recorded history against it (a change to
 * the transfer that changes its shape fails there until this is updated) and
 * test/workflow/history-budget.test.ts the baseline's; the bench reports how its lifecycles differ.
 */
import type { Client } from '@temporalio/client';
import { clockWorkflowIdFor, residentialNoticeClockId } from '../../domain/clocks/kinds';
import { workflowIdFor } from '../../domain/ids';
import type { ChildShape, LifecycleShape } from './baseline-workflow';
import { fetchFigures, type HistoryFigures } from './history-figures';
import { sleep } from './pool';

export const HAPPY_PATH_SHAPE: LifecycleShape = {
  events: 7,
  activities: 12,
  upserts: 11,
  timersFired: 2,
  timersCancelled: 7,
  child: { activities: 2, upserts: 2 },
};

/** A recorded history's figures as a shape (without its child, which has a history of its own). */
export function shapeOf(f: HistoryFigures): Omit<LifecycleShape, 'child'> {
  return {
    events: f.inbound,
    activities: f.activities,
    upserts: f.upserts,
    timersFired: f.timersFired,
    timersCancelled: f.timers - f.timersFired,
  };
}

/** What differs between an expected and a recorded shape, as `name: recorded (expected n)`; empty when equal. */
export function shapeDifferences(expected: object, recorded: object, prefix = ''): string[] {
  const e = expected as Record<string, unknown>;
  const r = recorded as Record<string, unknown>;
  return [...new Set([...Object.keys(e), ...Object.keys(r)])].flatMap((key) => {
    const [want, got] = [e[key], r[key]];
    if (typeof want === 'object' && want !== null && typeof got === 'object' && got !== null)
      return shapeDifferences(want, got, `${prefix}${key}.`);
    return want === got ? [] : [`${prefix}${key}: ${String(got)} (expected ${String(want)})`];
  });
}

/** An ended transfer's recorded shape, its child clock's included, and its history's length. */
export async function recordedShape(
  client: Client,
  referralId: string,
): Promise<{ shape: LifecycleShape; events: number }> {
  const [figures] = await fetchFigures(client, [workflowIdFor(referralId)]);
  const child = await waitingChildShape(client, clockWorkflowIdFor(residentialNoticeClockId(referralId, 'discharge')));
  return { shape: { ...shapeOf(figures!), ...(child && { child }) }, events: figures!.events };
}

/**
 * A child workflow's shape once it waits (its first timer): the parent may end before the child
 * has done its first work. Undefined when there is none (a transfer that is not a residential discharge).
 */
export async function waitingChildShape(client: Client, workflowId: string): Promise<ChildShape | undefined> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const [f] = await fetchFigures(client, [workflowId]).catch(() => [undefined]);
    if (f && f.timers > 0) return { activities: f.activities, upserts: f.upserts };
    await sleep(250);
  }
  return undefined;
}
