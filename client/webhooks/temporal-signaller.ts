import type { Client } from '@temporalio/client';
import type { TransitionEvent } from '../../domain/events';
import { eventSignal } from '../../workflows/messages';

/** Webhooks cannot wait for a validated answer, so member replies reach the transfer as a signal. */
export function temporalSignaller(client: Client): (workflowId: string, event: TransitionEvent) => Promise<void> {
  return async (workflowId, event) => {
    await client.workflow.getHandle(workflowId).signal(eventSignal, event);
  };
}
