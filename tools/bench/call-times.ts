/**
 * How long the simulated people wait on each kind of client call (start, read, event), so the
 * bench shows where a lifecycle's time goes outside the workflow's own run: a read that waits
 * for a workflow task, or replays a history, shows here first.
 */
import { mean, percentile } from './history-figures';

export type CallKind = 'start' | 'read' | 'event';

export class CallTimes {
  private readonly ms = new Map<CallKind, number[]>();

  async time<T>(kind: CallKind, call: () => Promise<T>): Promise<T> {
    const started = Date.now();
    try {
      return await call();
    } finally {
      const list = this.ms.get(kind) ?? [];
      list.push(Date.now() - started);
      this.ms.set(kind, list);
    }
  }

  /** Per kind: calls per lifecycle, mean and p95 milliseconds. */
  summary(lifecycles: number): Partial<Record<CallKind, { perLifecycle: number; meanMs: number; p95Ms: number }>> {
    const out: Partial<Record<CallKind, { perLifecycle: number; meanMs: number; p95Ms: number }>> = {};
    for (const [kind, list] of this.ms) {
      out[kind] = {
        perLifecycle: Math.round((list.length / lifecycles) * 100) / 100,
        meanMs: Math.round(mean(list)),
        p95Ms: percentile(list, 95),
      };
    }
    return out;
  }
}
