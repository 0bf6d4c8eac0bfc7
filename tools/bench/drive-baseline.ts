/** Drives the bare baseline as simulated-people.ts drives a transfer: poll until idle, send the next event. */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { sendEvent } from '../../client/workflow-calls';
import {
  BASELINE_TASK_QUEUE,
  BASELINE_WORKFLOW,
  baselineMessages,
  type LifecycleShape,
  type BaselineState,
  type benchBaseline,
} from './baseline-workflow';
import { CallTimes } from './call-times';
import { sleep } from './pool';

const POLL_MS = 500;
/** The appointment-scheduled event is the 4th of 7, as in the transfer's happy path. */
const APPOINTMENT_EVENT = 3;

export async function driveBaseline(
  client: Client,
  shape: LifecycleShape,
  appointmentLeadMs: number,
  calls = new CallTimes(),
): Promise<string> {
  const workflowId = `bench-baseline-${randomUUID()}`;
  const handle = await calls.time('start', () =>
    client.workflow.start<typeof benchBaseline>(BASELINE_WORKFLOW, {
      workflowId,
      taskQueue: BASELINE_TASK_QUEUE,
      args: [shape],
    }),
  );
  const read = () => calls.time('read', () => handle.query(baselineMessages.state));
  let state: BaselineState = await read();
  let appointmentAt: string | undefined;
  for (let i = 0; i < shape.events; i++) {
    while (!(state.idle && state.accepted === i)) {
      await sleep(POLL_MS);
      state = await read();
    }
    // Booked with the 4th event, waited for after the 5th (the handoff), as a transfer does.
    if (i === APPOINTMENT_EVENT) appointmentAt = new Date(Date.now() + appointmentLeadMs).toISOString();
    const waitUntil = i === APPOINTMENT_EVENT + 1 ? appointmentAt : undefined;
    const sent = await calls.time('event', () =>
      sendEvent(client, workflowId, baselineMessages, { type: 'step' as const, waitUntil }),
    );
    if (sent === 'not-found' || !('state' in sent))
      throw new Error(`baseline event not taken: ${JSON.stringify(sent)}`);
    state = sent.state;
  }
  await handle.result();
  return workflowId;
}
