/**
 * What the transfer and clock services do alike with Temporal: one lazy connection, the event
 * envelope, reading state (query, or the final result once ended), and sending an event and
 * reading back what became of it.
 */
import { randomUUID } from 'node:crypto';
import { Client, QueryRejectedError, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { WorkflowNotFoundError, type QueryDefinition } from '@temporalio/common';
import type { RuntimeConfig } from '../infra/config';
import { SA } from '../domain/search-attributes';
import type { EventMessages } from '../workflows/event-messages';
import { connectTemporalClient } from './temporal-client';

/** How long a read waits for a worker to answer a query before giving up. */
export const QUERY_DEADLINE_MS = 15_000;

const { WorkflowExecutionStatus } = temporal.api.enums.v1;

/** Connects on first use only, so bad input is refused without a server; `close` is safe either way. */
export function lazyTemporal(config: RuntimeConfig): { temporal: () => Promise<Client>; close(): Promise<void> } {
  let connecting: ReturnType<typeof connectTemporalClient> | undefined;
  return {
    temporal: async () => (await (connecting ??= connectTemporalClient(config))).client,
    async close() {
      if (connecting)
        await connecting.then(
          (c) => c.close(),
          () => undefined,
        );
    },
  };
}

/** Events carry when they were sent: the server's time unless the caller gave one. */
export function withSentAt(input: unknown, now: Date): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input) || 'sentAt' in input) return input;
  return { ...input, sentAt: now.toISOString() };
}

/**
 * The workflow's state: by query while it runs; once it has completed, its result, which is its
 * final state. The result is read from history by the server alone. Querying an ended workflow
 * would make a worker replay its whole history, which is slow under load (about 2 s per read in
 * the bench) and impossible while no worker runs. Failed or terminated workflows have no result,
 * so only for them does the read fall back to a replaying query.
 */
export async function readState<T>(
  client: Client,
  handle: WorkflowHandle,
  query: QueryDefinition<T>,
  notFound: () => Error,
): Promise<T> {
  const whileOpen = openOnly(client).workflow.getHandle(handle.workflowId);
  const withDeadline = <R>(read: () => Promise<R>) => client.withDeadline(Date.now() + QUERY_DEADLINE_MS, read);
  try {
    return await withDeadline(() => whileOpen.query(query));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw notFound();
    if (!(err instanceof QueryRejectedError)) throw err;
    if (err.status === WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED)
      return handle.result() as Promise<T>;
    return withDeadline(() => handle.query(query));
  }
}

/** A sibling of `client` on the same connection whose queries the server refuses once a workflow has ended. */
const openOnlyClients = new WeakMap<Client, Client>();
function openOnly(client: Client): Client {
  let sibling = openOnlyClients.get(client);
  if (!sibling) {
    const { connection, namespace, dataConverter, interceptors } = client.options;
    sibling = new Client({
      connection,
      namespace,
      dataConverter,
      interceptors,
      workflow: { queryRejectCondition: 'NOT_OPEN' },
    });
    openOnlyClients.set(client, sibling);
  }
  return sibling;
}

/** How long a sender waits for the workflow to take its event. */
const OUTCOME_DEADLINE_MS = 30_000;

export type SendResult<S> = { state: S } | { refused: string } | { ended: string } | 'not-found';

/**
 * Sends one event and waits for what became of it (workflows/event-messages.ts): `check` first,
 * so a refusal never reaches the history; then the signal with a fresh event id; then `outcome`
 * until the workflow has taken it (a run that continues as new passes the outcomes on, and one that
 * ends on the event still answers, by a replay). Each query waits, on the server's word, until no
 * workflow task is in flight: a query that arrives during one is held for a task of its own,
 * which costs the history three events.
 */
export async function sendEvent<E, S>(
  client: Client,
  workflowId: string,
  messages: EventMessages<E, S>,
  event: E,
): Promise<SendResult<S>> {
  const handle = client.workflow.getHandle(workflowId);
  const withDeadline = <R>(read: () => Promise<R>) => client.withDeadline(Date.now() + QUERY_DEADLINE_MS, read);
  /** Null while it runs and no task is in flight (or after waiting 2 s for one); else how it ended. */
  const settled = async (): Promise<SendResult<S> | null> => {
    for (let wait = 5, waited = 0; ; waited += wait, wait = Math.min(wait * 2, 200)) {
      const described = await handle.describe().catch((err: unknown) => {
        if (err instanceof WorkflowNotFoundError) return null;
        throw err;
      });
      if (!described) return 'not-found';
      if (described.status.name !== 'RUNNING')
        return { ended: described.typedSearchAttributes.get(SA.Outcome) ?? described.status.name.toLowerCase() };
      if (!described.raw.pendingWorkflowTask || waited >= 2_000) return null;
      await new Promise((r) => setTimeout(r, wait));
    }
  };
  const before = await settled();
  if (before) return before;
  const why = await withDeadline(() => handle.query(messages.check, event));
  if (why) return { refused: why };
  const eventId = randomUUID();
  try {
    await handle.signal(messages.event, event, eventId);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return (await settled()) ?? 'not-found';
    throw err;
  }
  const giveUpAt = Date.now() + OUTCOME_DEADLINE_MS;
  for (;;) {
    // An event that ended the workflow is still read back, from the closed run by a replay.
    await settled();
    const outcome = await withDeadline(() => handle.query(messages.outcome, eventId));
    if (outcome.status === 'accepted') return { state: outcome.state };
    if (outcome.status === 'refused') return { refused: outcome.reason };
    if (Date.now() > giveUpAt) throw new Error(`event ${eventId} not taken within ${OUTCOME_DEADLINE_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
