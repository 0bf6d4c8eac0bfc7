/**
 * The `referrals` command line. Everyday commands call the web API as the person whose API token
 * they present (client/api-client.ts), so nobody can send an event as someone else. The operator
 * commands (`repair`, `report refresh`) talk to Temporal directly with the namespace's
 * credentials, and say so.
 */
import { Argument, Command, Option } from 'commander';
import { z } from 'zod';
import { EVENT_TYPES, type EventType } from '../../domain/events';
import { REFERRAL_STAGES, WaitingOn } from '../../domain/stages';
import { parseInput } from '../parse-input';
import type { TransferService } from '../transfer-service';
import type { TransferState } from '../../domain/state';
import type { ApiClient } from '../api-client';
import { addClockCommands } from './clock-commands';
import { addDisclosureCommand } from './disclosure-command';
import { addReportCommand } from './report-command';
import type { ReportReader } from '../reports/open-reports';
import { EVENT_FLAGS, parseActor } from './event-flags';
import { eventInput, type EventCommandOptions } from './event-input';
import { addFieldFlags, applyFieldFlags, flagHints } from './field-flags';
import { baseObject } from './json-input';
import { renderTable } from './render-table';
import { NotDoneError } from './report-error';
import { renderRepairOutcome, renderRepairPlan } from './render-repair';
import { renderTransfer } from './render-transfer';
import { START_FLAGS } from './start-flags';

/** Field paths → the flags that set them, so errors name what the user typed. */
export const CLI_FIELD_HINTS: ReadonlyMap<string, string> = new Map([
  // Not referralId: `start` sets it with --referral-id but the other commands take it as an argument.
  ...[...flagHints(START_FLAGS)].filter(([field]) => field !== 'referralId'),
  ...flagHints(EVENT_FLAGS),
]);

const AsOf = z.iso.datetime({ offset: true });

interface ListOptions {
  stage?: string;
  waitingOn?: string;
  provider?: string;
  member?: string;
  all?: boolean;
  json?: boolean;
}

/** What the commands reach: the web API, and for operator commands Temporal and the reporting store. */
export interface CliDeps {
  api: () => ApiClient;
  operator?: () => TransferService;
  reports?: () => ReportReader;
}

