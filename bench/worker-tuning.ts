/**
 * Worker knobs the bench varies (docs/performance.md records what each did). Unset means what
 * `npm start` runs: the SDK's defaults, and REFERRALS_MAX_CACHED_WORKFLOWS (default 100) for the
 * cache; BENCH_MAX_CACHED_WORKFLOWS overrides that setting.
 */
import type { WorkerOptions } from '@temporalio/worker';
import { z } from 'zod';
import { parseEnvironment } from '../infra/config';

const Count = z.coerce.number().int().min(1).max(100_000).optional();

export const WorkerTuning = z.object({
  BENCH_MAX_CACHED_WORKFLOWS: Count,
  BENCH_MAX_CONCURRENT_WORKFLOW_TASKS: Count,
  BENCH_MAX_CONCURRENT_ACTIVITIES: Count,
  /** A workflow bundle built beforehand (`npx tsx worker/workflow-bundle.ts <file>`): the worker then skips bundling. */
  BENCH_WORKFLOW_BUNDLE: z.string().min(1).optional(),
});

export function workerTuning(env: NodeJS.ProcessEnv): Partial<WorkerOptions> {
  const t = parseEnvironment(WorkerTuning, env);
  return {
    ...(t.BENCH_MAX_CACHED_WORKFLOWS && { maxCachedWorkflows: t.BENCH_MAX_CACHED_WORKFLOWS }),
    ...(t.BENCH_MAX_CONCURRENT_WORKFLOW_TASKS && { maxConcurrentWorkflowTaskExecutions: t.BENCH_MAX_CONCURRENT_WORKFLOW_TASKS }),
    ...(t.BENCH_MAX_CONCURRENT_ACTIVITIES && { maxConcurrentActivityTaskExecutions: t.BENCH_MAX_CONCURRENT_ACTIVITIES }),
    ...(t.BENCH_WORKFLOW_BUNDLE && { workflowBundle: { codePath: t.BENCH_WORKFLOW_BUNDLE }, workflowsPath: undefined }),
  };
}
