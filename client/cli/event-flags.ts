/**
 * The `event` command's flags for event fields (domain/events.ts). Together with --json and
 * --file they can express every event type; test/cli-event-flags.test.ts keeps it that way.
 */
import { Option } from 'commander';
import { InvalidInputError } from '../service-errors';
import { type FieldFlag } from './field-flags';
import { readJsonFile } from './json-input';

export const EVENT_FLAGS: readonly FieldFlag[] = [
  { option: new Option('--reason <text>', 'why (declines, provider changes, withdrawal)'), path: ['reason'] },
  { option: new Option('--note <text>', 'a note for the timeline'), path: ['note'] },
  {
    option: new Option('--concerns-addressed', "member-informed: the member's concerns were addressed"),
    path: ['concernsAddressed'],
  },
  {
    option: new Option('--appointment-at <iso>', 'appointment time, like 2026-12-02T10:00:00-08:00'),
    path: ['appointmentAt'],
  },
  { option: new Option('--location <text>', 'where the appointment is'), path: ['location'] },
  { option: new Option('--provider <id>', 'provider-chosen: directory id of the new provider'), path: ['providerId'] },
  {
    option: new Option('--consent-file <file>', 'consent-recorded: the consent as a JSON file'),
    path: ['consent'],
    parse: (f) => readJsonFile(f, '--consent-file'),
  },
  { option: new Option('--consent-id <id>', 'consent-revoked: which consent'), path: ['consentId'] },
  { option: new Option('--introductions', 'handoff-arranged: introductions were made'), path: ['introductions'] },
  { option: new Option('--no-introductions', 'handoff-arranged: no introductions were made'), path: ['introductions'] },
  {
    option: new Option('--transportation <status>', 'handoff-arranged: transportation').choices([
      'not-needed',
      'arranged',
      'member-declined',
    ]),
    path: ['transportation'],
  },
  {
    option: new Option('--discharge-summary-completed', 'episode-closed: the discharge summary is complete'),
    path: ['dischargeSummaryCompleted'],
  },
  {
    option: new Option('--other-providers-informed', 'episode-closed: other providers were informed'),
    path: ['otherProvidersInformed'],
  },
  {
    option: new Option('--no-other-providers-informed', 'episode-closed: other providers were not informed'),
    path: ['otherProvidersInformed'],
  },
];

/** `repair --as manager:m-ortiz`: who repairs, recorded as the reset's reason (`--as cm-1` is a case manager). */
export function parseActor(raw: string): { role: string; id: string } {
  const at = raw.indexOf(':');
  const actor = at < 0 ? { role: 'case-manager', id: raw } : { role: raw.slice(0, at), id: raw.slice(at + 1) };
  if (actor.id === '')
    throw new InvalidInputError([{ field: 'actor.id', message: 'expected --as role:id or --as id' }]);
  return actor;
}
