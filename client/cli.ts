/**
 * `referrals`: the command line for intake staff and scripts. Run as `npm run referrals -- ...`
 * or `bin/referrals ...`. Everyday commands call the web API with REFERRALS_API_TOKEN; `repair`
 * and `report refresh` are operators' and reach Temporal directly. Exit codes: 0 ok, 1 failure,
 * 2 bad input, 3 event rejected, 4 not found, 5 refused (no valid token, or the role may not).
 */
import { loadRuntimeConfig } from '../infra/config';
import { ApiClient } from './api-client';
import { CLOCK_FIELD_HINTS } from './cli/clock-commands';
import { CLI_FIELD_HINTS, buildProgram } from './cli/program';
import { EXIT, reportError } from './cli/report-error';
import { openServices } from './services';
import { REPORT_FIELD_HINTS } from './cli/report-command';
import { openReports, type ReportReader } from './reports/open-reports';

async function main(argv: string[]): Promise<number> {
  // Opened on first use: `--help` and bad input need neither configuration files nor a server.
  let api: ApiClient | undefined;
  let opened: ReturnType<typeof openServices> | undefined;
  const operator = () => (opened ??= openServices(loadRuntimeConfig())).transfers;
  let reportReader: ReportReader | undefined;
  const reports = () =>
    (reportReader ??= openReports(loadRuntimeConfig(), () => ({
      transfers: operator(),
      clocks: (opened ??= openServices(loadRuntimeConfig())).clocks,
    })));
  try {
    await buildProgram({ api: () => (api ??= ApiClient.fromEnvironment()), operator, reports }).parseAsync(argv);
    return EXIT.ok;
  } catch (err) {
    const hints = { clock: CLOCK_FIELD_HINTS, report: REPORT_FIELD_HINTS }[argv[2] ?? ''] ?? CLI_FIELD_HINTS;
    return reportError(err, hints);
  } finally {
    await opened?.close();
    await reportReader?.close();
  }
}

void main(process.argv).then((code) => {
  process.exitCode = code;
});
