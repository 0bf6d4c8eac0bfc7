/**
 * The smallest workflow with the transfer's shape (tools/repro-update-order/run.ts): an activity,
 * then a command its completion causes, then a wait that an Update ends.
 */
import * as wf from '@temporalio/workflow';
export const answer = wf.defineUpdate<string, [string]>('answer');
export const answeredQuery = wf.defineQuery<boolean>('answered');
/** The same event as a signal, whose place in the workflow task history fixes. */
export const answerSignal = wf.defineSignal<[string]>('answer-signal');
/** Lets the run end; sent after a worker restart, it makes a worker replay the history. */
export const finish = wf.defineSignal('finish');
const { slow } = wf.proxyActivities<{ slow(ms: number): Promise<string> }>({ startToCloseTimeout: '10 seconds' });

export async function repro(): Promise<string> {
  let answered = false;
  let finished = false;
  wf.setHandler(answer, (a) => {
    answered = true;
    return a;
  });
  wf.setHandler(answerSignal, () => {
    answered = true;
  });
  wf.setHandler(finish, () => {
    finished = true;
  });
  wf.setHandler(answeredQuery, () => answered);
  await slow(6000);
  // Produced by the activity's continuation: recorded before the Update's acceptance only if they ran in separate activations.
  wf.upsertMemo({ step: 'after-activity' });
  await wf.condition(() => answered, '1 hour');
  await slow(1);
  await wf.condition(() => finished);
  return 'done';
}
