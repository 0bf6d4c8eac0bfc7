/**
 * `npm run drill`: faults while hundreds of transfers are in flight, then the checks in
 * drill-checks.ts. Drills:
 *   worker-kill     kill -9 the worker mid-run, start a new one
 *   server-restart  stop the dev server mid-run, start it again on the same SQLite file
 * Exits non-zero when a check fails.
 */
import { z } from 'zod';
import { openTransferService } from '../client/transfer-service';
import { createLogger } from '../infra/logger';
import { ledgerCounts, outcomeProblems, slotsFree } from './drill-checks';
import { FlagError, parseFlags } from './flags';
import { driveTransfer, pool, sleep } from './simulated-people';
import { spawnWorker, startStack, type Stack, type WorkerProcess } from './stack';

const DRILLS = ['worker-kill', 'server-restart'] as const;
type Drill = (typeof DRILLS)[number];

const DrillFlags = z
  .object({
    drill: z.enum([...DRILLS, 'all']).default('all'),
    transfers: z.coerce.number().int().min(1).max(2_000).default(300),
    /** How long after the first starts the fault strikes. */
    'fault-after-ms': z.coerce.number().int().min(0).max(600_000).default(8_000),
    /** How long the worker or server stays down. */
    'down-ms': z.coerce.number().int().min(0).max(600_000).default(5_000),
  })
  .strict();
type DrillFlags = z.infer<typeof DrillFlags>;

const logger = createLogger('info', 'drill');

async function runDrill(drill: Drill, flags: DrillFlags): Promise<boolean> {
  const stack = await startStack();
  let worker: WorkerProcess = spawnWorker(stack.env, 'referrals');
  const { service, close } = openTransferService(stack.config);
  try {
    await worker.ready;
    const started = Date.now();
    // Appointments 15 s ahead keep every transfer in flight when the fault strikes.
    const driving = pool(flags.transfers, flags.transfers, () => driveTransfer(service, 15_000, true));
    await sleep(flags['fault-after-ms']);
    logger.info({ drill, inFlight: flags.transfers }, 'fault');
    worker = await fault(drill, stack, worker, flags['down-ms']);
    const finals = await driving;
    const seconds = Math.round((Date.now() - started) / 1000);
    const problems = outcomeProblems(finals, 'linked');
    const free = await slotsFree(service);
    await worker.kill();
    const ledger = await ledgerCounts(stack.env, stack.config.REFERRALS_DATA_DIR);
    const passed = problems.length === 0 && ledger.sentTwice === 0 && free;
    const report = { drill, transfers: flags.transfers, seconds, linked: finals.length - problems.length, problems: problems.slice(0, 10), ledger, slotsFree: free, passed };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return passed;
  } finally {
    await worker.kill();
    await close();
    await stack.close();
  }
}

async function fault(drill: Drill, stack: Stack, worker: WorkerProcess, downMs: number): Promise<WorkerProcess> {
  switch (drill) {
    case 'worker-kill': {
      await worker.kill('SIGKILL');
      await sleep(downMs);
      const next = spawnWorker(stack.env, 'referrals');
      await next.ready;
      return next;
    }
    case 'server-restart':
      await stack.server.stop();
      await sleep(downMs);
      await stack.restartServer();
      return worker;
  }
}

async function main(): Promise<void> {
  const flags = parseFlags(DrillFlags, process.argv.slice(2));
  const drills = flags.drill === 'all' ? [...DRILLS] : [flags.drill];
  let passed = true;
  for (const drill of drills) passed = (await runDrill(drill, flags)) && passed;
  process.exitCode = passed ? 0 : 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof FlagError ? `drill: ${err.message}` : err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(err instanceof FlagError ? 2 : 1);
});
