/**
 * `referrals clock ...`: the coordination clocks (seed 003), every command through the web API
 * as the token's holder. Requests and events come from --json or --file; kind and type are arguments.
 */
import { Argument, Command, Option } from 'commander';
import { CLOCK_EVENT_TYPES, type ClockEventType } from '../../domain/clocks/events';
import { CLOCK_KINDS, CLOCK_TITLES, type ClockKind } from '../../domain/clocks/kinds';
import type { ClockState } from '../../domain/clocks/state';
import { clockTimelineLine } from '../clock-timeline';
import type { ApiClient } from '../api-client';
import { InvalidInputError } from '../service-errors';
import { baseObject } from './json-input';
import { renderTable } from './render-table';

/** The transfer flags' hints do not apply to `referrals clock ...`: clock fields come from JSON. */
export const CLOCK_FIELD_HINTS: ReadonlyMap<string, string> = new Map();

export function addClockCommands(program: Command, service: () => ApiClient, print: (value: unknown) => void): void {
  const clock = program
    .command('clock')
    .description('start and follow coordination clocks (problem list, MAT referral, crisis follow-up, ...)');

  clock
    .command('start')
    .description('start a coordination clock from --file or --json; prints the clock id')
    .addArgument(new Argument('[kind]', 'the kind of clock (or "kind" in the JSON)').choices(CLOCK_KINDS))
    .option('--file <clock.json>', 'the clock request as JSON')
    .option('--json <object>', 'the clock request as a JSON object')
    .action(async (kind: ClockKind | undefined, opts: { file?: string; json?: string }) => {
      const base = baseObject(opts);
      if (kind !== undefined && base.kind !== undefined && base.kind !== kind) {
        throw new InvalidInputError([
          { field: 'kind', message: `the request says "${String(base.kind)}" but the command says ${kind}` },
        ]);
      }
      const { clockId } = await service().startClock(kind === undefined ? base : { ...base, kind });
      process.stdout.write(`${clockId}\n`);
    });

  clock
    .command('event')
    .description('record an event on a clock (fields from --json or --file)')
    .argument('<clockId>', 'the clock id, like C-7K3M9Q2XWD')
    .addArgument(new Argument('<type>', 'the event type').choices(CLOCK_EVENT_TYPES))
    .option('--json <object>', 'event fields as a JSON object')
    .option('--file <event.json>', 'event fields from a JSON file')
    .action(async (clockId: string, type: ClockEventType, opts: { json?: string; file?: string }) => {
      const state = await service().sendClockEvent(clockId, { ...baseObject(opts), type });
      process.stdout.write(
        `${type} accepted for ${state.clockId}${state.outcome ? `; outcome: ${state.outcome}` : ''}\n`,
      );
    });

  clock
    .command('show')
    .description("a clock's stage, deadlines, contacts, outcome and timeline")
    .argument('<clockId>', 'the clock id')
    .option('--json', 'print JSON')
    .action(async (clockId: string, opts: { json?: boolean }) => {
      const state = await service().getClock(clockId);
      print(opts.json ? state : renderClock(state));
    });

  clock
    .command('list')
    .description('running clocks (or all with --all), from search attributes')
    .addOption(new Option('--kind <kind>', 'only this kind').choices(CLOCK_KINDS))
    .option('--all', 'include ended clocks')
    .option('--json', 'print JSON')
    .action(async (opts: { kind?: string; all?: boolean; json?: boolean }) => {
      const rows = await service().listClocks({ kind: opts.kind, status: opts.all ? 'all' : undefined });
      print(opts.json ? rows : renderTable(rows, 'No clocks match.'));
    });
}

/** What `referrals clock show` prints: ids, stage names, dates and what staff typed; no member details. */
function renderClock(s: ClockState): string {
  const lines = [
    `Clock        ${s.clockId} (${CLOCK_TITLES[s.kind]})`,
    `Stage        ${s.stage}`,
    `Waiting on   ${s.waitingOn}`,
    `Deadline     ${s.stageDeadline ?? '-'}`,
    `Escalation   ${s.escalationLevel}`,
    `Due          ${s.dueAt}`,
    `Met          ${s.metAt ? `${s.metAt}${s.metOnTime ? '' : ' (late)'}` : '-'}`,
    `Outcome      ${s.outcome ? `${s.outcome}${s.outcomeReason ? ` (${s.outcomeReason})` : ''}` : '-'}`,
    '',
    'Timeline',
  ];
  for (const entry of s.timeline) lines.push(`  ${entry.at}  ${clockTimelineLine(entry)}`);
  return lines.join('\n');
}
