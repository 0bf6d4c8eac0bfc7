/**
 * The workflow code is bundled (webpack) in a short-lived child process and the worker loads the
 * file: bundling inside the worker left ~150 MB behind that V8 kept for the worker's life
 * (docs/performance.md). Tests and the bench build one bundle up front and pass it instead.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../infra/data-converter';
import { runIfMain, runInChild } from '../infra/run-in-child';

/** Workflow code the SDK bundles: the transfer and the coordination clocks. */
const WORKFLOWS_PATH = require.resolve('../workflows');
/** Run once in the shared V8 context before any workflow: cuts the SDK's per-promise stack capture. */
const PRELOADED = [require.resolve('../workflows/stack-trace-depth')];

export async function bundleWorkflowsTo(file: string): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  // Same failure converter as the data converter's, or failures would not decode alike.
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    preloadModules: PRELOADED,
    logger: quietLogger,
  });
  // Written aside and renamed into place: replicas sharing a data volume (docker compose --scale
  // worker=N) each build it, and none may load another's half-written file. Random, not the pid:
  // containers number their processes alike.
  const partial = `${file}.${randomBytes(6).toString('hex')}.partial`;
  writeFileSync(partial, code);
  renameSync(partial, file);
}

/** Builds the bundle into `file` in a child process; the caller passes `{ codePath: file }`. */
export async function bundleWorkflowsOutOfProcess(file: string): Promise<string> {
  await runInChild(__filename, [file], 'bundling the workflow code');
  return file;
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop } as never;

// `tsx worker/workflow-bundle.ts <file>`
runIfMain(module, async () => {
  const file = process.argv[2];
  if (!file) throw new Error('usage: tsx worker/workflow-bundle.ts <output file>');
  await bundleWorkflowsTo(file);
});
