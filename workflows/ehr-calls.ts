/**
 * How progress note drafts reach the EHR when no other activity carries them
 * (workflows/note-drafts.ts): one ordinary activity for every draft queued by then.
 *
 * They were local activities (one marker event each). Local activities run beside the ladder's
 * timers resolve at other points on replay than when they first ran: the EHR calls for the
 * packet and the episode close failed the worker-kill drill that way as local activities
 * (docs/performance.md, Drills). Riding with other activities, drafts now cost no events at all,
 * so nothing is left to gain from the risk. (The drill's later BadCancelTimerAttributes failure,
 * first put down to these drafts, turned out to be the SDK's, after a query; same section.)
 */
import * as wf from '@temporalio/workflow';
import type { createActivities } from '../activities';

type Activities = ReturnType<typeof createActivities>;

export const draftBatches = wf.proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});