export function buildProgram({ api, operator, reports }: CliDeps): Command {
  const program = new Command('referrals')
    .description('Start and follow referral and level-of-care transfers.')
    // Errors are reported by cli.ts with our exit codes, not by commander's process.exit.
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  addFieldFlags(
    program
      .command('start')
      .description('start a transfer from a JSON file and/or flags; prints the referral id')
      .option('--file <transfer.json>', 'the transfer request as JSON; flags override its fields'),
    START_FLAGS,
  ).action(async (opts: Record<string, unknown> & { file?: string }) => {
    const input = applyFieldFlags(baseObject({ file: opts.file }), opts, START_FLAGS);
    const { referralId } = await api().startTransfer(input);
    process.stdout.write(`${referralId}\n`);
  });

  addFieldFlags(
    program
      .command('event')
      .description('record an event on a transfer (fields from --json, --file and/or flags)')
      .argument('<referralId>', 'the referral id, like R-7K3M9Q2XWD')
      .addArgument(new Argument('<type>', 'the event type').choices(EVENT_TYPES))
      .option('--json <object>', 'event fields as a JSON object')
      .option('--file <event.json>', 'event fields from a JSON file'),
    EVENT_FLAGS,
  ).action(async (referralId: string, type: EventType, opts: EventCommandOptions) => {
    const state = await api().sendEvent(referralId, eventInput(type, opts));
    process.stdout.write(`${acceptedLine(type, state)}\n`);
  });

  program
    .command('withdraw')
    .description('withdraw (cancel) a transfer, with a reason')
    .argument('<referralId>', 'the referral id')
    .requiredOption('--reason <text>', 'why it is withdrawn')
    .action(async (referralId: string, opts: { reason: string }) => {
      const state = await api().withdraw(referralId, opts.reason);
      process.stdout.write(`${acceptedLine('withdrawn', state)}\n`);
    });

  program
    .command('show')
    .description("a transfer's stage, deadline, consent, appointment, outcome and timeline")
    .argument('<referralId>', 'the referral id')
    .option('--json', 'print JSON')
    .action(async (referralId: string, opts: { json?: boolean }) => {
      const [state, summary] = await Promise.all([api().getTransfer(referralId), api().summarizeTransfer(referralId)]);
      print(
        opts.json
          ? { ...state, currentDetails: summary.currentDetails }
          : renderTransfer(state, summary.currentDetails, summary.timeZone),
      );
    });

  program
    .command('list')
    .description('running transfers (or all with --all), from search attributes; a table shows no member details')
    .addOption(new Option('--stage <stage>', 'only this stage').choices([...REFERRAL_STAGES, 'done']))
    .addOption(new Option('--waiting-on <who>', 'only those waiting on').choices(WaitingOn.options))
    .option('--provider <id>', 'only this receiving provider')
    .option('--member <name or id>', "only this member's transfers (every word of the name, or the member id)")
    .option('--all', 'include ended transfers')
    .option('--json', 'print JSON (with whom each transfer is for)')
    .action(async (opts: ListOptions) => {
      const rows = await api().listTransfers({
        stage: opts.stage,
        waitingOn: opts.waitingOn,
        provider: opts.provider,
        member: opts.member,
        status: opts.all ? 'all' : undefined,
      });
      print(opts.json ? rows : renderTable(rows));
    });

  program
    .command('stuck')
    .description('running transfers and coordination clocks whose stage deadline has passed')
    .option('--as-of <iso>', 'as of this time instead of now, like 2026-12-01T09:00:00Z')
    .option('--json', 'print JSON')
    .action(async (opts: { asOf?: string; json?: boolean }) => {
      const asOf = opts.asOf === undefined ? undefined : parseInput(AsOf, opts.asOf, ['--as-of']);
      const rows = await api().stuckTransfers(asOf);
      print(opts.json ? rows : renderTable(rows));
    });

  if (operator) addRepairCommand(program, operator);
  addClockCommands(program, api, print);
  addDisclosureCommand(program, api, print);
  addReportCommand(program, api, reports, print);

  return program;
}

/** An operator's command: it resets workflows, so it needs Temporal's own credentials, not an API token. */
function addRepairCommand(program: Command, service: () => TransferService): void {
  program
    .command('repair')
    .description(
      'operator: free a transfer whose workflow tasks keep failing (nondeterminism, or a command the server refuses) by a reset to before the trouble; shows the plan unless --apply. Talks to Temporal directly.',
    )
    .argument('<referralId>', 'the referral id')
    .requiredOption('--as <manager:id>', 'the manager who repairs it (recorded as the reset reason)')
    .option('--apply', 'reset it; without this, only say what would be done')
    .option('--json', 'print JSON')
    .action(async (referralId: string, opts: { as: string; apply?: boolean; json?: boolean }) => {
      const actor = parseActor(opts.as);
      if (!opts.apply) {
        const plan = await service().repairPlan(referralId);
        print(
          opts.json
            ? plan
            : `${renderRepairPlan(referralId, plan)}${plan.kind === 'reset' ? '\nRun again with --apply to repair.' : ''}`,
        );
        return;
      }
      const { plan, outcome } = await service().repair(referralId, actor);
      if (opts.json) print({ plan, outcome });
      const said = outcome ? renderRepairOutcome(referralId, outcome) : renderRepairPlan(referralId, plan);
      if (!outcome?.resumed) throw new NotDoneError(said);
      if (!opts.json) print(said);
    });
}

/** The workflow answers as soon as it records the event; the stage moves on just after, so say no more. */
function acceptedLine(type: string, state: TransferState): string {
  return `${type} accepted for ${state.referralId}${state.outcome ? `; outcome: ${state.outcome}` : ''}`;
}

function print(value: unknown): void {
  process.stdout.write(`${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`);
}
