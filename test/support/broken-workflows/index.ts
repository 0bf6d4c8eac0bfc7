/**
 * A build of the transfer that breaks determinism on purpose (test/task-watchdog.test.ts): same
 * workflow type, but its first command is a timer where the real transfer's history holds an
 * activity, so every replay of a real transfer's history fails its workflow task.
 */
import { sleep } from '@temporalio/workflow';

export async function levelOfCareTransition(): Promise<void> {
  await sleep('1 day');
}
