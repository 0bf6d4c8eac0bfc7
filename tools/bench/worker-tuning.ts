/**
 * Worker knobs the bench varies (docs/performance.md records what each did). Unset means what
 * `npm start` runs: the SDK's defaults, and REFERRALS_MAX_CACHED_WORKFLOWS (default 100) for the
 * cache; BENCH_MAX_CACHED_WORKFLOWS overrides that setting.
 */
import type { WorkerOptions } from '@temporalio/worker';
import { z } from 'zod';
import { parseEnvironment } from '../../infra/config';

const Count = z.coerce.number().int().min(1).max(100_000).optional();

const WorkerTuning = z.object({
  BENCH_MAX_CACHED_WORKFLOWS: Count,
  BENCH_MAX_CONCURRENT_WORKFLOW_TASKS: Count,
  BENCH_MAX_CONCURRENT_ACTIVITIES: Count,
  /** A workflow bundle built beforehand (`npx tsx worker/workflow-bundle.ts <file>`): the worker then skips bundling. */
  BENCH_WORKFLOW_BUNDLE: z.string().min(1).optional(),
  /** A folder: each worker process writes a V8 CPU profile per thread there when it exits (`--cpu-prof`). */
  BENCH_CPU_PROF_DIR: z.string().min(1).optional(),
});

/** Node flags for the worker processes (not settable through NODE_OPTIONS, which refuses --cpu-prof). */
export function workerNodeFlags(env: NodeJS.ProcessEnv): string[] {
  const dir = parseEnvironment(WorkerTuning, env).BENCH_CPU_PROF_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

export function workerTuning(env: NodeJS.ProcessEnv): Partial<WorkerOptions> {
  const t = parseEnvironment(WorkerTuning, env);
  return {
    ...(t.BENCH_MAX_CACHED_WORKFLOWS && { maxCachedWorkflows: t.BENCH_MAX_CACHED_WORKFLOWS }),
    ...(t.BENCH_MAX_CONCURRENT_WORKFLOW_TASKS && {
      maxConcurrentWorkflowTaskExecutions: t.BENCH_MAX_CONCURRENT_WORKFLOW_TASKS,
    }),
    ...(t.BENCH_MAX_CONCURRENT_ACTIVITIES && {
      maxConcurrentActivityTaskExecutions: t.BENCH_MAX_CONCURRENT_ACTIVITIES,
    }),
    ...(t.BENCH_WORKFLOW_BUNDLE && { workflowBundle: { codePath: t.BENCH_WORKFLOW_BUNDLE }, workflowsPath: undefined }),
  };
}
