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

async function main(argv: string[]): Promise<number> {
  // Opened on first use: `--help` and bad input need neither configuration files nor a server.
  let opened: ReturnType<typeof openServices> | undefined;
  const service = () => (opened ??= openServices(loadRuntimeConfig())).transfers;
  const clocks = () => (opened ??= openServices(loadRuntimeConfig())).clocks;
  let accountings: AccountingReader | undefined;
  const disclosures = () => (accountings ??= openAccountings(loadRuntimeConfig()));
  try {
    await buildProgram(service, clocks, disclosures).parseAsync(argv);
    return EXIT.ok;
  } catch (err) {
    return reportError(err, argv[2] === 'clock' ? CLOCK_FIELD_HINTS : CLI_FIELD_HINTS);
  } finally {
    await opened?.close();
    await accountings?.close();
  }
}

void main(process.argv).then((code) => {
  process.exitCode = code;
});
