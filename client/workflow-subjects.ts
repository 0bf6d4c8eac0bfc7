/**
 * What reading and moving a transfer and a coordination clock share: each event is sent and its
 * outcome read back (a refusal becomes the service's error), one query reads the state, search
 * attributes list them. TransferService and ClockService each hold one for their workflows.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { EventMessages } from '../workflows/event-messages';
import type { Logger } from 'pino';
import { toTransferRow, type TransferRow } from './transfer-list';
import { readState, sendEvent } from './workflow-calls';

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

  /** Rows from search attributes only, for a visibility query. */
  async list(query: string): Promise<TransferRow[]> {
    const rows: TransferRow[] = [];
    for await (const info of (await this.temporal()).workflow.list({ query })) rows.push(toTransferRow(info));
    return rows;
  }
}
