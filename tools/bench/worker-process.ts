/**
 * A worker in its own process for bench and drills: the referrals worker (the production wiring,
 * worker/create-worker.ts) or the bare baseline. Tuning comes from worker-tuning.ts, so both run
 * with the same cache and concurrency. Prints READY once polling.
 */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { loadRuntimeConfig } from '../../infra/config';
import { referralsDataConverter } from '../../infra/data-converter';
import { loadKeyRing } from '../../infra/key-ring';
import { createLogger } from '../../infra/logger';
import { connectionSettings } from '../../infra/temporal-connection';
import { createReferralsWorker } from '../../worker/create-worker';
import { BASELINE_TASK_QUEUE } from './baseline-workflow';
import { workerTuning } from './worker-tuning';

async function main(kind: string): Promise<void> {
  const config = loadRuntimeConfig();
  const logger = createLogger(config.LOG_LEVEL, `bench-${kind}-worker`);
  // The SDK's own info lines (state changes, webpack stats) would drown the bench's output.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  // A prebuilt bundle holds the referrals workflows only: the baseline always bundles its own.
  const { workflowBundle: referralsBundle, workflowsPath: _ignored, ...tuning } = workerTuning(process.env);
  let worker: Worker;
  let close: () => Promise<void>;
  if (kind === 'baseline') {
    const connection = await NativeConnection.connect(connectionSettings(config));
    worker = await Worker.create({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: BASELINE_TASK_QUEUE,
      workflowsPath: require.resolve('./baseline-workflow'),
      // Same encryption as the referrals worker: the baseline pays the codec too.
      dataConverter: referralsDataConverter(loadKeyRing(config)),
      activities: { noop: async (): Promise<void> => undefined },
      // Same cache bound as the referrals worker (worker/create-worker.ts) unless BENCH_* says otherwise.
      maxCachedWorkflows: config.REFERRALS_MAX_CACHED_WORKFLOWS,
      ...tuning,
    });
    close = () => connection.close();
  } else {
    ({ worker, close } = await createReferralsWorker(config, {
      ...tuning,
      ...(referralsBundle && { workflowBundle: referralsBundle, workflowsPath: undefined }),
    }));
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => worker.shutdown());
  const running = worker.run();
  logger.info({ kind, tuning }, 'bench worker polling');
  process.stdout.write('READY\n');
  await running;
  await close();
}

main(process.argv[2] ?? 'referrals').catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
