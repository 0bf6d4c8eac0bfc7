/**
 * The one service layer between people (the CLI, the web API) and the coordination clock
 * workflows, beside TransferService and built the same way: everything from outside is validated
 * here, before any call to Temporal, so a bad request is refused with the field named and nothing
 * is half-started.
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import type { Logger } from 'pino';
import { ClockEvent, type ClockEventType } from '../domain/clocks/events';
import { CLOCK_FIRST_STAGES, CLOCK_TITLES, CLOCK_WORKFLOW_TYPES, ClockId, clockWorkflowIdFor, newClockId } from '../domain/clocks/kinds';
import { ClockRequest, type ClockInput } from '../domain/clocks/requests';
import type { ClockState } from '../domain/clocks/state';
import { SA } from '../domain/search-attributes';
import type { RuntimeConfig } from '../infra/config';
import { loadDirectory, loadPolicy } from '../infra/config-files';
import { getClockState, submitClockEvent } from '../workflows/clocks/messages';
import { clockListQuery, type ClockFilters } from './clock-list';
import { actorProblems, clockDirectoryProblems, throwIfAny } from './directory-checks';
import { parseInput } from './parse-input';
import { ClockEventRejectedError, ClockExistsError, ClockNotFoundError } from './service-errors';
import { connectTemporalClient } from './temporal-client';
import { toTransferRow, type TransferRow } from './transfer-list';
import type { TransferServiceDeps } from './transfer-service';

/** The workflows' signature as the client sees it; the implementations live in workflows/clocks/. */
type CoordinationClockWorkflow = (input: ClockInput) => Promise<ClockState>;

export type ClockServiceDeps = TransferServiceDeps;

/** How long a read waits for a worker to answer a query before giving up. */
const QUERY_DEADLINE_MS = 15_000;

export class ClockService {
  private readonly now: () => Date;
  private readonly randomBytes: (n: number) => Uint8Array;

  constructor(private readonly deps: ClockServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.randomBytes = deps.randomBytes ?? cryptoRandomBytes;
  }

  async startClock(input: unknown): Promise<{ clockId: string; workflowId: string }> {
    const request = parseInput(ClockRequest, input);
    throwIfAny(clockDirectoryProblems(this.deps.directory, request));
    // Read at each start: a running clock keeps the policy it began with, new ones get today's.
    const policy = loadPolicy(this.deps.config.REFERRALS_POLICY_FILE);
    const clockId = request.clockId ?? newClockId(this.randomBytes);
    const workflowId = clockWorkflowIdFor(clockId);
    const clockInput = { ...request, clockId, policy } as ClockInput;

    const client = await this.deps.temporal();
    try {
      await client.workflow.start<CoordinationClockWorkflow>(CLOCK_WORKFLOW_TYPES[request.kind], {
        workflowId,
        taskQueue: this.deps.config.REFERRALS_TASK_QUEUE,
        args: [clockInput],
        // Clock ids are never reused, even after the clock ends.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: [
          { key: SA.SendingProgram, value: request.programId },
          { key: SA.CaseManager, value: request.caseManagerId },
          { key: SA.ReferralStage, value: CLOCK_FIRST_STAGES[request.kind] },
          { key: SA.WaitingOn, value: 'case-manager' },
          { key: SA.EscalationLevel, value: 0 },
        ],
        // Managers read this in the UI's list: ids only, never member or clinical details.
        staticSummary: `${CLOCK_TITLES[request.kind]} ${clockId}: ${request.programId}`,
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) throw new ClockExistsError(clockId);
      throw err;
    }
    this.deps.logger?.info({ clockId, workflowId, kind: request.kind }, 'clock started');
    return { clockId, workflowId };
  }

  /** Sends one event as the `submitClockEvent` Update; returns the clock's state after it. */
  async sendClockEvent(clockId: string, input: unknown): Promise<ClockState> {
    const id = parseInput(ClockId, clockId, ['clockId']);
    const event = parseInput(ClockEvent, this.withSentAt(input));
    throwIfAny(actorProblems(this.deps.directory, event.actor));
    const handle = await this.handleFor(id);
    try {
      const state = await handle.executeUpdate(submitClockEvent, { args: [event] });
      this.deps.logger?.info({ clockId: id, eventType: event.type }, 'clock event accepted');
      return state;
    } catch (err) {
      throw await this.eventError(err, handle, id, event.type);
    }
  }

  /** The clock's full state, from the workflow's `getClockState` query (also for ended clocks). */
  async getClock(clockId: string): Promise<ClockState> {
    const id = parseInput(ClockId, clockId, ['clockId']);
    const handle = await this.handleFor(id);
    const client = await this.deps.temporal();
    try {
      return await client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => handle.query(getClockState));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new ClockNotFoundError(id);
      // A query needs a worker; an ended clock's result is its final state and needs none.
      const status = await handle.describe().then((d) => d.status.name, () => null);
      if (status === 'COMPLETED') return handle.result();
      throw err;
    }
  }

  /** Running clocks (or all), of one kind or every kind, from search attributes only. */
  async listClocks(filters: ClockFilters = {}): Promise<TransferRow[]> {
    const query = clockListQuery(filters);
    const client = await this.deps.temporal();
    const rows: TransferRow[] = [];
    for await (const info of client.workflow.list({ query })) rows.push(toTransferRow(info));
    return rows;
  }

  private async handleFor(clockId: string): Promise<WorkflowHandle<CoordinationClockWorkflow>> {
    const client = await this.deps.temporal();
    return client.workflow.getHandle<CoordinationClockWorkflow>(clockWorkflowIdFor(clockId));
  }

  private withSentAt(input: unknown): unknown {
    if (typeof input !== 'object' || input === null || Array.isArray(input) || 'sentAt' in input) return input;
    return { ...input, sentAt: this.now().toISOString() };
  }

  private async eventError(err: unknown, handle: WorkflowHandle, clockId: string, type: ClockEventType): Promise<unknown> {
    if (err instanceof WorkflowUpdateFailedError) {
      // The workflow's validator throws with the reason; the SDK wraps it as the failure's cause.
      const reason = err.cause?.message ?? err.message;
      this.deps.logger?.info({ clockId, eventType: type }, 'clock event rejected');
      return new ClockEventRejectedError(clockId, type, reason);
    }
    if (err instanceof WorkflowNotFoundError) {
      // The server says "not found" both for unknown ids and for clocks that have ended.
      const ended = await handle.describe().then((d) => d.typedSearchAttributes.get(SA.Outcome) ?? d.status.name.toLowerCase(), () => null);
      if (ended !== null) return new ClockEventRejectedError(clockId, type, `the clock has ended (${ended})`);
      return new ClockNotFoundError(clockId);
    }
    return err;
  }
}

/** The service wired to the runtime configuration, connecting to Temporal on first use. */
export function openClockService(
  config: RuntimeConfig,
  options: Pick<ClockServiceDeps, 'logger' | 'now'> = {},
): { service: ClockService; close(): Promise<void> } {
  let connecting: ReturnType<typeof connectTemporalClient> | undefined;
  const temporal = async () => (await (connecting ??= connectTemporalClient(config))).client;
  const service = new ClockService({ config, directory: loadDirectory(config.REFERRALS_DIRECTORY_FILE), temporal, ...options });
  return {
    service,
    async close() {
      if (connecting) await connecting.then((c) => c.close(), () => undefined);
    },
  };
}
