/**
 * `npx tsx bench/repro-update-order/run.ts [workflows]`: reproduces the worker-kill drill's
 * nondeterminism without the transfer (docs/performance.md, Drills).
 *
 * On its own dev server, twice: start the workflows, kill -9 their worker while each one's
 * activity runs, start a new worker; the retried activity completes and the Update arrives in the
 * same workflow task. Once with a client querying every workflow (as staff screens and the bench
 * do), once without. Then it counts the histories whose task recorded the completion's command
 * before the Update's acceptance, and replays every history.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { freePorts } from '../../scripts/free-port';
import { ensureTemporalCli } from '../../scripts/temporal-binaries';
import { answeredQuery } from './workflows';

Runtime.install({ logger: new DefaultLogger('ERROR') });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startProcess(command: string, args: string[], readyWhen?: string): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  if (!readyWhen) return Promise.resolve(child);
  return new Promise((resolve) => child.stdout!.on('data', (d) => String(d).includes(readyWhen) && resolve(child)));
}

const startWorker = (address: string) => startProcess(process.execPath, ['--import', 'tsx', path.join(__dirname, 'worker.ts'), address], 'ready');

async function trial(client: Client, address: string, count: number, withQueries: boolean) {
  const first = await startWorker(address);
  const tag = `${withQueries ? 'q' : 'n'}-${Date.now()}`;
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await client.workflow.start('repro', { taskQueue: 'repro-update-order', workflowId: `${tag}-${i}` })).workflowId);
  let reading = withQueries;
  const reads = Promise.all(ids.map(async (id) => {
    while (reading) {
      await client.workflow.getHandle(id).query(answeredQuery).catch(() => undefined);
      await sleep(100);
    }
  }));
  await sleep(1500);
  first.kill('SIGKILL');
  const second = await startWorker(address);
  for (const id of ids) await client.workflow.getHandle(id).result();
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
    const oneTask = !kinds.slice(Math.min(command, accepted), Math.max(command, accepted)).includes('workflowTaskCompletedEventAttributes');
    if (oneTask && command < accepted) split++;
    await Worker.runReplayHistory({ workflowsPath: path.join(__dirname, 'workflows.ts') }, history, id).catch(() => replayFailed++);
  }
  return { queries: withQueries, workflows: count, completionBeforeUpdateInOneTask: split, replayFailed };
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 100);
  const [port, uiPort] = await freePorts(2);
  const server = await startProcess(ensureTemporalCli(), ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--ui-port', String(uiPort), '--log-level', 'error']);
  const address = `127.0.0.1:${port}`;
  try {
    let connection: Connection | undefined;
    for (let i = 0; !connection; i++) connection = await Connection.connect({ address }).catch(async (err) => (i > 100 ? Promise.reject(err) : sleep(200).then(() => undefined)));
    const client = new Client({ connection });
    for (const withQueries of [true, false]) console.log(JSON.stringify(await trial(client, address, count, withQueries)));
  } finally {
    server.kill('SIGINT');
  }
}

main().then(() => process.exit(0), (err) => { console.error(err); process.exit(1); });
