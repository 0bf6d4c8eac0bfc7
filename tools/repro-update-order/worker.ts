/**
 * The reproduction's worker (tools/repro-update-order/run.ts): workflows and activities on one
 * task queue, as in the drill. An activity's first attempt hangs (its worker is killed); the
 * retry completes and sends the workflow's Update a few milliseconds later, so the Update joins
 * the workflow task that the completion schedules.
 */
import { Context } from '@temporalio/activity';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import path from 'node:path';
import { answer, answerSignal } from './workflows';

Runtime.install({ logger: new DefaultLogger('ERROR') });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(address: string, events: string): Promise<void> {
  const client = new Client({ connection: await Connection.connect({ address }) });
  const worker = await Worker.create({
    connection: await NativeConnection.connect({ address }),
    taskQueue: 'repro-update-order',
    workflowsPath: path.join(__dirname, 'workflows.ts'),
    activities: {
      async slow(ms: number): Promise<string> {
        if (ms === 1) return 'ok';
        if (Context.current().info.attempt === 1) await sleep(60_000); // dies with the first worker
        const workflowId = Context.current().info.workflowExecution?.workflowId ?? '';
        const i = Number(workflowId.split('-').pop());
        await sleep(200 + (i % 7) * 30);
        setTimeout(
          () =>
            void (
              events === 'signal'
                ? client.workflow.getHandle(workflowId).signal(answerSignal, 'yes')
                : client.workflow.getHandle(workflowId).executeUpdate(answer, { args: ['yes'] })
            ).catch(() => undefined),
          (i % 5) * 3,
        );
        return 'ok';
      },
    },
  });
  console.log('ready');
  await worker.run();
}

void main(process.argv[2]!, process.argv[3] ?? 'update');
