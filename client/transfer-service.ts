/**
 * The one service layer between people (the CLI, the web pages and API) and the transfer workflows.
 * Everything from outside is validated here, before any call to Temporal, so a bad request is
 * refused with the field named and nothing is half-started.
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/common';
import type { Logger } from 'pino';
import type { Directory } from '../domain/directory';
import { Actor, TransitionEvent } from '../domain/events';
import { newReferralId, ReferralId, workflowIdFor, WORKFLOW_TYPE } from '../domain/ids';
import { SA, stuckQuery } from '../domain/search-attributes';
import type { TransferState } from '../domain/state';
import { TransferRequest, transitionInput, type TransitionInput } from '../domain/transfer';
import type { RuntimeConfig } from '../infra/config';
import { loadDirectory, loadPolicy } from '../infra/config-files';
import { transferMessages } from '../workflows/messages';
import { actorProblems, providerProblems, throwIfAny, transferDirectoryProblems } from './directory-checks';
import { parseInput } from './parse-input';
import { EventRejectedError, InvalidInputError, TransferExistsError, TransferNotFoundError } from './service-errors';
import { lazyTemporal, QUERY_DEADLINE_MS, withSentAt } from './workflow-calls';
import { WorkflowSubjects } from './workflow-subjects';
import { applyRepair, planRepair, type RepairOutcome, type RepairPlan } from './workflow-repair';
import { RecentAnswers } from './recent-answers';
import { ListPage, toTransferRow, transferListQuery, type TransferFilters, type TransferRow } from './transfer-list';

/** The workflow's signature as the client sees it; the implementation lives in workflows/. */
type LevelOfCareTransition = (input: TransitionInput) => Promise<TransferState>;

export interface TransferServiceDeps {
  config: RuntimeConfig;
  directory: Directory;
  /** Called on first use only, so bad input is refused without a server. */
  temporal: () => Promise<Client>;
  now?: () => Date;
  randomBytes?: (n: number) => Uint8Array;
  logger?: Logger;
}

/** What managers see of one transfer without running a query against the workflow. */
export interface TransferSummary {
  row: TransferRow;
  staticSummary: string | null;
  /** The workflow's current details line (Temporal user metadata), when a worker answers. */
  currentDetails: string | null;
}

/** How long a page of the staff list is shared between people asking for the same one. */
const LIST_PAGE_SHARE_MS = 2_000;

export class TransferService {
  private readonly now: () => Date;
  private readonly randomBytes: (n: number) => Uint8Array;

  private readonly transfers: WorkflowSubjects<TransferState, TransitionEvent>;

  constructor(private readonly deps: TransferServiceDeps) {
    this.now = deps.now ?? (() => new Date());
    this.randomBytes = deps.randomBytes ?? cryptoRandomBytes;
    this.transfers = new WorkflowSubjects(
      deps.temporal,
      {
        label: 'transfer',
        workflowIdFor,
        messages: transferMessages,
        notFound: (id) => new TransferNotFoundError(id),
        rejected: (id, type, reason) => new EventRejectedError(id, type, reason),
      },
      deps.logger,
    );
  }

  /** The county's time zone, in which people read times (the current policy's calendar). */
  private timeZone?: string;
  /** Pages of the list asked for within the last LIST_PAGE_SHARE_MS, shared (client/recent-answers.ts). */
  private readonly recentPages = new RecentAnswers<{ rows: TransferRow[]; nextPageToken: string | null }>(
    LIST_PAGE_SHARE_MS,
  );
  countyTimeZone(): string {
    return (this.timeZone ??= loadPolicy(this.deps.config.REFERRALS_POLICY_FILE).calendar.timeZone);
  }

