/**
 * The one service layer between people (the CLI, the web API) and the coordination clock
 * workflows, beside TransferService and built the same way: everything from outside is validated
 * here, before any call to Temporal, so a bad request is refused with the field named and nothing
 * is half-started.
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ClockEvent } from '../domain/clocks/events';
import {
  CLOCK_FIRST_STAGES,
  CLOCK_TITLES,
  CLOCK_WORKFLOW_TYPES,
  ClockId,
  clockWorkflowIdFor,
  newClockId,
} from '../domain/clocks/kinds';
import { clockInput, ClockRequest, type ClockInput } from '../domain/clocks/requests';
import type { ClockState } from '../domain/clocks/state';
import { SA } from '../domain/search-attributes';
import { loadPolicy } from '../infra/config-files';
import { clockMessages } from '../workflows/clocks/messages';
import { clockListQuery, type ClockFilters } from './clock-list';
import { actorProblems, clockDirectoryProblems, throwIfAny } from './directory-checks';
import { parseInput } from './parse-input';
import { ClockEventRejectedError, ClockExistsError, ClockNotFoundError } from './service-errors';
import type { TransferServiceDeps } from './transfer-service';
import { withSentAt } from './workflow-calls';
import { WorkflowSubjects } from './workflow-subjects';
import type { TransferRow } from './transfer-list';

/** The workflows' signature as the client sees it; the implementations live in workflows/clocks/. */
type CoordinationClockWorkflow = (input: ClockInput) => Promise<ClockState>;

export type ClockServiceDeps = TransferServiceDeps;

export class ClockService {
  private readonly now: () => Date;
  private readonly randomBytes: (n: number) => Uint8Array;

  private readonly clocks: WorkflowSubjects<ClockState, ClockEvent>;

  constructor(private readonly deps: ClockServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.randomBytes = deps.randomBytes ?? cryptoRandomBytes;
    this.clocks = new WorkflowSubjects(
      deps.temporal,
      {
        label: 'clock',
        workflowIdFor: clockWorkflowIdFor,
        messages: clockMessages,
        notFound: (id) => new ClockNotFoundError(id),
        rejected: (id, type, reason) => new ClockEventRejectedError(id, type, reason),
      },
      deps.logger,
    );
  }

  async startClock(input: unknown): Promise<{ clockId: string; workflowId: string }> {
    const request = parseInput(ClockRequest, input);
    throwIfAny(clockDirectoryProblems(this.deps.directory, request));
    // Read at each start: a running clock keeps the policy it began with, new ones get today's.
    const policy = loadPolicy(this.deps.config.REFERRALS_POLICY_FILE);
    const clockId = request.clockId ?? newClockId(this.randomBytes);
    const workflowId = clockWorkflowIdFor(clockId);
    const workflowInput = clockInput(request, clockId, policy, this.deps.directory);

    const client = await this.deps.temporal();
    try {
      await client.workflow.start<CoordinationClockWorkflow>(CLOCK_WORKFLOW_TYPES[request.kind], {
        workflowId,
        taskQueue: this.deps.config.REFERRALS_TASK_QUEUE,
        args: [workflowInput],
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

  /** Sends one event and waits for the clock to take it; returns the clock's state after it. */
  async sendClockEvent(clockId: string, input: unknown): Promise<ClockState> {
    const id = parseInput(ClockId, clockId, ['clockId']);
    const event = parseInput(ClockEvent, withSentAt(input, this.now()));
    throwIfAny(actorProblems(this.deps.directory, event.actor));
    return this.clocks.send(id, event);
  }

  /** The clock's full state, from the workflow's `getClockState` query (also for ended clocks). */
  async getClock(clockId: string): Promise<ClockState> {
    return this.clocks.read(parseInput(ClockId, clockId, ['clockId']));
  }

  /** Running clocks (or all), of one kind or every kind, from search attributes only. */
  async listClocks(filters: ClockFilters = {}): Promise<TransferRow[]> {
    return this.clocks.list(clockListQuery(filters));
  }
}
