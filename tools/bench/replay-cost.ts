/**
 * `npx tsx tools/bench/replay-cost.ts [--repeat 20]`: the CPU our workflow code costs, without the noise
 * of a live run. Replays the recorded transfer histories (test/histories) through the production
 * workflow bundle, `--repeat` times each, in this process, and prints the CPU per replay. Every
 * replay is a fresh workflow: the bundle's modules evaluated, every event applied, every Update's
 * validator and handler run, each promise through the SDK's stack-trace hook. On a two-core machine
 * the live bench's ratio moves by 0.1 between runs of the same code (docs/performance.md); this
 * figure moves by a few percent, so a change to workflow code can be judged here first.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { z } from 'zod';
import { bundleWorkflowsOutOfProcess } from '../../worker/workflow-bundle';
import { FlagError, parseFlags } from './flags';

const HISTORIES = path.resolve(__dirname, '..', '..', 'test', 'histories');
const Flags = z.object({ repeat: z.coerce.number().int().min(1).max(1_000).default(20) }).strict();

async function main(): Promise<void> {
  const { repeat } = parseFlags(Flags, process.argv.slice(2));
  Runtime.install({ logger: new DefaultLogger('WARN') });
  // Transfers only: the clocks' histories are short and would dilute the figure.
  const files = readdirSync(HISTORIES).filter((f) => f.endsWith('.json') && !f.startsWith('clock-'));
  const histories = files.map((f) =>
    temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(path.join(HISTORIES, f), 'utf8'))),
  );
  const dir = mkdtempSync(path.join(os.tmpdir(), 'referrals-replay-cost-'));
  try {
    const codePath = await bundleWorkflowsOutOfProcess(path.join(dir, 'workflow-bundle.js'));
    function* all() {
      for (let r = 0; r < repeat; r++)
        for (const [i, history] of histories.entries()) yield { workflowId: `replay-${r}-${i}`, history };
    }
    const cpu = process.cpuUsage();
    const started = Date.now();
    let replays = 0;
    let failed = 0;
    for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath } }, all())) {
      replays++;
      if (result.error) failed++;
    }
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    const figures = {
      histories: histories.length,
      repeat,
      replays,
      failed,
      wallSeconds: (Date.now() - started) / 1000,
      cpuMsPerReplay: Math.round((cpuMs / replays) * 10) / 10,
    };
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    if (failed) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof FlagError ? err.message : err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(err instanceof FlagError ? 2 : 1);
});
