/**
 * How progress note drafts reach the EHR when no other activity carries them
 * (workflows/note-drafts.ts): one ordinary activity for every draft queued by then. They were
 * local activities (one marker event each) until the worker-kill drill showed that a local
 * activity and a ladder timer started and cancelled in the same workflow task replay differently
 * after a restart: the new worker then cancelled a timer the server never had, and the transfer
 * looped on `BadCancelTimerAttributes` (docs/performance.md, Drills). The EHR calls for the
 * packet and the episode close had failed the same drill as local activities before.
 *
 * `legacyLocal` keeps the local-activity forms for runs recorded before that change.
 */
import * as wf from '@temporalio/workflow';
import type { createActivities } from '../activities';

type Activities = ReturnType<typeof createActivities>;

export const ehrCalls = wf.proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export const legacyLocal = wf.proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});
