/**
 * Reports wired to the runtime configuration: the reporting store in the app database (opened on
 * first use, so `--help` and bad input need none) and the county's calendar and directory.
 */
import type { CalendarSettings } from '../../domain/policy';
import { appDbUrl, openAppDb, type AppDb } from '../../infra/app-db/open-app-db';
import { MemberIndex } from '../../infra/app-db/member-index';
import { ReportStore } from '../../infra/app-db/report-store';
import { loadChannelConfig } from '../../infra/channel-config';
import type { RuntimeConfig } from '../../infra/config';
import { loadDirectory, loadPolicy } from '../../infra/config-files';
import { sweepReports, type SweepResult } from '../report-sweep';
import type { ClockService } from '../clock-service';
import type { TransferService } from '../transfer-service';
import { dashboardOf, dashboardPeriod, type Dashboard } from './dashboard';
import { parseReportRequest, type ReportName } from './report-request';
import type { ReportTable } from './report-table';
import { runReport } from './reports';

export interface ReportReader {
  run(name: ReportName, input: unknown): Promise<ReportTable>;
  /** Brings the store up to date with Temporal now; with `rebuild`, from nothing. */
  refresh(options?: { rebuild?: boolean }): Promise<SweepResult>;
  /** The manager dashboard's figures as of `now`. */
  dashboard(now: Date): Promise<Dashboard>;
  calendar: CalendarSettings;
  close(): Promise<void>;
}

export function openReports(
  config: RuntimeConfig,
  services: () => { transfers: TransferService; clocks: ClockService },
  opened?: AppDb,
): ReportReader {
  let db: Promise<AppDb> | undefined = opened && Promise.resolve(opened);
  const appDb = () => (db ??= openAppDb(appDbUrl(loadChannelConfig().APP_DATABASE_URL, config.REFERRALS_DATA_DIR)));
  const store = async () => new ReportStore(await appDb());
  const directory = loadDirectory(config.REFERRALS_DIRECTORY_FILE);
  const calendar = loadPolicy(config.REFERRALS_POLICY_FILE).calendar;
  return {
    calendar,
    async run(name, input) {
      parseReportRequest(input, directory, calendar.timeZone); // bad input is refused before any database
      return runReport(name, input, { store: await store(), directory, timeZone: calendar.timeZone });
    },
    async dashboard(now) {
      const period = dashboardPeriod(now, calendar.timeZone);
      const { scope } = parseReportRequest(period, directory, calendar.timeZone);
      const [open, stuck, records] = await Promise.all([
        services().transfers.listTransfers({}),
        services().transfers.stuckTransfers(now),
        (await store()).records(scope),
      ]);
      return dashboardOf(open, stuck, records, period, calendar.timeZone);
    },
    async refresh(options = {}) {
      return sweepReports(
        services(),
        { reports: await store(), members: new MemberIndex(await appDb()) },
        calendar,
        options,
      );
    },
    async close() {
      if (db && !opened)
        await db.then(
          (d) => d.destroy(),
          () => undefined,
        );
    },
  };
}
