/**
 * Every event type can be sent from the command line with flags alone, and the flags land in
 * the fields the workflow validates. A new event field without a flag fails here.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EVENT_TYPES, TransitionEvent } from '../domain/events';
import { buildProgram } from '../client/cli/program';
import { eventFields } from '../client/cli/event-input';
import type { ApiClient } from '../client/api-client';
import { consentFor } from './support/transfer-harness';

const REFERRAL = 'R-7K3M9Q2XWD';
let consentFile: string;

beforeAll(() => {
  consentFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'referrals-flags-')), 'consent.json');
  writeFileSync(consentFile, JSON.stringify(consentFor([{ providerId: 'bayside-outpatient' }])));
  jest.spyOn(process.stdout, 'write').mockReturnValue(true);
});

/** Runs `referrals event ...` in-process and returns what reached the web API. */
async function sentEvent(args: string[]): Promise<Record<string, unknown>> {
  const sendEvent = jest.fn(async () => ({
    referralId: REFERRAL,
    stage: 'assemble-packet',
    waitingOn: 'case-manager',
  }));
  await buildProgram({ api: () => ({ sendEvent }) as unknown as ApiClient }).parseAsync(['event', REFERRAL, ...args], {
    from: 'user',
  });
  expect(sendEvent).toHaveBeenCalledTimes(1);
  return (sendEvent.mock.calls[0] as unknown[])[1] as Record<string, unknown>;
}

const FLAGS_FOR_FIELD: Record<string, () => string[]> = {
  reason: () => ['--reason', 'member moved out of county'],
  note: () => ['--note', 'called twice'],
  concernsAddressed: () => ['--concerns-addressed'],
  appointmentAt: () => ['--appointment-at', '2030-01-02T10:00:00-08:00'],
  location: () => ['--location', 'Room 4'],
  providerId: () => ['--provider', 'redwood-iop'],
  consent: () => ['--consent-file', consentFile],
  consentId: () => ['--consent-id', 'C-1'],
  introductions: () => ['--no-introductions'],
  transportation: () => ['--transportation', 'arranged'],
  dischargeSummaryCompleted: () => ['--discharge-summary-completed'],
  otherProvidersInformed: () => ['--other-providers-informed'],
};

test.each(EVENT_TYPES)('%s can be sent with flags', async (type) => {
  const fieldArgs = eventFields(type).flatMap((field) => {
    const flags = FLAGS_FOR_FIELD[field];
    if (!flags) throw new Error(`no flag is known for ${type}.${field}`);
    return flags();
  });
  const input = await sentEvent([type, ...fieldArgs]);
  // The web API adds who sent it (from the token) and when.
  const parsed = TransitionEvent.safeParse({
    ...input,
    actor: { role: 'manager', id: 'mgr-1' },
    sentAt: '2029-12-01T09:00:00Z',
  });
  expect(parsed.error?.issues ?? []).toEqual([]);
  expect(parsed.data?.type).toBe(type);
});

test('flags carry their values: negations are false, a consent file is read, omitted flags stay absent', async () => {
  const handoff = await sentEvent(['handoff-arranged', '--no-introductions', '--transportation', 'not-needed']);
  expect(handoff).toEqual({ type: 'handoff-arranged', introductions: false, transportation: 'not-needed' });
  expect(handoff).not.toHaveProperty('note');

  const consent = await sentEvent(['consent-recorded', '--consent-file', consentFile]);
  expect(consent).toMatchObject({ consent: { consentId: 'C-1', toldOfRightToRevoke: true } });
});

test('--json gives the fields and flags override it; the positional type always wins', async () => {
  const input = await sentEvent([
    'referral-declined',
    '--json',
    '{"type":"withdrawn","reason":"from json"}',
    '--reason',
    'no capacity until March',
  ]);
  expect(input).toEqual({ type: 'referral-declined', reason: 'no capacity until March' });
});

test('nobody picks who sent an event: an actor or a time in --json is refused, and --as is no option', async () => {
  const program = () => buildProgram({ api: () => ({}) as ApiClient }).exitOverride();
  const run = (args: string[]) =>
    program().parseAsync(['event', REFERRAL, 'documents-ready', ...args], { from: 'user' });
  await expect(run(['--json', '{"actor":{"role":"partner","id":"bayside-outpatient"}}'])).rejects.toMatchObject({
    problems: [{ field: 'actor', message: expect.stringContaining('API token') }],
  });
  await expect(run(['--json', '{"sentAt":"2026-12-01T09:00:00Z"}'])).rejects.toMatchObject({
    problems: [{ field: 'sentAt', message: expect.stringContaining('API token') }],
  });
  jest.spyOn(process.stderr, 'write').mockReturnValueOnce(true);
  await expect(run(['--as', 'partner:bayside-outpatient'])).rejects.toMatchObject({
    code: 'commander.unknownOption',
  });
});
