/**
 * `npx tsx tools/repro-update-order/run.ts [workflows] [update|signal]`: reproduces the worker-kill drill's
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
import { temporal } from '@temporalio/proto';
import { z } from 'zod';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { freePorts } from '../../scripts/free-port';
import { ensureTemporalCli } from '../../scripts/temporal-binaries';
import { applyRepair, planRepair } from '../../client/workflow-repair';
import { answeredQuery, finish } from './workflows';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startProcess(command: string, args: string[], readyWhen?: string): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  if (!readyWhen) return Promise.resolve(child);
  return new Promise((resolve) => child.stdout!.on('data', (d) => String(d).includes(readyWhen) && resolve(child)));
}

/** How the event reaches the workflow: `update` (as the transfer did) or `signal` (as it does now). */
export type EventsBy = 'update' | 'signal';
const startWorker = (address: string, events: EventsBy) =>
  startProcess(process.execPath, ['--import', 'tsx', path.join(__dirname, 'worker.ts'), address, events], 'ready');

async function trial(
  client: Client,
  address: string,
  count: number,
  withQueries: boolean,
  events: EventsBy,
  restart: boolean,
) {
  const first = await startWorker(address, events);
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
  // Killed only once every first attempt runs (on a busy machine that takes more than a moment).
  for (const id of ids) await activityRunning(client, id);
  first.kill('SIGKILL');
  const second = await startWorker(address, events);
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

  if (!restart)
    return { events, queries: withQueries, workflows: count, completionBeforeUpdateInOneTask: split, replayFailed };
  // A later restart: the new worker must replay each history to take the signal.
  const third = await startWorker(address, events);
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
    events,
    queries: withQueries,
    workflows: count,
    completionBeforeUpdateInOneTask: split,
    replayFailed,
    stuckAfterRestart: stuck,
    freedByRepair: freed,
  };
}

/** Until the workflow's first activity has been picked up by the worker. */
async function activityRunning(client: Client, id: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const pending = (await client.workflow.getHandle(id).describe()).raw.pendingActivities ?? [];
    if (pending.some((a) => a.state === temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED))
      return;
    await sleep(100);
  }
  throw new Error(`${id}: its activity never started`);
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

/**
 * On a dev server of its own: one trial per entry of `queries` (with reads by query, without);
 * `restart: false` stops at the replay check (no later restart and repair).
 */
export async function reproduce(count: number, events: EventsBy, queries: boolean[] = [true, false], restart = true) {
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
  let connection: Connection | undefined;
  try {
    for (let i = 0; !connection; i++)
      connection = await Connection.connect({ address }).catch(async (err) =>
        i > 100 ? Promise.reject(err) : sleep(200).then(() => undefined),
      );
    const client = new Client({ connection });
    const results = [];
    for (const withQueries of queries) results.push(await trial(client, address, count, withQueries, events, restart));
    return results;
  } finally {
    await connection?.close();
    server.kill('SIGINT');
  }
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const events = z.enum(['update', 'signal']).parse(process.argv[3] ?? 'update');
  for (const result of await reproduce(Number(process.argv[2] ?? 100), events)) console.log(JSON.stringify(result));
}

if (require.main === module)
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
