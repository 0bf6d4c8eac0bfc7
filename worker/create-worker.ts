/** Wiring only: connection, data converter (encryption), activity dependencies, Worker.create. */
import path from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { FixtureEhr, type EhrAdapter } from '../activities/ehr-adapter';
import { FhirEhr } from '../activities/fhir-ehr';
import type { RuntimeConfig } from '../infra/config';
import { loadDirectory, loadPolicy } from '../infra/config-files';
import { referralsDataConverter } from '../infra/data-converter';
import { loadKeyRing } from '../infra/key-ring';
import { createLogger } from '../infra/logger';
import { connectionSettings } from '../infra/temporal-connection';
import { loadWebSettings, webKeys, webSecret } from '../infra/web-settings';
import { PartnerLinks } from '../activities/partner-links';
import { openWorkerChannels, type WorkerChannels } from './channels';
import { bundleWorkflowsOutOfProcess } from './workflow-bundle';
import { startTaskWatchdog } from './task-watchdog';
import { connectTemporalClient } from '../client/temporal-client';
import { sweepReports } from '../client/report-sweep';
import { TransferService } from '../client/transfer-service';
import { ClockService } from '../client/clock-service';
import { ReportStore } from '../infra/app-db/report-store';
import { MemberIndex } from '../infra/app-db/member-index';
import { repeatEvery } from '../infra/repeat-every';

/** Activity dependencies: the EHR (fixtures or FHIR), the channels (real or the local catchers), files under the data folder. */
function embeddedActivityDeps(
  config: RuntimeConfig,
  channels: Pick<WorkerChannels, 'outbox' | 'disclosures'>,
): ActivityDeps {
  const policy = loadPolicy(config.REFERRALS_POLICY_FILE);
  return {
    directory: loadDirectory(config.REFERRALS_DIRECTORY_FILE),
    ehr: ehrFor(config),
    outbox: channels.outbox,
    disclosures: channels.disclosures,
    temporalUiUrl: config.TEMPORAL_UI_URL,
    namespace: config.TEMPORAL_NAMESPACE,
    webUrl: loadWebSettings().REFERRALS_WEB_PUBLIC_URL,
    partnerLinks: partnerLinksFor(config),
    calendar: policy.calendar,
    logger: createLogger(config.LOG_LEVEL, 'activities'),
  };
}

/** The county's FHIR endpoint when configured; the fixture files otherwise (the embedded default). */
function ehrFor(config: RuntimeConfig): EhrAdapter {
  if (!config.REFERRALS_EHR_FHIR_URL) return new FixtureEhr(config.REFERRALS_EHR_DIR, config.REFERRALS_DATA_DIR);
  return new FhirEhr({
    baseUrl: config.REFERRALS_EHR_FHIR_URL,
    token: config.REFERRALS_EHR_FHIR_TOKEN,
    memberIdSystem: config.REFERRALS_EHR_FHIR_MEMBER_ID_SYSTEM,
    timeoutMs: config.REFERRALS_EHR_FHIR_TIMEOUT_MS,
    dataDir: config.REFERRALS_DATA_DIR,
  });
}

/** Partner emails carry links to the web app, signed with its secret (docs/web.md). */
function partnerLinksFor(config: RuntimeConfig): PartnerLinks {
  const web = loadWebSettings();
  return new PartnerLinks(
    webKeys(webSecret(web, config.REFERRALS_DATA_DIR)).partnerLink,
    web.REFERRALS_WEB_PUBLIC_URL,
    web.REFERRALS_PARTNER_LINK_HOURS,
  );
}

export async function createReferralsWorker(
  config: RuntimeConfig,
  overrides: Partial<WorkerOptions> = {},
): Promise<{ worker: Worker; close(): Promise<void> }> {
  // Keys first: a bad key configuration fails before anything connects.
  const dataConverter = referralsDataConverter(loadKeyRing(config), createLogger(config.LOG_LEVEL, 'worker'));
  const channels = await openWorkerChannels(config.REFERRALS_DATA_DIR, createLogger(config.LOG_LEVEL, 'channels'));
  const connection = await NativeConnection.connect(connectionSettings(config)).catch(async (err: unknown) => {
    await channels.close();
    throw err;
  });
  // Tests and the bench pass a bundle built once; otherwise it is built now, outside this process.
  const workflowBundle = overrides.workflowBundle ?? {
    codePath: await bundleWorkflowsOutOfProcess(path.join(config.REFERRALS_DATA_DIR, 'workflow-bundle.js')),
  };
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.REFERRALS_TASK_QUEUE,
    workflowBundle,
    dataConverter,
    activities: createActivities(embeddedActivityDeps(config, channels)),
    // Bounds memory: the SDK's default is sized from the heap limit (thousands of workflows).
    maxCachedWorkflows: config.REFERRALS_MAX_CACHED_WORKFLOWS,
    ...overrides,
  });
  // The watchdog reads visibility with a client of its own (the worker's connection is native).
  const temporal = await connectTemporalClient(config);
  const watchdog = startTaskWatchdog({
    client: temporal.client,
    outbox: channels.outbox,
    onCallEmail: loadDirectory(config.REFERRALS_DIRECTORY_FILE).onCall.email,
    temporalUiUrl: config.TEMPORAL_UI_URL,
    namespace: config.TEMPORAL_NAMESPACE,
    logger: createLogger(config.LOG_LEVEL, 'watchdog'),
  });
  // The reporting store follows the transfers (docs/reports.md); any number of workers may sweep.
  const reportLogger = createLogger(config.LOG_LEVEL, 'reports');
  const serviceDeps = {
    config,
    directory: loadDirectory(config.REFERRALS_DIRECTORY_FILE),
    temporal: async () => temporal.client,
  };
  const sources = { transfers: new TransferService(serviceDeps), clocks: new ClockService(serviceDeps) };
  const reportSweep = repeatEvery(
    config.REFERRALS_REPORT_SWEEP_SECONDS * 1000,
    () =>
      sweepReports(
        sources,
        { reports: new ReportStore(channels.db), members: new MemberIndex(channels.db) },
        loadPolicy(config.REFERRALS_POLICY_FILE).calendar,
        { logger: reportLogger },
      ),
    (err) => reportLogger.warn({ err: err instanceof Error ? err.message : String(err) }, 'report sweep failed'),
  );
  return {
    worker,
    close: async () => {
      await reportSweep.stop();
      await watchdog.stop();
      await temporal.close();
      await connection.close();
      await channels.close();
    },
  };
}
