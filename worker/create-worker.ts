/** Wiring only: connection, activity dependencies, Worker.create. */
import path from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { FixtureEhr } from '../activities/ehr-adapter';
import { LocalOutbox } from '../activities/outbox';
import type { RuntimeConfig } from '../infra/config';
import { loadDirectory, loadPolicy } from '../infra/config-files';
import { createLogger } from '../infra/logger';
import { connectionSettings } from '../infra/temporal-connection';

/** Activity dependencies for the embedded default: fixture EHR, local outbox, files under the data folder. */
export function embeddedActivityDeps(config: RuntimeConfig): ActivityDeps {
  const policy = loadPolicy(config.REFERRALS_POLICY_FILE);
  return {
    directory: loadDirectory(config.REFERRALS_DIRECTORY_FILE),
    ehr: new FixtureEhr(config.REFERRALS_EHR_DIR, config.REFERRALS_DATA_DIR),
    outbox: new LocalOutbox(path.join(config.REFERRALS_DATA_DIR, 'outbox')),
    disclosuresDir: path.join(config.REFERRALS_DATA_DIR, 'disclosures'),
    temporalUiUrl: config.TEMPORAL_UI_URL,
    namespace: config.TEMPORAL_NAMESPACE,
    timeZone: policy.calendar.timeZone,
    logger: createLogger(config.LOG_LEVEL, 'activities'),
  };
}

/** Workflow code is bundled from source by the SDK; tests pass a prebuilt bundle to save time. */
export const WORKFLOWS_PATH = require.resolve('../workflows');

export async function createReferralsWorker(
  config: RuntimeConfig,
  overrides: Partial<WorkerOptions> = {},
): Promise<{ worker: Worker; close(): Promise<void> }> {
  const connection = await NativeConnection.connect(connectionSettings(config));
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.REFERRALS_TASK_QUEUE,
    workflowsPath: WORKFLOWS_PATH,
    activities: createActivities(embeddedActivityDeps(config)),
    ...overrides,
  });
  return { worker, close: () => connection.close() };
}
