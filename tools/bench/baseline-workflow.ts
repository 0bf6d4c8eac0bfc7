/**
 * The bare baseline: the same number of activities (local ones too), timers and events as a
 * happy-path transfer, with none of its logic. Each event, taken through the transfer's own intake (a
 * signal, checked and read back: workflows/event-intake.ts), releases the next share of no-op
 * activities; one timer waits for the "appointment" as the warm handoff does; the other timers
 * are started and cancelled, as the escalation ladder's are when an answer comes first.
 */
import * as wf from '@temporalio/workflow';
import { z } from 'zod';
import { SA } from '../../domain/search-attributes';
import { listenForEvents } from '../../workflows/event-intake';
import { defineEventMessages } from '../../workflows/event-messages';

export const BASELINE_TASK_QUEUE = 'bench-baseline';
export const BASELINE_WORKFLOW = 'benchBaseline';

export interface BaselineShape {
  events: number;
  activities: number;
  /** Local activities in the transfer's history (none since its note drafts ride with other activities). */
  localActivities: number;
  /** Search attribute upserts: each is a history event and a visibility write on the server. */
  upserts: number;
  timers: number;
  /**
   * The transfer's child workflow (the residential discharge notice clock, started when the
   * episode closes and left waiting on the plan): a second workflow per transfer on the server.
   */
  child?: ChildShape;
}

export type ChildShape = Pick<BaselineShape, 'activities' | 'localActivities' | 'upserts'>;

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
const local = wf.proxyLocalActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '30 seconds' });

export async function benchBaseline(shape: BaselineShape): Promise<BaselineState> {
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
  const share = (total: number, i: number) =>
    Math.floor((total * (i + 1)) / (shape.events + 1)) - Math.floor((total * i) / (shape.events + 1));
  const cancelledTimers = Math.max(0, shape.timers - 1);
  for (let i = 0; i <= shape.events; i++) {
    for (let u = 0; u < share(shape.upserts, i); u++)
      wf.upsertSearchAttributes([{ key: SA.ReferralStage, value: `step-${i}-${u}` }]);
    for (let a = 0; a < share(shape.localActivities, i); a++) await local.noop();
    for (let a = 0; a < share(shape.activities, i); a++) await noop();
    if (waitUntil) {
      await wf.sleep(Math.max(1, waitUntil.getTime() - Date.now()));
      waitUntil = undefined;
    }
    if (i === shape.events) break;
    state.idle = true;
    const seen = state.accepted;
    // A condition with a timeout is a timer, cancelled when the event comes first.
    if (share(cancelledTimers, i) > 0) await wf.condition(() => state.accepted > seen, '1 hour');
    else await wf.condition(() => state.accepted > seen);
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

/** Like the notice clock: its work at once, then waiting (an hour-long timer) on the plan. */
export async function benchBaselineChild(shape: ChildShape): Promise<void> {
  for (let u = 0; u < shape.upserts; u++) wf.upsertSearchAttributes([{ key: SA.ReferralStage, value: `child-${u}` }]);
  for (let a = 0; a < shape.localActivities; a++) await local.noop();
  for (let a = 0; a < shape.activities; a++) await noop();
  await wf.sleep('1 hour');
}
