/**
 * A two-step workflow as first deployed (test/transfer-repair.test.ts). after.ts is the same
 * workflow type changed without a patch: replaying this one's history with it fails.
 */
import * as wf from '@temporalio/workflow';
import { stepsTaken } from './messages';

export async function twoSteps(): Promise<string[]> {
  const steps = stepsTaken();
  await wf.condition(() => steps.length >= 1);
  await wf.sleep('1 second');
  await wf.condition(() => steps.length >= 2);
  return steps;
}
