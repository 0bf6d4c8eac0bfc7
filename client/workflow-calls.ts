/**
 * What the transfer and clock services do alike with Temporal: one lazy connection, the event
 * envelope, reading state (query, or the final result once ended), and turning an Update's
 * failure into the caller's terms.
 */
import { Client, QueryRejectedError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { WorkflowNotFoundError, type QueryDefinition } from '@temporalio/common';
import type { RuntimeConfig } from '../infra/config';
import { SA } from '../domain/search-attributes';
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

/**
 * Why an event Update failed, in the caller's terms: the workflow's reason (its validator throws
 * it; the SDK wraps it as the cause), "ended" (the server says not found for ended workflows too),
 * or not found. Null for anything else, which the caller rethrows.
 */
export async function updateRefusal(
  err: unknown,
  handle: WorkflowHandle,
): Promise<{ reason: string } | { ended: string } | 'not-found' | null> {
  if (err instanceof WorkflowUpdateFailedError) return { reason: err.cause?.message ?? err.message };
  if (!(err instanceof WorkflowNotFoundError)) return null;
  const ended = await handle.describe().then(
    (d) => d.typedSearchAttributes.get(SA.Outcome) ?? d.status.name.toLowerCase(),
    () => null,
  );
  return ended === null ? 'not-found' : { ended };
}
