/**
 * The custom search attributes managers filter on in the Temporal UI (DESIGN.md). They are not
 * encrypted: only stage names, directory ids, levels and dates, never member information.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { CLOCK_WORKFLOW_TYPES } from './clocks/kinds';
import { WORKFLOW_TYPE } from './ids';

export const SA = {
  ReferralStage: defineSearchAttributeKey('ReferralStage', SearchAttributeType.KEYWORD),
  WaitingOn: defineSearchAttributeKey('WaitingOn', SearchAttributeType.KEYWORD),
  StageDeadline: defineSearchAttributeKey('StageDeadline', SearchAttributeType.DATETIME),
  EscalationLevel: defineSearchAttributeKey('EscalationLevel', SearchAttributeType.INT),
  ReceivingProvider: defineSearchAttributeKey('ReceivingProvider', SearchAttributeType.KEYWORD),
  SendingProgram: defineSearchAttributeKey('SendingProgram', SearchAttributeType.KEYWORD),
  CaseManager: defineSearchAttributeKey('CaseManager', SearchAttributeType.KEYWORD),
  LevelOfCare: defineSearchAttributeKey('LevelOfCare', SearchAttributeType.KEYWORD),
  Urgency: defineSearchAttributeKey('Urgency', SearchAttributeType.KEYWORD),
  Outcome: defineSearchAttributeKey('Outcome', SearchAttributeType.KEYWORD),
} as const;

/** `Name=Type` pairs, as `temporal server start-dev --search-attribute` and docker-compose take them. */
export const SEARCH_ATTRIBUTE_FLAGS: string[] = Object.values(SA).map((k) => `${k.name}=${cliType(k.type)}`);

function cliType(t: string): string {
  return { KEYWORD: 'Keyword', DATETIME: 'Datetime', INT: 'Int' }[t] ?? t;
}

/** The workflow types staff follow: the transfer and every coordination clock. */
const FOLLOWED_WORKFLOW_TYPES: readonly string[] = [WORKFLOW_TYPE, ...Object.values(CLOCK_WORKFLOW_TYPES)];

/** A visibility clause for these workflow types (our own constants only, never user text). */
export function workflowTypeClause(types: readonly string[]): string {
  return types.length === 1
    ? `WorkflowType = "${types[0]}"`
    : `WorkflowType IN (${types.map((t) => `"${t}"`).join(', ')})`;
}

/**
 * The server's own flag on a workflow whose tasks keep failing or timing out (Temporal 1.30+, set
 * after `system.numConsecutiveWorkflowTaskProblemsToTriggerSearchAttribute` in a row, cleared by
 * the next task that completes): values like `category=WorkflowTaskFailed`, `cause=…`.
 */
export const TASK_PROBLEMS = defineSearchAttributeKey('TemporalReportedProblems', SearchAttributeType.KEYWORD_LIST);
const TASK_PROBLEMS_CLAUSE = `${TASK_PROBLEMS.name} IN ("category=WorkflowTaskFailed", "category=WorkflowTaskTimedOut")`;

/**
 * Managers' "stuck" saved query: running transfers and clocks whose current stage's deadline has
 * passed, or whose workflow tasks keep failing (the watchdog's, worker/task-watchdog.ts).
 */
export function stuckQuery(asOf: Date): string {
  return `${workflowTypeClause(FOLLOWED_WORKFLOW_TYPES)} AND ExecutionStatus = "Running" AND (StageDeadline < "${asOf.toISOString()}" OR ${TASK_PROBLEMS_CLAUSE})`;
}

/** Running workflows of any type the server flags for failing or timed-out tasks. */
export const TASK_PROBLEMS_QUERY = `ExecutionStatus = "Running" AND ${TASK_PROBLEMS_CLAUSE}`;
