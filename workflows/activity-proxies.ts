/**
 * The activity options every workflow uses, in one place: transfers and coordination clocks alike.
 *
 * Only ordinary activities, no local ones. Local activities beside the ladder's timers resolve at
 * other points on replay than when they first ran: the EHR calls for the packet and the episode
 * close failed the worker-kill drill that way (docs/performance.md, Drills). Progress note drafts
 * ride with other activities (workflows/note-drafts.ts), so they cost no events of their own.
 */
import * as wf from '@temporalio/workflow';
import type { createActivities } from '../activities';

type Activities = ReturnType<typeof createActivities>;

/** Notices, disclosures, lookups and the episode close: retried until they succeed, slowly. */
export const activities = wf.proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/** Progress note drafts no other activity took: the EHR may hold a batch a little longer. */
export const draftBatches = wf.proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});
