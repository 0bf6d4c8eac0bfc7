/**
 * `tsx bench/bundle.ts <file>`: builds the workflow bundle once, outside the worker, so a worker
 * started with BENCH_WORKFLOW_BUNDLE=<file> skips webpack (and the memory webpack leaves behind).
 */
import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../infra/data-converter';
import { WORKFLOWS_PATH } from '../worker/create-worker';

async function main(file: string | undefined): Promise<void> {
  if (!file) throw new Error('usage: tsx bench/bundle.ts <output file>');
  // Same failure converter as the worker's data converter, or failures would not decode alike.
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, failureConverterPath: FAILURE_CONVERTER_PATH });
  writeFileSync(file, code);
}

main(process.argv[2]).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
