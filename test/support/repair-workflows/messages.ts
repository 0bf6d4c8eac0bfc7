import { defineUpdate, setHandler } from '@temporalio/workflow';

/** Records one step; answers with the steps so far. */
export const step = defineUpdate<string[], [string]>('step');

/** The steps taken so far, kept by the `step` handler. */
export function stepsTaken(): string[] {
  const steps: string[] = [];
  setHandler(step, (s) => {
    steps.push(s);
    return steps;
  });
  return steps;
}
