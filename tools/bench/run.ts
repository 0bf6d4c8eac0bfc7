/**
 * `npm run bench`: N transfers through the whole lifecycle on a local dev server (or, with
 * `--stack cluster`, the Temporal server on PostgreSQL; `--workers N` worker processes), answered by
 * simulated people through TransferService; then the bare baseline with the same shape; with
 * --open N, memory with N transfers open and waiting. Prints and writes tools/bench/results/latest.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openTransferService } from '../../client/transfer-service';
import { connectTemporalClient } from '../../client/temporal-client';
import { workflowIdFor } from '../../domain/ids';
import { createLogger } from '../../infra/logger';
import type { LifecycleShape } from './baseline-workflow';
import { CallTimes } from './call-times';
import { combineCpuShares, startCpuMeter, type CpuShare } from './cpu-share';
import { driveBaseline } from './drive-baseline';
import { BenchFlags, FlagError, parseFlags } from './flags';
import { activityTimes, fetchFigures, mean, percentile } from './history-figures';
import { HAPPY_PATH_SHAPE, recordedShape, shapeDifferences, shapeOf } from './happy-path-shape';
import { benchRequest, driveTransfer } from './simulated-people';
import { pool, roundSizes } from './pool';
import {
  rssMb,
  settledRssMb,
  spawnWorker,
  startClusterStack,
  startStack,
  waitUntilIdle,
  type Stack,
  type WorkerProcess,
} from './stack';
import { workerTuning } from './worker-tuning';

const RESULTS = path.resolve(__dirname, 'results', 'latest.json');

async function main(): Promise<void> {
  const flags = parseFlags(BenchFlags, process.argv.slice(2));
  const logger = createLogger('info', 'bench');
  const stack = flags.stack === 'cluster' ? await startClusterStack() : await startStack();
  const workers: WorkerProcess[] = [];
  const closers: (() => Promise<void>)[] = [];
  const spawnWorkers = async (kind: 'referrals' | 'baseline') => {
    const started = Array.from({ length: flags.workers }, () => spawnWorker(stack.env, kind));
    workers.push(...started);
    await Promise.all(started.map((w) => w.ready));
    return started;
  };
  try {
    logger.info(
      { stack: flags.stack, workers: flags.workers, transfers: flags.transfers, concurrency: flags.concurrency },
      'stack up',
    );
    const transferWorkers = await spawnWorkers('referrals');
    const { service, close } = openTransferService(stack.config);
    closers.push(close);

    // One transfer first: warms the worker; its history against the shape the baseline copies.
    const warm = await driveTransfer(service, flags['appointment-lead-ms']);
    const temporal = await connectTemporalClient(stack.config);
    closers.push(temporal.close);
    const warmFigures = await recordedShape(temporal.client, warm.referralId);
    const warmUpDiffers = shapeDifferences(HAPPY_PATH_SHAPE, warmFigures.shape);
    const shape = HAPPY_PATH_SHAPE;
    logger.info({ shape, warmUpDiffers, historyEvents: warmFigures.events }, 'happy-path shape');

    // Both workers stay up; each round drives its share of transfers, then as many baselines.
    const baselineWorkers = await spawnWorkers('baseline');
    await driveBaseline(temporal.client, shape, flags['appointment-lead-ms']);
    const transferCalls = new CallTimes();
    const baselineCalls = new CallTimes();
    const finals: Awaited<ReturnType<typeof driveTransfer>>[] = [];
    const baselineIds: string[] = [];
    const rounds: {
      transfers: number;
      transferSeconds: number;
      baselineSeconds: number;
      transferCpu: CpuShare;
      baselineCpu: CpuShare;
    }[] = [];
    for (const n of roundSizes(flags.transfers, flags.rounds)) {
      const transfer = await phase(n, flags.concurrency, processesOf(stack, transferWorkers), () =>
        driveTransfer(service, flags['appointment-lead-ms'], true, transferCalls),
      );
      finals.push(...transfer.results);
      const baseline = await phase(n, flags.concurrency, processesOf(stack, baselineWorkers), () =>
        driveBaseline(temporal.client, shape, flags['appointment-lead-ms'], baselineCalls),
      );
      baselineIds.push(...baseline.results);
      rounds.push({
        transfers: n,
        transferSeconds: transfer.seconds,
        baselineSeconds: baseline.seconds,
        transferCpu: transfer.cpu,
        baselineCpu: baseline.cpu,
      });
      if (flags.rounds > 1)
        logger.info(
          { round: rounds.length, transfers: n, ratio: round(baseline.seconds / transfer.seconds) },
          'round done',
        );
    }
    const transferSeconds = rounds.reduce((s, r) => s + r.transferSeconds, 0);
    const baselineSeconds = rounds.reduce((s, r) => s + r.baselineSeconds, 0);
    const transferCpuSeconds = combineCpuShares(rounds.map((r) => ({ share: r.transferCpu, lifecycles: r.transfers })));
    const baselineCpuSeconds = combineCpuShares(rounds.map((r) => ({ share: r.baselineCpu, lifecycles: r.transfers })));
    for (const w of baselineWorkers) await w.kill();
    // With several workers, the largest: each worker is its own process with its own cache.
    const workerRssMb = Math.max(...transferWorkers.map((w) => rssMb(w.pid)));
    const workerRssSettledMb = Math.max(...(await Promise.all(transferWorkers.map((w) => settledRssMb(w.pid)))));
    const notLinked = finals.filter((s) => s.outcome !== 'linked').length;
    if (notLinked) throw new Error(`${notLinked} transfers did not end linked`);
    const figures = await fetchFigures(
      temporal.client,
      finals.map((s) => workflowIdFor(s.referralId)),
    );
    const latencies = figures.flatMap((f) => f.latenciesMs);
    const taken = figures.flatMap((f) => f.takenMs);
    const baselineFigures = await fetchFigures(temporal.client, baselineIds);
    // Every lifecycle against the fixed shape: a transfer that took another path, or a baseline that drifted.
    const differing = (all: typeof figures) =>
      all.filter((f) => shapeDifferences(withoutChild(shape), shapeOf(f)).length > 0).length;
    for (const w of transferWorkers) await w.kill();

    const open = flags.open > 0 ? await measureOpen(stack, flags.open, service) : {};
    const result = {
      command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
      at: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        memoryGb: Math.round(os.totalmem() / 2 ** 30),
        loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
      },
      stack: flags.stack,
      workers: flags.workers,
      tuning: workerTuning(process.env),
      // The two settings outside BENCH_* that change worker memory most (docs/performance.md).
      appDatabase: stack.env.APP_DATABASE_URL ? 'postgres' : 'embedded',
      nodeOptions: process.env.NODE_OPTIONS ?? null,
      // What the referrals worker ran with: BENCH_MAX_CACHED_WORKFLOWS, else REFERRALS_MAX_CACHED_WORKFLOWS.
      maxCachedWorkflows: workerTuning(process.env).maxCachedWorkflows ?? stack.config.REFERRALS_MAX_CACHED_WORKFLOWS,
      transfers: flags.transfers,
      concurrency: flags.concurrency,
      rounds: flags.rounds,
      transfersPerSecond: round(flags.transfers / transferSeconds),
      baselinePerSecond: round(flags.transfers / baselineSeconds),
      ratio: round(baselineSeconds / transferSeconds),
      // The headline: the transfer's worker CPU per lifecycle over the bare baseline's (the server's is alike on both).
      workerCpuRatio: round(transferCpuSeconds.worker / baselineCpuSeconds.worker),
      eventLatencyMs: {
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
        samples: latencies.length,
      },
      // Before that: from a signal's arrival until the workflow task that took it completed.
      eventTakenMs: { p50: percentile(taken, 50), p95: percentile(taken, 95), p99: percentile(taken, 99) },
      workerRssMb,
      workerRssSettledMb,
      historyEventsPerTransfer: round(mean(figures.map((f) => f.events))),
      maxHistoryEventsPerTransfer: Math.max(...figures.map((f) => f.events)),
      // Protobuf bytes of each history, as the server stores it and every replay reads it.
      historyBytesPerTransfer: Math.round(mean(figures.map((f) => f.bytes))),
      historyBytesPerBaseline: Math.round(mean(baselineFigures.map((f) => f.bytes))),
      shapeDiffers: { warmUp: warmUpDiffers, transfers: differing(figures), baselines: differing(baselineFigures) },
      // The shapes the driven transfers took, most frequent first: under load some answers come late.
      transferShapes: commonest(
        figures.map((f) => JSON.stringify(shapeOf(f))),
        3,
      ).map(([shape, transfers]) => ({
        ...(JSON.parse(shape) as object),
        transfers,
      })),
      // Where a transfer's time goes: its run from start to end, and each activity's queue wait and run.
      secondsPerTransfer: round(mean(figures.map((f) => f.wallMs)) / 1000),
      secondsPerBaseline: round(mean(baselineFigures.map((f) => f.wallMs)) / 1000),
      activityMs: activityTimes(figures),
      // What the simulated people waited on, per kind of call: the rest of a lifecycle's time.
      clientCallMs: {
        transfer: transferCalls.summary(flags.transfers),
        baseline: baselineCalls.summary(flags.transfers),
      },
      // CPU per lifecycle by process: on a machine the bench fills, the ratio follows these totals.
      cpuSecondsPerLifecycle: { transfer: transferCpuSeconds, baseline: baselineCpuSeconds },
      // With --rounds: each round's own ratio, to see how far the machine drifted during the run.
      ...(flags.rounds > 1 && { roundRatios: rounds.map((r) => round(r.baselineSeconds / r.transferSeconds)) }),
      shape: { ...shape, baselineHistoryEvents: Math.max(...baselineFigures.map((f) => f.events)) },
      ...open,
    };
    mkdirSync(path.dirname(RESULTS), { recursive: true });
    writeFileSync(RESULTS, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\nwritten to ${path.relative(process.cwd(), RESULTS)}\n`);
  } catch (err) {
    // Said before cleanup: closing connections under pending retries can throw over it.
    logger.error({ err }, 'bench failed');
    throw err;
  } finally {
    for (const w of workers) await w.kill();
    for (const close of closers) await close().catch(() => undefined);
    await stack.close();
  }
}

/** Drives n lifecycles, `concurrency` at once; their wall seconds and the CPU each process used. */
async function phase<T>(
  n: number,
  concurrency: number,
  processes: Parameters<typeof startCpuMeter>[0],
  drive: () => Promise<T>,
) {
  const started = Date.now();
  const meter = startCpuMeter(processes);
  const results = await pool(n, concurrency, drive);
  return { results, seconds: (Date.now() - started) / 1000, cpu: meter.stop(n) };
}

