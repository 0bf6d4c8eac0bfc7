/** before.ts changed without a patch: an activity where a timer was, so old histories no longer replay. */
import * as wf from '@temporalio/workflow';
import { stepsTaken } from './messages';

const { noted } = wf.proxyActivities<{ noted(): Promise<void> }>({ startToCloseTimeout: '10 seconds' });

export async function twoSteps(): Promise<string[]> {
  const steps = stepsTaken();
  await wf.condition(() => steps.length >= 1);
  await noted();
  await wf.condition(() => steps.length >= 2);
  return steps;
}
