/**
 * What tests on the real dev server (CLI 1.9.1) share: the server with our search attributes, a
 * temporary data folder holding a copy of the EHR fixtures, and the workflow bundle.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { openTransferService, type TransferService } from '../../client/transfer-service';
import { loadRuntimeConfig, type RuntimeConfig } from '../../infra/config';
import { createReferralsWorker } from '../../worker/create-worker';
import { codecEnv } from './test-codec';
import { SA, SEARCH_ATTRIBUTE_FLAGS } from '../../domain/search-attributes';
import { referralsDataConverter } from '../../infra/data-converter';
import { parseSearchAttributeFlag, TASK_PROBLEM_THRESHOLD_KEY } from '../../scripts/dev-server';
import { ensureTemporalCli } from '../../scripts/temporal-binaries';
import { ROOT } from './referrals-cli';
import { testKeyRing } from './test-codec';

/**
 * The dev server. Its client decodes payloads with the test keys, as the UI's codec server does,
 * unless `raw`: then it sees what anyone reading the server sees.
 */
export function startLocalDevServer(options: { raw?: boolean } = {}): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: ensureTemporalCli() },
      searchAttributes: Object.values(SA),
      // As `npm start` runs it: the server flags a workflow after two task failures in a row.
      extraArgs: ['--dynamic-config-value', `${TASK_PROBLEM_THRESHOLD_KEY}=2`],
    },
    ...(options.raw ? {} : { client: { dataConverter: referralsDataConverter(testKeyRing()) } }),
  });
}

/** The app's search attributes (name to type), as SEARCH_ATTRIBUTE_FLAGS declares them. */
export const OUR_SEARCH_ATTRIBUTES: Record<string, number> = Object.fromEntries(
  SEARCH_ATTRIBUTE_FLAGS.map(parseSearchAttributeFlag).map(({ name, type }) => [name, type]),
);

/**
 * Tests on a real-time server run at whatever hour CI does: this policy opens the county every
 * day and every hour and has no quiet hours, so nothing a test waits for is held until morning.
 */
export const ANY_HOUR_POLICY_FILE = path.join(ROOT, 'fixtures', 'policy-any-hour.json');

/** A fresh data folder, with the EHR fixtures copied into `ehr/` so activities may write beside them. */
export function dataFolderWithEhr(prefix: string): { dataDir: string; ehrDir: string } {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const ehrDir = path.join(dataDir, 'ehr');
  cpSync(path.join(ROOT, 'fixtures', 'ehr'), ehrDir, { recursive: true });
  return { dataDir, ehrDir };
}

/** What a worker or the CLI needs against a dev server: its address, the data folder with the fixture EHR, the any-hour policy. */
export function envFor(address: string, folder: { dataDir: string; ehrDir: string }): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: address,
    REFERRALS_DATA_DIR: folder.dataDir,
    REFERRALS_EHR_DIR: folder.ehrDir,
    REFERRALS_POLICY_FILE: ANY_HOUR_POLICY_FILE,
    LOG_LEVEL: 'warn',
  };
}

/** globalSetup bundles the workflows once; outside Jest the worker bundles them itself. */
export function bundledWorkflows() {
  const codePath = process.env.REFERRALS_WORKFLOW_BUNDLE;
  return codePath ? { workflowBundle: { codePath }, workflowsPath: undefined } : {};
}

/**
 * A test file's stack on the real dev server: the server, a data folder with the EHR fixtures,
 * the runtime config, the TransferService staff use, and real workers started on demand (each
 * with its watchdog). `settings` override the environment (a policy file, say). Read the fields
 * inside tests, after beforeAll.
 */
export function useDevServerStack(prefix: string, settings: Record<string, string> = {}) {
  const stack = {} as {
    env: TestWorkflowEnvironment;
    dataDir: string;
    config: RuntimeConfig;
    service: TransferService;
    /** A worker with the given workflow build (default: the product's); resolves to its stop. */
    runWorker(build?: Parameters<typeof createReferralsWorker>[1]): Promise<() => Promise<void>>;
  };
  let closeService: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    stack.env = await startLocalDevServer();
    const folder = dataFolderWithEhr(prefix);
    stack.dataDir = folder.dataDir;
    stack.config = loadRuntimeConfig({ ...envFor(stack.env.address, folder), ...codecEnv(), ...settings });
    ({ service: stack.service, close: closeService } = openTransferService(stack.config));
    stack.runWorker = async (build = bundledWorkflows()) => {
      const { worker, close } = await createReferralsWorker(stack.config, build);
      const running = worker.run();
      return async () => {
        worker.shutdown();
        await running;
        await close();
      };
    };
  });
  afterAll(async () => {
    await closeService?.();
    await stack.env?.teardown();
    if (stack.dataDir) rmSync(stack.dataDir, { recursive: true, force: true });
  });
  return stack;
}
