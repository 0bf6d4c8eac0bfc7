/**
 * Calls to the EHR adapter (packet contents, episode close, progress note drafts) run as local
 * activities: short, idempotent by key, inside the county's network, and each costs one marker
 * event instead of an activity's three plus a workflow task. Messages that leave the county
 * (email, SMS, fax) stay ordinary activities, with their own retries and a row in the UI.
 */
import * as wf from '@temporalio/workflow';
import type { createActivities } from '../activities';

export const ehrCalls = wf.proxyLocalActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});