  async startTransfer(input: unknown): Promise<{ referralId: string; workflowId: string }> {
    const request = parseInput(TransferRequest, input);
    throwIfAny(transferDirectoryProblems(this.deps.directory, request));
    // Read at each start: a running transfer keeps the policy it began with, new ones get today's.
    const policy = loadPolicy(this.deps.config.REFERRALS_POLICY_FILE);
    const referralId = request.referralId ?? newReferralId(this.randomBytes);
    const workflowId = workflowIdFor(referralId);
    const transition = transitionInput(request, referralId, policy, this.deps.directory);

    const client = await this.deps.temporal();
    try {
      await client.workflow.start<LevelOfCareTransition>(WORKFLOW_TYPE, {
        workflowId,
        taskQueue: this.deps.config.REFERRALS_TASK_QUEUE,
        args: [transition],
        // Referral ids are never reused, even after the transfer ends.
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: [
          { key: SA.SendingProgram, value: request.sendingProgramId },
          { key: SA.ReceivingProvider, value: request.receivingProviderId },
          { key: SA.CaseManager, value: request.caseManagerId },
          { key: SA.LevelOfCare, value: request.toLevelOfCare },
          { key: SA.Urgency, value: request.urgency },
          { key: SA.ReferralStage, value: 'inform-member' },
          { key: SA.WaitingOn, value: 'case-manager' },
          { key: SA.EscalationLevel, value: 0 },
        ],
        // Managers read this in the UI's list: ids only, never member or clinical details.
        staticSummary: `Transfer ${referralId}: ${request.sendingProgramId} → ${request.receivingProviderId}`,
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) throw new TransferExistsError(referralId);
      throw err;
    }
    this.deps.logger?.info({ referralId, workflowId }, 'transfer started');
    return { referralId, workflowId };
  }

  /** Sends one event and waits for the transfer to take it; returns the transfer's state after it. */
  async sendEvent(referralId: string, input: unknown): Promise<TransferState> {
    const id = parseInput(ReferralId, referralId, ['referralId']);
    const event = parseInput(TransitionEvent, withSentAt(input, this.now()));
    throwIfAny([
      ...actorProblems(this.deps.directory, event.actor),
      ...(event.type === 'provider-chosen'
        ? providerProblems(this.deps.directory, event.providerId, 'providerId')
        : []),
    ]);
    return this.transfers.send(id, event);
  }

  /** The actor is checked with the event, so callers may pass what a person typed. */
  async withdraw(referralId: string, reason: string, actor: { role: string; id: string }): Promise<TransferState> {
    return this.sendEvent(referralId, { type: 'withdrawn', reason, actor });
  }

  /** The transfer's full state, from the workflow's `getState` query (also for ended transfers). */
  async getTransfer(referralId: string): Promise<TransferState> {
    return this.transfers.read(parseInput(ReferralId, referralId, ['referralId']));
  }

  /** Search attributes, static summary and current details: what the Temporal UI shows managers. */
  async summarizeTransfer(referralId: string): Promise<TransferSummary> {
    const id = parseInput(ReferralId, referralId, ['referralId']);
    const handle = await this.transfers.handle(id);
    try {
      const description = await handle.describe();
      return {
        row: toTransferRow(description),
        staticSummary: (await description.staticSummary()) ?? null,
        currentDetails: await this.currentDetails(handle),
      };
    } catch (err) {
      throw notFoundAs(err, id);
    }
  }

  async listTransfers(filters: TransferFilters = {}): Promise<TransferRow[]> {
    return this.transfers.list(transferListQuery(this.deps.directory, filters, this.now, this.countyTimeZone()));
  }

  /** One page of the list, for people: the staff pages and the API. */
  async listTransferPage(
    filters: TransferFilters,
    page: ListPage = {},
  ): Promise<{ rows: TransferRow[]; nextPageToken: string | null }> {
    const query = transferListQuery(this.deps.directory, filters, this.now, this.countyTimeZone());
    const { pageSize, pageToken } = parseInput(ListPage, page);
    // A search that matched nobody lists nobody, without asking Temporal.
    if (filters.referralIds?.length === 0) return { rows: [], nextPageToken: null };
    return this.recentPages.get(`${pageSize} ${pageToken ?? ''} ${query}`, () =>
      this.transfers.listPage(query, pageSize, pageToken),
    );
  }

  /** Managers' saved "stuck" query: running transfers whose stage deadline has passed. */
  async stuckTransfers(asOf: Date = this.now()): Promise<TransferRow[]> {
    return this.transfers.list(stuckQuery(asOf));
  }

  /**
   * What `repair` would do for a transfer whose workflow tasks keep failing, on nondeterminism or
   * on a command the server refuses (client/workflow-repair.ts); changes nothing.
   */
  async repairPlan(referralId: string): Promise<RepairPlan> {
    const id = parseInput(ReferralId, referralId, ['referralId']);
    try {
      return await planRepair(await this.deps.temporal(), workflowIdFor(id));
    } catch (err) {
      throw notFoundAs(err, id);
    }
  }

  /** Resets a stuck transfer to before the trouble; a manager's act, recorded as the reset's reason. */
  async repair(referralId: string, actor: unknown): Promise<{ plan: RepairPlan; outcome?: RepairOutcome }> {
    const id = parseInput(ReferralId, referralId, ['referralId']);
    const by = parseInput(Actor, actor, ['actor']);
    if (by.role !== 'manager')
      throw new InvalidInputError([{ field: 'actor.role', message: 'only a manager repairs a transfer' }]);
    const plan = await this.repairPlan(id);
    if (plan.kind !== 'reset') return { plan };
    const reason = `repair by manager ${by.id}: ${plan.cause} at event ${plan.failedEventId}, reset to event ${plan.resetToEventId}`;
    const outcome = await applyRepair(await this.deps.temporal(), workflowIdFor(id), plan, reason);
    this.deps.logger?.warn(
      { referralId: id, managerId: by.id, ...outcome, resetToEventId: plan.resetToEventId },
      'transfer repaired by reset',
    );
    return { plan, outcome };
  }

  /** Served by the SDK's built-in metadata query; null when no worker answers in time. */
  private async currentDetails(handle: WorkflowHandle): Promise<string | null> {
    const client = await this.deps.temporal();
    try {
      const metadata = await client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
        handle.query<{ currentDetails?: string | null }>('__temporal_workflow_metadata'),
      );
      return metadata.currentDetails || null;
    } catch {
      return null;
    }
  }
}

function notFoundAs(err: unknown, referralId: string): unknown {
  return err instanceof WorkflowNotFoundError ? new TransferNotFoundError(referralId) : err;
}

/** The service wired to the runtime configuration, connecting to Temporal on first use. */
export function openTransferService(
  config: RuntimeConfig,
  options: Pick<TransferServiceDeps, 'logger' | 'now'> = {},
): { service: TransferService; close(): Promise<void> } {
  const { temporal, close } = lazyTemporal(config);
  return {
    service: new TransferService({
      config,
      directory: loadDirectory(config.REFERRALS_DIRECTORY_FILE),
      temporal,
      ...options,
    }),
    close,
  };
}