/** The processes a phase's CPU is read from: its workers, the server as it runs now, the database. */
function processesOf(stack: Stack, workers: WorkerProcess[]) {
  return { workers: workers.map((w) => w.pid), server: stack.server.pid, database: stack.databasePid() };
}

/** N transfers started and left waiting on the case manager; worker memory before, and once it has caught up. */
async function measureOpen(stack: Stack, n: number, service: ReturnType<typeof openTransferService>['service']) {
  const worker = spawnWorker(stack.env, 'referrals');
  try {
    await worker.ready;
    await waitUntilIdle(worker.pid);
    // The fresh worker's own floor (Node, SDK core, workflow bundle, embedded app database).
    const idleRssMb = await settledRssMb(worker.pid);
    const started = Date.now();
    await pool(n, 50, () => service.startTransfer(benchRequest()));
    await waitUntilIdle(worker.pid);
    const openStartSeconds = round((Date.now() - started) / 1000);
    const openPeakRssMb = rssMb(worker.pid);
    // What the worker holds for good with N open: bounded by the cache, not by N.
    const openRssMb = await settledRssMb(worker.pid);
    return {
      openTransfers: n,
      openStartSeconds,
      idleRssMb,
      openPeakRssMb,
      openRssMb,
      openRssMbPerTransfer: round((openRssMb - idleRssMb) / n),
    };
  } finally {
    await worker.kill();
  }
}

const round = (x: number) => Math.round(x * 100) / 100;
/** The `n` most frequent values with their counts, most frequent first. */
function commonest(values: string[], n: number): [string, number][] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, n);
}
const withoutChild = ({ child: _child, ...rest }: LifecycleShape) => rest;

main().catch((err: unknown) => {
  process.stderr.write(
    `${err instanceof FlagError ? `bench: ${err.message}` : err instanceof Error ? err.stack : String(err)}\n`,
  );
  process.exit(err instanceof FlagError ? 2 : 1);
});
