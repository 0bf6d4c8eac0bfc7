/**
 * Lists transfers from Temporal's visibility store by the custom search attributes, so a list of
 * hundreds costs one call, not one query per workflow. Filter values are checked against the
 * domain enums and the directory before they go into the query text, so nothing can inject.
 */
import type { WorkflowExecutionInfo } from '@temporalio/client';
import { z } from 'zod';
import { findProvider, type Directory } from '../domain/directory';
import { SA, stuckQuery, TASK_PROBLEMS } from '../domain/search-attributes';
import { DateTime } from 'luxon';
import { Outcome, ReferralStage, WaitingOn } from '../domain/stages';
import { ReferralId, WORKFLOW_TYPE, workflowIdFor } from '../domain/ids';
import { MEMBER_SEARCH_LIMIT } from '../infra/app-db/member-index';
import { clockIdFromWorkflowId, clockKindForWorkflowType } from '../domain/clocks/kinds';
import { parseInput } from './parse-input';
import { InvalidInputError } from './service-errors';

export const TransferFilters = z
  .object({
    stage: z.union([ReferralStage, z.literal('done')]).optional(),
    waitingOn: WaitingOn.optional(),
    provider: z.string().optional(),
    stuck: z.boolean().default(false),
    asOf: z.date().optional(),
    /** Defaults to running transfers, or to all when asking for stage `done` or an outcome. */
    status: z.enum(['running', 'all']).optional(),
    outcome: Outcome.optional(),
    /** Started on or after this county day, and on or before `startedTo`. */
    startedFrom: z.iso.date().optional(),
    startedTo: z.iso.date().optional(),
    /** Only these transfers: the matches of a search by member (infra/app-db/member-index.ts). */
    referralIds: z.array(ReferralId).max(MEMBER_SEARCH_LIMIT).optional(),
  })
  .strict();

/** One page of a list: its size, and the token the previous page gave for this one. */
export const ListPage = z.strictObject({
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  pageToken: z
    .string()
    .max(4000)
    .regex(/^[A-Za-z0-9_-]+$/, 'expected the nextPageToken of the previous page')
    .optional(),
});
export type ListPage = z.input<typeof ListPage>;
export type TransferFilters = z.input<typeof TransferFilters>;

export interface TransferRow {
  /** The referral id, or the clock id for a coordination clock (the same as `id`). */
  referralId: string;
  id: string;
  /** `transfer`, or the clock's kind (problem-list-update, ...); null for a workflow type we do not know. */
  kind: string | null;
  workflowId: string;
  status: string;
  stage: string | null;
  waitingOn: string | null;
  deadline: string | null;
  escalationLevel: number | null;
  provider: string | null;
  sendingProgram: string | null;
  caseManager: string | null;
  urgency: string | null;
  levelOfCare: string | null;
  outcome: string | null;
  /** Why its workflow tasks keep failing, as the server flags it (TemporalReportedProblems); null when they do not. */
  taskProblem: string | null;
  startedAt: string;
  closedAt: string | null;
}

/** The visibility query for these filters; throws InvalidInputError naming a bad filter. */
export function transferListQuery(
  dir: Directory,
  input: TransferFilters,
  now: () => Date,
  timeZone = 'America/Los_Angeles',
): string {
  const f = parseInput(TransferFilters, input);
  // Days are the county's: from its midnight, to the next midnight after `startedTo`.
  const midnight = (date: string, plusDays = 0) =>
    DateTime.fromISO(date, { zone: timeZone }).plus({ days: plusDays }).toUTC().toISO();
  if (f.provider !== undefined && !findProvider(dir, f.provider)) {
    // Directory ids are validated to [a-z0-9-], so a known id is also safe inside quotes.
    throw new InvalidInputError([
      { field: 'provider', message: `no receiving provider "${f.provider}" in the directory` },
    ]);
  }
  const status = f.status ?? (f.stage === 'done' || f.outcome ? 'all' : 'running');
  const clauses = [
    f.stuck ? stuckQuery(f.asOf ?? now()) : `WorkflowType = "${WORKFLOW_TYPE}"`,
    !f.stuck && status === 'running' ? 'ExecutionStatus = "Running"' : null,
    f.stage ? `${SA.ReferralStage.name} = "${f.stage}"` : null,
    f.waitingOn ? `${SA.WaitingOn.name} = "${f.waitingOn}"` : null,
    f.provider ? `${SA.ReceivingProvider.name} = "${f.provider}"` : null,
    f.outcome ? `${SA.Outcome.name} = "${f.outcome}"` : null,
    f.startedFrom ? `StartTime >= "${midnight(f.startedFrom)}"` : null,
    f.startedTo ? `StartTime < "${midnight(f.startedTo, 1)}"` : null,
    // Ids are validated against the referral id pattern, so they are safe inside quotes.
    f.referralIds ? `WorkflowId IN (${f.referralIds.map((id) => `"${workflowIdFor(id)}"`).join(', ')})` : null,
  ];
  return clauses.filter((c): c is string => c !== null).join(' AND ');
}

/** From a list entry or a describe() answer: both carry the same search attributes. */
export function toTransferRow(
  info: Pick<
    WorkflowExecutionInfo,
    'workflowId' | 'type' | 'status' | 'typedSearchAttributes' | 'startTime' | 'closeTime'
  >,
): TransferRow {
  const sa = info.typedSearchAttributes;
  const isClock = info.workflowId.startsWith('clock-');
  const id = isClock ? clockIdFromWorkflowId(info.workflowId) : info.workflowId.replace(/^transition-/, '');
  return {
    referralId: id,
    id,
    kind: info.type === WORKFLOW_TYPE ? 'transfer' : (clockKindForWorkflowType(info.type) ?? null),
    workflowId: info.workflowId,
    status: info.status.name,
    stage: sa.get(SA.ReferralStage) ?? null,
    waitingOn: sa.get(SA.WaitingOn) ?? null,
    deadline: sa.get(SA.StageDeadline)?.toISOString() ?? null,
    escalationLevel: sa.get(SA.EscalationLevel) ?? null,
    provider: sa.get(SA.ReceivingProvider) ?? null,
    sendingProgram: sa.get(SA.SendingProgram) ?? null,
    caseManager: sa.get(SA.CaseManager) ?? null,
    urgency: sa.get(SA.Urgency) ?? null,
    levelOfCare: sa.get(SA.LevelOfCare) ?? null,
    outcome: sa.get(SA.Outcome) ?? null,
    taskProblem: sa.get(TASK_PROBLEMS)?.join(' ') ?? null,
    startedAt: info.startTime.toISOString(),
    closedAt: info.closeTime?.toISOString() ?? null,
  };
}
