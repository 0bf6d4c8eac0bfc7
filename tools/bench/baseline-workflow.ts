/**
 * The bare baseline: a fixed shape, the happy-path transfer's (tools/bench/happy-path-shape.ts),
 * with none of its logic. Each event, taken through the transfer's own intake (a signal, checked
 * and read back: workflows/event-intake.ts), releases the next share of no-op activities and
 * search-attribute upserts; the fired timers wait for the "appointment" as the warm handoff and the
 * member reminder do; the other timers are started and cancelled when the next event comes first,
 * as the escalation ladder's deadlines are.
 */
import * as wf from '@temporalio/workflow';
import { z } from 'zod';
import { SA } from '../../domain/search-attributes';
import { listenForEvents } from '../../workflows/event-intake';
import { defineEventMessages } from '../../workflows/event-messages';

export const BASELINE_TASK_QUEUE = 'bench-baseline';
export const BASELINE_WORKFLOW = 'benchBaseline';

export interface LifecycleShape {
  /** Events sent to the workflow (signals through the intake). */
  events: number;
  activities: number;
  /** Search-attribute upserts: each is a history event and a visibility write on the server. */
  upserts: number;
  timersFired: number;
  /** Started, then cancelled (or left pending at the end) because an answer came first. */
  timersCancelled: number;
  /**
   * The transfer's child workflow (the residential discharge notice clock, started when the
   * episode closes and left waiting on the plan): a second workflow per transfer on the server.
   */
  child?: ChildShape;
}

export interface ChildShape {
  activities: number;
  upserts: number;
}

export interface BaselineState {
  accepted: number;
  /** True while waiting for the next event, like a transfer waiting on someone. */
  idle: boolean;
  timeline: object[];
}

const BaselineEvent = z.object({ type: z.literal('step'), waitUntil: z.string().optional() });
type BaselineEvent = z.infer<typeof BaselineEvent>;
export const baselineMessages = defineEventMessages<BaselineEvent, BaselineState>({
  event: 'baselineEvent',
  check: 'checkBaselineEvent',
  outcome: 'baselineEventOutcome',
  state: 'baselineState',
});

const { noop } = wf.proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '1 minute' });

export async function benchBaseline(shape: LifecycleShape): Promise<BaselineState> {
  const state: BaselineState = { accepted: 0, idle: false, timeline: [] };
  let waitUntil: Date | undefined;
  listenForEvents({
    messages: baselineMessages,
    schema: BaselineEvent,
    state,
    whyRejected: () => null,
    accept: (event) => {
      state.accepted++;
      state.idle = false;
      if (event.waitUntil) waitUntil = new Date(event.waitUntil);
    },
  });
  // Part i's share of a total spread evenly over `parts`: the work over the events + 1 stretches
  // (before each event, and after the last), the deadlines over the waits for the events.
  const share = (total: number, i: number, parts = shape.events + 1) =>
    Math.floor((total * (i + 1)) / parts) - Math.floor((total * i) / parts);
  for (let i = 0; i <= shape.events; i++) {
    for (let u = 0; u < share(shape.upserts, i); u++)
      wf.upsertSearchAttributes([{ key: SA.ReferralStage, value: `step-${i}-${u}` }]);
    for (let a = 0; a < share(shape.activities, i); a++) await noop();
    if (waitUntil) {
      // The reminder fires just before the appointment, the handoff's wait at it.
      const until = waitUntil.getTime();
      await Promise.all(
        Array.from({ length: shape.timersFired }, (_, k) => wf.sleep(Math.max(1, until - Date.now() - k * 100))),
      );
      waitUntil = undefined;
    }
    if (i === shape.events) break;
    state.idle = true;
    await nextEvent(state, share(shape.timersCancelled, i, shape.events));
  }
  if (shape.child) {
    await wf.startChild(benchBaselineChild, {
      workflowId: `${wf.workflowInfo().workflowId}-child`,
      args: [shape.child],
      parentClosePolicy: 'ABANDON',
    });
  }
  await wf.condition(wf.allHandlersFinished);
  return state;
}

/** Waits for the next event with `deadlines` hour-long timers running, cancelled when it comes. */
async function nextEvent(state: BaselineState, deadlines: number): Promise<void> {
  const seen = state.accepted;
  const scope = new wf.CancellationScope();
  const timers = Array.from({ length: deadlines }, () =>
    scope
      .run(() => wf.sleep('1 hour'))
      .catch((err: unknown) => {
        if (!wf.isCancellation(err)) throw err;
      }),
  );
  await wf.condition(() => state.accepted > seen);
  scope.cancel();
  await Promise.all(timers);
}

/** Like the notice clock: its work at once, then waiting (an hour-long timer) on the plan. */
export async function benchBaselineChild(shape: ChildShape): Promise<void> {
  for (let u = 0; u < shape.upserts; u++) wf.upsertSearchAttributes([{ key: SA.ReferralStage, value: `child-${u}` }]);
  for (let a = 0; a < shape.activities; a++) await noop();
  await wf.sleep('1 hour');
}
