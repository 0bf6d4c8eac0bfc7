/**
 * `referrals`: the command line for intake staff and scripts. Run as `npm run referrals -- ...`
 * or `bin/referrals ...`. Exit codes: 0 ok, 1 failure, 2 bad input, 3 event rejected, 4 not found.
 */
import { loadRuntimeConfig } from '../infra/config';
import { CLOCK_FIELD_HINTS } from './cli/clock-commands';
import { CLI_FIELD_HINTS, buildProgram } from './cli/program';
import { EXIT, reportError } from './cli/report-error';
import { openServices } from './services';
import { openAccountings, type AccountingReader } from './disclosure-accounting';
import { REPORT_FIELD_HINTS } from './cli/report-command';
import { openReports, type ReportReader } from './reports/open-reports';

async function main(argv: string[]): Promise<number> {
  // Opened on first use: `--help` and bad input need neither configuration files nor a server.
  let opened: ReturnType<typeof openServices> | undefined;
  const service = () => (opened ??= openServices(loadRuntimeConfig())).transfers;
  const clocks = () => (opened ??= openServices(loadRuntimeConfig())).clocks;
  let accountings: AccountingReader | undefined;
  const disclosures = () => (accountings ??= openAccountings(loadRuntimeConfig()));
  let reportReader: ReportReader | undefined;
  const reports = () =>
    (reportReader ??= openReports(loadRuntimeConfig(), () => ({ transfers: service(), clocks: clocks() })));
  try {
    await buildProgram(service, clocks, disclosures, reports).parseAsync(argv);
    return EXIT.ok;
  } catch (err) {
    const hints = { clock: CLOCK_FIELD_HINTS, report: REPORT_FIELD_HINTS }[argv[2] ?? ''] ?? CLI_FIELD_HINTS;
    return reportError(err, hints);
  } finally {
    await opened?.close();
    await accountings?.close();
    await reportReader?.close();
  }
}

void main(process.argv).then((code) => {
  process.exitCode = code;
});
