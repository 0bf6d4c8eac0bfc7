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
import type { TransferService } from '../client/transfer-service';
import { consentFor } from './support/transfer-harness';

const REFERRAL = 'R-7K3M9Q2XWD';
let consentFile: string;

beforeAll(() => {
  consentFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'referrals-flags-')), 'consent.json');
  writeFileSync(consentFile, JSON.stringify(consentFor([{ providerId: 'bayside-outpatient' }])));
  jest.spyOn(process.stdout, 'write').mockReturnValue(true);
});

/** Runs `referrals event ...` in-process and returns what reached the service. */
async function sentEvent(args: string[]): Promise<Record<string, unknown>> {
  const sendEvent = jest.fn(async () => ({
    referralId: REFERRAL,
    stage: 'assemble-packet',
    waitingOn: 'case-manager',
  }));
  await buildProgram(() => ({ sendEvent }) as unknown as TransferService).parseAsync(['event', REFERRAL, ...args], {
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
  const input = await sentEvent([type, ...fieldArgs, '--as', 'manager:mgr-1']);
  const parsed = TransitionEvent.safeParse({ ...input, sentAt: '2029-12-01T09:00:00Z' });
  expect(parsed.error?.issues ?? []).toEqual([]);
  expect(parsed.data?.type).toBe(type);
  expect(parsed.data?.actor).toEqual({ role: 'manager', id: 'mgr-1' });
});

test('flags carry their values: negations are false, a consent file is read, omitted flags stay absent', async () => {
  const handoff = await sentEvent([
    'handoff-arranged',
    '--no-introductions',
    '--transportation',
    'not-needed',
    '--as',
    'cm-alvarez',
  ]);
  expect(handoff).toMatchObject({
    type: 'handoff-arranged',
    introductions: false,
    transportation: 'not-needed',
    actor: { role: 'case-manager', id: 'cm-alvarez' },
  });
  expect(handoff).not.toHaveProperty('note');

  const consent = await sentEvent(['consent-recorded', '--consent-file', consentFile, '--as', 'cm-alvarez']);
  expect(consent).toMatchObject({ consent: { consentId: 'C-1', toldOfRightToRevoke: true } });
});

test('--json gives the fields and flags override it; the positional type and --as always win', async () => {
  const input = await sentEvent([
    'referral-declined',
    '--json',
    '{"type":"withdrawn","reason":"from json","actor":{"role":"manager","id":"x"}}',
    '--reason',
    'no capacity until March',
    '--as',
    'partner:bayside-outpatient',
  ]);
  expect(input).toEqual({
    type: 'referral-declined',
    reason: 'no capacity until March',
    actor: { role: 'partner', id: 'bayside-outpatient' },
  });
});
