/**
 * `npx tsx tools/repro-update-order/run.ts [workflows]`: reproduces the worker-kill drill's
 * nondeterminism without the transfer (docs/performance.md, Drills).
 *
 * On its own dev server, twice: start the workflows, kill -9 their worker while each one's
 * activity runs, start a new worker; the retried activity completes and the Update arrives in the
 * same workflow task. Once with a client querying every workflow (as staff screens and the bench
 * do), once without. Then it counts the histories whose task recorded the completion's command
 * before the Update's acceptance, and replays every history. Last, as after any later restart:
 * a fresh worker, a signal to each workflow, and `planRepair`/`applyRepair` (the code behind
 * `referrals repair`) on each one that is stuck; how many were stuck, and how many the repair freed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { freePorts } from '../../scripts/free-port';
import { ensureTemporalCli } from '../../scripts/temporal-binaries';
import { applyRepair, planRepair } from '../../client/workflow-repair';
import { answeredQuery, finish } from './workflows';

Runtime.install({ logger: new DefaultLogger('ERROR') });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startProcess(command: string, args: string[], readyWhen?: string): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  if (!readyWhen) return Promise.resolve(child);
  return new Promise((resolve) => child.stdout!.on('data', (d) => String(d).includes(readyWhen) && resolve(child)));
}

const startWorker = (address: string) =>
  startProcess(process.execPath, ['--import', 'tsx', path.join(__dirname, 'worker.ts'), address], 'ready');

async function trial(client: Client, address: string, count: number, withQueries: boolean) {
  const first = await startWorker(address);
  const tag = `${withQueries ? 'q' : 'n'}-${Date.now()}`;
  const ids: string[] = [];
  for (let i = 0; i < count; i++)
    ids.push(
      (await client.workflow.start('repro', { taskQueue: 'repro-update-order', workflowId: `${tag}-${i}` })).workflowId,
    );
  let reading = withQueries;
  const reads = Promise.all(
    ids.map(async (id) => {
      while (reading) {
        await client.workflow
          .getHandle(id)
          .query(answeredQuery)
          .catch(() => undefined);
        await sleep(100);
      }
    }),
  );
  await sleep(1500);
  first.kill('SIGKILL');
  const second = await startWorker(address);
  for (const id of ids) await waitingToFinish(client, id);
  reading = false;
  await reads;
  second.kill('SIGKILL');

  let split = 0;
  let replayFailed = 0;
  for (const id of ids) {
    const history = await client.workflow.getHandle(id).fetchHistory();
    const kinds = history.events!.map((e) => Object.keys(e).find((k) => k.endsWith('Attributes')) ?? '');
    const command = kinds.indexOf('workflowPropertiesModifiedEventAttributes');
    const accepted = kinds.indexOf('workflowExecutionUpdateAcceptedEventAttributes');
    const oneTask = !kinds
      .slice(Math.min(command, accepted), Math.max(command, accepted))
      .includes('workflowTaskCompletedEventAttributes');
    if (oneTask && command < accepted) split++;
    await Worker.runReplayHistory({ workflowsPath: path.join(__dirname, 'workflows.ts') }, history, id).catch(
      () => replayFailed++,
    );
  }

  // A later restart: the new worker must replay each history to take the signal.
  const third = await startWorker(address);
  let stuck = 0;
  let freed = 0;
  for (const id of ids) await client.workflow.getHandle(id).signal(finish);
  for (const id of ids) {
    const plan = await settled(client, id);
    if (plan?.kind !== 'reset') continue;
    stuck++;
    const outcome = await applyRepair(client, id, plan, 'repro: repair after the update-order split');
    if (outcome.resumed && (await client.workflow.getHandle(id).result()) === 'done') freed++;
  }
  third.kill('SIGKILL');
  return {
    queries: withQueries,
    workflows: count,
    completionBeforeUpdateInOneTask: split,
    replayFailed,
    stuckAfterRestart: stuck,
    freedByRepair: freed,
  };
}

/** Until the run has completed its second activity and waits for the finish signal. */
async function waitingToFinish(client: Client, id: string): Promise<void> {
  for (;;) {
    const events = (await client.workflow.getHandle(id).fetchHistory()).events ?? [];
    const completions = events.filter((e) => e.activityTaskCompletedEventAttributes).length;
    if (completions >= 2 && events.at(-1)?.workflowTaskCompletedEventAttributes) return;
    await sleep(200);
  }
}

/** Once the signal's task has either ended the run (undefined) or failed it (the repair plan). */
async function settled(client: Client, id: string) {
  for (let i = 0; i < 100; i++) {
    const plan = await planRepair(client, id);
    if (plan.kind === 'not-running') return undefined;
    if (plan.kind !== 'not-stuck') return plan;
    await sleep(200);
  }
  throw new Error(`${id} neither ended nor failed within 20 s`);
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 100);
  const [port, uiPort] = await freePorts(2);
  const server = await startProcess(ensureTemporalCli(), [
    'server',
    'start-dev',
    '--headless',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--ui-port',
    String(uiPort),
    '--log-level',
    'error',
  ]);
  const address = `127.0.0.1:${port}`;
  try {
    let connection: Connection | undefined;
    for (let i = 0; !connection; i++)
      connection = await Connection.connect({ address }).catch(async (err) =>
        i > 100 ? Promise.reject(err) : sleep(200).then(() => undefined),
      );
    const client = new Client({ connection });
    for (const withQueries of [true, false])
      console.log(JSON.stringify(await trial(client, address, count, withQueries)));
  } finally {
    server.kill('SIGINT');
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
