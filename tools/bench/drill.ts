/**
 * `npm run drill`: faults while transfers are in flight, then the checks in drill-checks.ts.
 * Drills:
 *   worker-kill         kill -9 the worker at --kills random moments mid-run, each time starting a new one
 *   server-kill         kill -9 the dev server mid-run, start it again on the same SQLite file
 *   partner-email-fail  the worker sends email by SMTP to a local server that refuses partner
 *                       intake addresses (config/directory.json) with 451 for --down-ms, then accepts
 *   partner-email-hang  the same SMTP server accepts connections but answers nothing (greeting,
 *                       MAIL FROM, RCPT TO) for --down-ms, then behaves: the SMTP client's timeouts
 *                       must turn the hang into activity retries
 *   cluster             on the production topology (the Temporal server on PostgreSQL, three
 *                       workers; scripts/temporal-on-postgres.ts): kill -9 one worker, stop and
 *                       start another, then kill -9 the server and start it again
 * Exits non-zero when a check fails.
 */
import { z } from 'zod';
import { openTransferService } from '../../client/transfer-service';
import { loadRuntimeConfig } from '../../infra/config';
import { loadDirectory } from '../../infra/config-files';
import { createLogger } from '../../infra/logger';
import { startSmtpCatcher, type Received } from '../../test/support/smtp-catcher';
import { ledgerCounts, outcomeProblems, sentEmailMessageIds, slotsFree } from './drill-checks';
import { FlagError, parseFlags } from './flags';
import { driveTransfer } from './simulated-people';
import { pool, sleep } from './pool';
import { CallTimes } from './call-times';
import { spawnWorker, startClusterStack, startStack, type Stack, type WorkerProcess } from './stack';

const DRILLS = ['worker-kill', 'server-kill', 'partner-email-fail', 'partner-email-hang', 'cluster'] as const;
type Drill = (typeof DRILLS)[number];

/**
 * Per drill, unless a flag says otherwise. The email drills strike from the start (the first
 * packets go out a few seconds in) and are smaller: the activity retry backs off (5 s, doubling),
 * so a transfer whose packet was refused waits up to twice the outage for its next attempt.
 */
const DEFAULTS: Record<Drill, { transfers: number; faultAfterMs: number; downMs: number }> = {
  'worker-kill': { transfers: 300, faultAfterMs: 8_000, downMs: 5_000 },
  'server-kill': { transfers: 300, faultAfterMs: 8_000, downMs: 5_000 },
  'partner-email-fail': { transfers: 100, faultAfterMs: 0, downMs: 20_000 },
  'partner-email-hang': { transfers: 100, faultAfterMs: 0, downMs: 20_000 },
  cluster: { transfers: 1_000, faultAfterMs: 8_000, downMs: 5_000 },
};
/** The cluster drill's workers on the one task queue, as `npm run cluster` runs them. */
const CLUSTER_WORKERS = 3;
const CLUSTER_FAULTS = ['kill a worker', 'restart a worker', 'kill the server'] as const;

const DrillFlags = z
  .object({
    drill: z.enum([...DRILLS, 'all']).default('all'),
    /** Default per drill (DEFAULTS). */
    transfers: z.coerce.number().int().min(1).max(2_000).optional(),
    /** How long after the first starts the fault strikes. */
    'fault-after-ms': z.coerce.number().int().min(0).max(600_000).optional(),
    /** How long the worker, server or partner email stays down. */
    'down-ms': z.coerce.number().int().min(0).max(600_000).optional(),
    /** worker-kill: how many times the worker is killed, each at a random moment up to --fault-after-ms after the last start. */
    kills: z.coerce.number().int().min(1).max(20).default(3),
    /** The drill (or each of all) this many times in a row, each on a fresh stack. */
    runs: z.coerce.number().int().min(1).max(50).default(1),
  })
  .strict();
type DrillFlags = z.infer<typeof DrillFlags>;
interface DrillSizes {
  transfers: number;
  faultAfterMs: number;
  downMs: number;
}

const logger = createLogger('info', 'drill');

