/**
 * Progress note drafts go to the EHR adapter as local activities: short, idempotent by key, one
 * marker event each instead of an activity's three plus a workflow task.
 *
 * Packet contents and the episode close stay ordinary activities. As local activities they saved
 * ten events per transfer, but the packet lookup ran beside the stage's ladder timer, and the
 * worker-kill drill then failed a transfer on replay ("UpsertWorkflowSearchAttributesMachine does
 * not handle TimerStarted"): the local activity's result was applied at another point on replay
 * than when it first ran (docs/performance.md).
 */
import * as wf from '@temporalio/workflow';
import type { createActivities } from '../activities';

export const ehrCalls = wf.proxyLocalActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});
