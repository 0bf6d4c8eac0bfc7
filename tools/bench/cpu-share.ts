/**
 * CPU used per lifecycle by each process of the bench, over one phase: the workers, the Temporal
 * server, the app database (on the cluster, the server's PostgreSQL too) and the driver (this
 * process, the simulated people). The bench is CPU-bound on small machines, so the ratio follows
 * these sums; this says which process a gap sits in.
 */
import { cpuTicks, processTreeTicks } from './stack';

/** Linux reports /proc CPU times in USER_HZ, which is 100 on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;

export interface CpuShare {
  /** All worker processes together. */
  worker: number;
  server: number;
  /** PostgreSQL: the postmaster and its backends. */
  database: number;
  driver: number;
  total: number;
}

type Part = Exclude<keyof CpuShare, 'total'>;

export function startCpuMeter(pids: { workers: number[]; server: number; database: number }): {
  stop(lifecycles: number): CpuShare;
} {
  const ticks = () => ({
    worker: pids.workers.reduce((sum, pid) => sum + cpuTicks(pid), 0),
    server: cpuTicks(pids.server),
    database: processTreeTicks(pids.database),
  });
  const before = ticks();
  const driver0 = process.cpuUsage();
  return {
    stop(lifecycles) {
      const driverUs = process.cpuUsage(driver0);
      const after = ticks();
      const perLifecycle = (k: Exclude<Part, 'driver'>) => (after[k] - before[k]) / TICKS_PER_SECOND / lifecycles;
      return withTotal({
        worker: perLifecycle('worker'),
        server: perLifecycle('server'),
        database: perLifecycle('database'),
        driver: (driverUs.user + driverUs.system) / 1e6 / lifecycles,
      });
    },
  };
}

/** CpuShares of several phases of one kind (rounds), as one figure per lifecycle over all of them. */
export function combineCpuShares(phases: { share: CpuShare; lifecycles: number }[]): CpuShare {
  const lifecycles = phases.reduce((n, p) => n + p.lifecycles, 0);
  const sum = (k: Part) => phases.reduce((s, p) => s + p.share[k] * p.lifecycles, 0) / lifecycles;
  return withTotal({ worker: sum('worker'), server: sum('server'), database: sum('database'), driver: sum('driver') });
}

function withTotal(parts: Record<Part, number>): CpuShare {
  const total = parts.worker + parts.server + parts.database + parts.driver;
  return {
    worker: roundToMs(parts.worker),
    server: roundToMs(parts.server),
    database: roundToMs(parts.database),
    driver: roundToMs(parts.driver),
    total: roundToMs(total),
  };
}

/** Seconds to the millisecond. */
const roundToMs = (seconds: number) => Math.round(seconds * 1000) / 1000;
