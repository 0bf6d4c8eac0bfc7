import type { Client } from '@temporalio/client';
import type { TransitionEvent } from '../../domain/events';
import { transferMessages } from '../../workflows/messages';

/** Webhooks cannot wait for the answer: member replies are sent without an event id, and a misfit is noted in the timeline. */
export function temporalSignaller(client: Client): (workflowId: string, event: TransitionEvent) => Promise<void> {
  return async (workflowId, event) => {
    await client.workflow.getHandle(workflowId).signal(transferMessages.event, event);
  };
}
