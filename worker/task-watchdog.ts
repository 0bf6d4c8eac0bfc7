/**
 * The watchdog (docs/crash-safety.md): every 30 s, the running workflows the server flags for
 * workflow tasks that keep failing or timing out (TemporalReportedProblems: nondeterminism, a
 * refused command, a task that times out again and again). On-call is told once per run, by
 * email, with the workflow id, the run and the server's reason; the workflow stays in the stuck
 * view until a task completes again. It detects and tells; it never resets a workflow
 * (`referrals repair` stays on-call's tool of last resort). Several workers may sweep: the send
 * ledger's key lets one email through.
 */
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { temporalUiWorkflowUrl } from '../domain/links';
import { TASK_PROBLEMS, TASK_PROBLEMS_QUERY } from '../domain/search-attributes';
import type { Courier } from '../activities/courier';
import { repeatEvery } from '../infra/repeat-every';

export interface WatchdogDeps {
  client: Client;
  outbox: Courier;
  onCallEmail: string;
  temporalUiUrl: string;
  namespace: string;
  logger: Logger;
}

/** One sweep: tells on-call of each flagged run not told before; returns the runs flagged now. */
async function sweepTaskProblems(deps: WatchdogDeps, now = new Date()): Promise<string[]> {
  const flagged: string[] = [];
  for await (const info of deps.client.workflow.list({ query: TASK_PROBLEMS_QUERY })) {
    flagged.push(info.workflowId);
    const reason = info.typedSearchAttributes.get(TASK_PROBLEMS)?.join(', ') ?? 'workflow tasks failing';
    const link = temporalUiWorkflowUrl(deps.temporalUiUrl, deps.namespace, info.workflowId);
    const status = await deps.outbox.deliver({
      key: `watchdog/${info.workflowId}/${info.runId}`,
      referralId: info.workflowId,
      channel: 'email',
      audience: 'on-call',
      kind: 'task-problem',
      to: deps.onCallEmail,
      subject: `Stuck workflow ${info.workflowId}: its tasks keep failing`,
      text: [
        `Workflow ${info.workflowId} (run ${info.runId}) cannot move: its workflow tasks keep failing.`,
        `Reason reported by the Temporal server: ${reason}.`,
        `Open it in the Temporal UI: ${link}`,
        'Nothing was reset. If a fixed worker does not free it, `referrals repair` is the last resort (docs/crash-safety.md).',
      ].join('\n'),
      dueAt: now.toISOString(),
    });
    if (status === 'sent')
      deps.logger.error({ workflowId: info.workflowId, runId: info.runId, reason }, 'workflow tasks keep failing');
  }
  return flagged;
}

/** Sweeps every `everyMs` until stopped; a failed sweep is logged and the next one tries again. */
export function startTaskWatchdog(deps: WatchdogDeps, everyMs = 30_000): { stop(): Promise<void> } {
  return repeatEvery(
    everyMs,
    () => sweepTaskProblems(deps),
    (err) => deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'watchdog sweep failed'),
  );
}
