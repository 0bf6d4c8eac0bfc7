/**
 * CPU used per lifecycle by each process of the bench, over one phase: worker, dev server and the
 * driver (this process, the simulated people). The bench is CPU-bound on small machines, so the
 * ratio follows these sums; this says which process a gap sits in.
 */
import { cpuTicks } from './stack';

/** Linux reports /proc CPU times in USER_HZ, which is 100 on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;

export interface CpuShare {
  worker: number;
  server: number;
  driver: number;
  total: number;
}

export function startCpuMeter(pids: { worker: number; server: number }): { stop(lifecycles: number): CpuShare } {
  const worker0 = cpuTicks(pids.worker);
  const server0 = cpuTicks(pids.server);
  const driver0 = process.cpuUsage();
  return {
    stop(lifecycles) {
      const driverUs = process.cpuUsage(driver0);
      const worker = (cpuTicks(pids.worker) - worker0) / TICKS_PER_SECOND / lifecycles;
      const server = (cpuTicks(pids.server) - server0) / TICKS_PER_SECOND / lifecycles;
      const driver = (driverUs.user + driverUs.system) / 1e6 / lifecycles;
      return {
        worker: roundToMs(worker),
        server: roundToMs(server),
        driver: roundToMs(driver),
        total: roundToMs(worker + server + driver),
      };
    },
  };
}

/** CpuShares of several phases of one kind (rounds), as one figure per lifecycle over all of them. */
export function combineCpuShares(phases: { share: CpuShare; lifecycles: number }[]): CpuShare {
  const lifecycles = phases.reduce((n, p) => n + p.lifecycles, 0);
  const sum = (k: keyof CpuShare) => phases.reduce((s, p) => s + p.share[k] * p.lifecycles, 0) / lifecycles;
  return {
    worker: roundToMs(sum('worker')),
    server: roundToMs(sum('server')),
    driver: roundToMs(sum('driver')),
    total: roundToMs(sum('total')),
  };
}

/** Seconds to the millisecond. */
const roundToMs = (seconds: number) => Math.round(seconds * 1000) / 1000;
