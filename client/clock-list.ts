/**
 * Lists coordination clocks from Temporal's visibility store, like transfer-list.ts lists
 * transfers: one call, search attributes only. The kind filter is checked against the clock
 * kinds before it becomes a workflow type in the query text, so nothing can inject.
 */
import { z } from 'zod';
import { CLOCK_KINDS, CLOCK_WORKFLOW_TYPES, ClockKind } from '../domain/clocks/kinds';
import { workflowTypeClause } from '../domain/search-attributes';
import { parseInput } from './parse-input';

export const ClockFilters = z
  .object({
    kind: ClockKind.optional(),
    /** Defaults to running clocks. */
    status: z.enum(['running', 'all']).default('running'),
  })
  .strict();
export type ClockFilters = z.input<typeof ClockFilters>;

/** The visibility query for these filters; throws InvalidInputError naming a bad filter. */
export function clockListQuery(input: ClockFilters): string {
  const f = parseInput(ClockFilters, input);
  const types = (f.kind ? [f.kind] : CLOCK_KINDS).map((k) => CLOCK_WORKFLOW_TYPES[k]);
  return [workflowTypeClause(types), f.status === 'running' ? 'ExecutionStatus = "Running"' : null]
    .filter((c): c is string => c !== null)
    .join(' AND ');
}
