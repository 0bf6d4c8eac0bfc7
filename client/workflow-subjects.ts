/**
 * What reading and moving a transfer and a coordination clock share: each event is sent and its
 * outcome read back (a refusal becomes the service's error), one query reads the state, search
 * attributes list them. TransferService and ClockService each hold one for their workflows.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import { InvalidInputError } from './service-errors';
import type { EventMessages } from '../workflows/event-messages';
import type { Logger } from 'pino';
import { toTransferRow, type TransferRow } from './transfer-list';
import { readState, sendEvent } from './workflow-calls';

/** gRPC UNKNOWN and INVALID_ARGUMENT. */
const REFUSED_TOKEN_CODES = [2, 3];

export interface SubjectSpec<S, E extends { type: string }> {
  /** How logs and refusals name it. */
  label: 'transfer' | 'clock';
  workflowIdFor(id: string): string;
  messages: EventMessages<E, S>;
  notFound(id: string): Error;
  rejected(id: string, type: E['type'], reason: string): Error;
}

export class WorkflowSubjects<S, E extends { type: string }> {
  constructor(
    private readonly temporal: () => Promise<Client>,
    private readonly spec: SubjectSpec<S, E>,
    private readonly logger?: Logger,
  ) {}

  async handle(id: string): Promise<WorkflowHandle> {
    return (await this.temporal()).workflow.getHandle(this.spec.workflowIdFor(id));
  }

  /** Sends one validated event; returns the state after it, or the refusal as an error. */
  async send(id: string, event: E): Promise<S> {
    const ids = { [this.spec.label === 'transfer' ? 'referralId' : 'clockId']: id, eventType: event.type };
    const result = await sendEvent(await this.temporal(), this.spec.workflowIdFor(id), this.spec.messages, event);
    if (result === 'not-found') throw this.spec.notFound(id);
    if ('state' in result) {
      this.logger?.info(ids, `${this.spec.label} event accepted`);
      return result.state;
    }
    this.logger?.info(ids, `${this.spec.label} event rejected`);
    const reason = 'refused' in result ? result.refused : `the ${this.spec.label} has ended (${result.ended})`;
    throw this.spec.rejected(id, event.type, reason);
  }

  /** The full state, from the workflow's query (an ended one's from its result). */
  async read(id: string): Promise<S> {
    return readState(await this.temporal(), await this.handle(id), this.spec.messages.state, () =>
      this.spec.notFound(id),
    );
  }

  /**
   * One page of rows for a visibility query, newest first, and the token for the next page (null
   * on the last). The token is the server's, in base64url so it can travel in a link.
   */
  async listPage(
    query: string,
    pageSize: number,
    pageToken?: string,
  ): Promise<{ rows: TransferRow[]; nextPageToken: string | null }> {
    const client = await this.temporal();
    const { namespace, loadedDataConverter } = client.options;
    let page;
    try {
      page = await client.workflowService.listWorkflowExecutions({
        namespace,
        query,
        pageSize,
        nextPageToken: pageToken ? Buffer.from(pageToken, 'base64url') : undefined,
      });
    } catch (err) {
      // A token from another query, or one made up: the dev server (SQLite) says UNKNOWN, others INVALID_ARGUMENT.
      if (pageToken && REFUSED_TOKEN_CODES.includes((err as { code?: number }).code ?? -1))
        throw new InvalidInputError([{ field: 'pageToken', message: 'not a page of this list; start from the first' }]);
      throw err;
    }
    const rows = await Promise.all(
      page.executions.map(async (raw) =>
        toTransferRow(await executionInfoFromRaw(raw, loadedDataConverter, raw, namespace)),
      ),
    );
    const next = page.nextPageToken?.length ? Buffer.from(page.nextPageToken).toString('base64url') : null;
    return { rows, nextPageToken: next };
  }

  /** Rows from search attributes only, for a visibility query. */
  async list(query: string): Promise<TransferRow[]> {
    const rows: TransferRow[] = [];
    for await (const info of (await this.temporal()).workflow.list({ query })) rows.push(toTransferRow(info));
    return rows;
  }
}
