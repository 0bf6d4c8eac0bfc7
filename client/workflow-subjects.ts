/**
 * What reading and moving a transfer and a coordination clock share: one Update carries each
 * event (its refusal becomes the service's error), one query reads the state, search attributes
 * list them. TransferService and ClockService each hold one for their workflows.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { QueryDefinition, UpdateDefinition } from '@temporalio/common';
import type { Logger } from 'pino';
import { toTransferRow, type TransferRow } from './transfer-list';
import { readState, updateRefusal } from './workflow-calls';

export interface SubjectSpec<S, E extends { type: string }> {
  /** How logs and refusals name it. */
  label: 'transfer' | 'clock';
  workflowIdFor(id: string): string;
  update: UpdateDefinition<S, [E]>;
  query: QueryDefinition<S>;
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

  /** Sends one validated event as the Update; returns the state after it, or the refusal as an error. */
  async send(id: string, event: E): Promise<S> {
    const handle = await this.handle(id);
    const ids = { [this.spec.label === 'transfer' ? 'referralId' : 'clockId']: id, eventType: event.type };
    try {
      const state = await handle.executeUpdate(this.spec.update, { args: [event] });
      this.logger?.info(ids, `${this.spec.label} event accepted`);
      return state;
    } catch (err) {
      const refusal = await updateRefusal(err, handle);
      if (refusal === null) throw err;
      if (refusal === 'not-found') throw this.spec.notFound(id);
      this.logger?.info(ids, `${this.spec.label} event rejected`);
      const reason = 'reason' in refusal ? refusal.reason : `the ${this.spec.label} has ended (${refusal.ended})`;
      throw this.spec.rejected(id, event.type, reason);
    }
  }

  /** The full state, from the workflow's query (an ended one's from its result). */
  async read(id: string): Promise<S> {
    return readState(await this.temporal(), await this.handle(id), this.spec.query, () => this.spec.notFound(id));
  }

  /** Rows from search attributes only, for a visibility query. */
  async list(query: string): Promise<TransferRow[]> {
    const rows: TransferRow[] = [];
    for await (const info of (await this.temporal()).workflow.list({ query })) rows.push(toTransferRow(info));
    return rows;
  }
}