async function runDrill(drill: Drill, flags: DrillFlags): Promise<boolean> {
  const sizes: DrillSizes = {
    transfers: flags.transfers ?? DEFAULTS[drill].transfers,
    faultAfterMs: flags['fault-after-ms'] ?? DEFAULTS[drill].faultAfterMs,
    downMs: flags['down-ms'] ?? DEFAULTS[drill].downMs,
  };
  const smtp =
    drill === 'partner-email-fail' || drill === 'partner-email-hang' ? await startFaultySmtp(drill) : undefined;
  const stack = drill === 'cluster' ? await startClusterStack() : await startStack(smtp?.env);
  let workers: WorkerProcess[] = Array.from({ length: drill === 'cluster' ? CLUSTER_WORKERS : 1 }, () =>
    spawnWorker(stack.env, 'referrals'),
  );
  const { service, close } = openTransferService(stack.config);
  try {
    await Promise.all(workers.map((w) => w.ready));
    const started = Date.now();
    smtp?.faultWindow(started + sizes.faultAfterMs, started + sizes.faultAfterMs + sizes.downMs);
    // Appointments 15 s ahead keep every transfer in flight when the fault strikes. Each simulated
    // person reads its transfer every half second while waiting (staff screens): the reads by
    // query that once made a crash and its replay disagree.
    const repaired: string[] = [];
    const calls = new CallTimes();
    const driving = pool(sizes.transfers, sizes.transfers, () => driveTransfer(service, 15_000, true, calls, repaired));
    const strikes = drill === 'worker-kill' ? flags.kills : drill === 'cluster' ? CLUSTER_FAULTS.length : 1;
    const struckAt: number[] = [];
    for (let strike = 1; strike <= strikes; strike++) {
      await sleep(drill === 'worker-kill' ? 2_000 + Math.random() * sizes.faultAfterMs : sizes.faultAfterMs);
      struckAt.push(Date.now() - started);
      logger.info({ drill, strike, inFlight: sizes.transfers, downMs: sizes.downMs }, 'fault');
      workers = await fault(drill, stack, workers, sizes.downMs, strike);
    }
    const finals = await driving;
    const seconds = Math.round((Date.now() - started) / 1000);
    const problems = outcomeProblems(finals, 'linked');
    const free = await slotsFree(service);
    await Promise.all(workers.map((w) => w.kill()));
    const ledger = await ledgerCounts(stack.env, stack.config.REFERRALS_DATA_DIR);
    const email =
      smtp &&
      (await smtp.deliveries(await sentEmailMessageIds(stack.env, stack.config.REFERRALS_DATA_DIR), sizes.transfers));
    // No transfer may need a person: a reset by the simulated on-call fails the drill.
    const passed =
      problems.length === 0 && ledger.sentTwice === 0 && free && repaired.length === 0 && (email?.passed ?? true);
    const reads = calls.summary(sizes.transfers).read;
    const report = {
      drill,
      transfers: sizes.transfers,
      faultAfterMs: sizes.faultAfterMs,
      downMs: sizes.downMs,
      seconds,
      struckAtMs: struckAt,
      readsPerTransferSecond: reads ? Math.round((reads.perLifecycle / seconds) * 100) / 100 : 0,
      linked: finals.length - problems.length,
      problems: problems.slice(0, 10),
      ledger,
      // Stuck transfers the simulated on-call's `referrals repair` reset: must be none.
      repairedByReset: repaired,
      ...(email && { partnerEmail: email.figures }),
      slotsFree: free,
      passed,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return passed;
  } finally {
    await Promise.all(workers.map((w) => w.kill()));
    await close();
    await stack.close();
    await smtp?.close();
  }
}

async function fault(
  drill: Drill,
  stack: Stack,
  workers: WorkerProcess[],
  downMs: number,
  strike: number,
): Promise<WorkerProcess[]> {
  const replace = async (signal: NodeJS.Signals): Promise<WorkerProcess[]> => {
    const [first, ...rest] = workers;
    await first!.kill(signal);
    await sleep(downMs);
    const next = spawnWorker(stack.env, 'referrals');
    await next.ready;
    return [...rest, next];
  };
  const restartServer = async (): Promise<WorkerProcess[]> => {
    await stack.server.kill();
    await sleep(downMs);
    await stack.restartServer();
    return workers;
  };
  switch (drill) {
    case 'worker-kill':
      return replace('SIGKILL');
    case 'server-kill':
      return restartServer();
    case 'cluster': {
      const what = CLUSTER_FAULTS[strike - 1];
      logger.info({ what }, 'cluster fault');
      if (what === 'kill a worker') return replace('SIGKILL');
      if (what === 'restart a worker') return replace('SIGTERM');
      return restartServer();
    }
    case 'partner-email-fail':
    case 'partner-email-hang':
      // The SMTP server faults on its own clock (faultWindow).
      return workers;
  }
}

/**
 * The test suite's SMTP server (STARTTLS, login, parses what it accepts) with a fault window:
 * `fail` refuses RCPT TO a partner intake address with 451; `hang` holds its answer to every new
 * connection, MAIL FROM and RCPT TO until the window ends (a client that gave up is gone by then).
 */
async function startFaultySmtp(drill: 'partner-email-fail' | 'partner-email-hang') {
  const intake = new Set(
    loadDirectory(loadStackConfigDirectoryFile()).providers.map((p) => p.intakeEmail.toLowerCase()),
  );
  let from = Infinity;
  let until = -Infinity;
  const hits = { refused451: 0, heldConnect: 0, heldMailFrom: 0, heldRcptTo: 0 };
  const inWindow = () => Date.now() >= from && Date.now() < until;
  const catcher = await startSmtpCatcher(undefined, {
    async beforeAnswer(stage, address) {
      if (!inWindow()) return;
      if (drill === 'partner-email-fail') {
        if (stage === 'rcpt' && address && intake.has(address.toLowerCase())) {
          hits.refused451++;
          throw Object.assign(new Error('Requested action aborted: intake mailbox temporarily unavailable'), {
            responseCode: 451,
          });
        }
        return;
      }
      hits[stage === 'connect' ? 'heldConnect' : stage === 'mail' ? 'heldMailFrom' : 'heldRcptTo']++;
      await sleep(until - Date.now());
    },
  });
  return {
    env: catcher.env,
    faultWindow(start: number, end: number) {
      from = start;
      until = end;
    },
    /** What reached the server, against the ledger's sent emails. */
    deliveries(ledgerSentIds: string[], transfers: number) {
      const copies = countBy(catcher.received, (r) => r.mail.messageId ?? '(none)');
      const toPartner = catcher.received.filter((r) => r.envelopeTo.some((a) => intake.has(a.toLowerCase())));
      const partnerCopies = countBy(toPartner, (r) => r.mail.messageId ?? '(none)');
      const ledgerIds = new Set(ledgerSentIds);
      const figures = {
        faultHits:
          drill === 'partner-email-fail'
            ? { refused451: hits.refused451 }
            : { heldConnect: hits.heldConnect, heldMailFrom: hits.heldMailFrom, heldRcptTo: hits.heldRcptTo },
        smtpMessages: catcher.received.length,
        partnerMessages: toPartner.length,
        partnerDistinct: partnerCopies.size,
        partnerAfterRecovery: toPartner.filter((r) => r.at.getTime() >= until).length,
        partnerDeliveredTwice: [...partnerCopies.values()].filter((n) => n > 1).length,
        anyDeliveredTwice: [...copies.values()].filter((n) => n > 1).length,
        /** Sent according to the ledger, never seen by the server: must be 0. */
        ledgerSentNotReceived: ledgerSentIds.filter((id) => !copies.has(id)).length,
        /** Seen by the server, not sent according to the ledger (in doubt, or failed after the server took it). */
        receivedNotLedgerSent: [...copies.keys()].filter((id) => !ledgerIds.has(id)).length,
      };
      const struck = Object.values(figures.faultHits).some((n) => n > 0);
      const passed =
        struck &&
        figures.partnerDeliveredTwice === 0 &&
        figures.anyDeliveredTwice === 0 &&
        figures.ledgerSentNotReceived === 0 &&
        figures.partnerDistinct >= transfers;
      return { figures: { ...figures, struck }, passed };
    },
    close: catcher.close,
  };
}

/** The directory the stack's worker reads (REFERRALS_DIRECTORY_FILE, else config/directory.json). */
function loadStackConfigDirectoryFile(): string {
  return loadRuntimeConfig(process.env).REFERRALS_DIRECTORY_FILE;
}

function countBy(items: Received[], key: (r: Received) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

async function main(): Promise<void> {
  const flags = parseFlags(DrillFlags, process.argv.slice(2));
  // `all` is the dev-server drills; the cluster drill builds the Temporal server and runs apart.
  const drills = flags.drill === 'all' ? DRILLS.filter((d) => d !== 'cluster') : [flags.drill];
  let passed = true;
  for (let run = 1; run <= flags.runs; run++)
    for (const drill of drills) {
      const ok = await runDrill(drill, flags);
      logger.info({ drill, run, of: flags.runs, passed: ok }, 'drill run');
      passed = ok && passed;
    }
  process.exitCode = passed ? 0 : 1;
}

main().catch((err: unknown) => {
  process.stderr.write(
    `${err instanceof FlagError ? `drill: ${err.message}` : err instanceof Error ? err.stack : String(err)}\n`,
  );
  process.exit(err instanceof FlagError ? 2 : 1);
});
