/** Runs a worker on its own (the compose stack, or more workers on the same task queue). */
import { loadRuntimeConfig } from '../infra/config';
import { createLogger } from '../infra/logger';
import { createReferralsWorker } from './create-worker';

async function main(): Promise<void> {
  const config = loadRuntimeConfig();
  const logger = createLogger(config.LOG_LEVEL, 'worker');
  const { worker, close } = await createReferralsWorker(config);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => worker.shutdown());
  const running = worker.run();
  logger.info(
    {
      taskQueue: config.REFERRALS_TASK_QUEUE,
      namespace: config.TEMPORAL_NAMESPACE,
      address: config.TEMPORAL_ADDRESS,
      state: worker.getState(),
    },
    'worker started',
  );
  await running;
  await close();
  logger.info('worker stopped');
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
