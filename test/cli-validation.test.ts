/**
 * Bad input to the CLI is refused before anything reaches Temporal: each run points the CLI at
 * a port nothing listens on, so a run that tried to start or send would fail differently (the
 * last test shows how). Each refusal names the field, on stderr, with exit code 2.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closedPort, ROOT, runCli, type CliResult } from './support/referrals-cli';

const SAMPLE = path.join(ROOT, 'fixtures', 'sample-transfer.json');
const REFERRAL = 'R-7K3M9Q2XWD';
let env: Record<string, string>;
let tmp: string;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'referrals-cli-validation-'));
  env = { TEMPORAL_ADDRESS: `127.0.0.1:${await closedPort()}`, REFERRALS_DATA_DIR: tmp, LOG_LEVEL: 'info' };
});

function sampleWith(change: (t: Record<string, any>) => void): string {
  const transfer = JSON.parse(readFileSync(SAMPLE, 'utf8'));
  change(transfer);
  const file = path.join(tmp, `transfer-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(transfer));
  return file;
}

function expectRefused(result: CliResult, ...fieldMessages: RegExp[]): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe(''); // no referral id: nothing was started
  for (const pattern of fieldMessages) expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/cannot reach Temporal|\n\s+at /); // no connection attempt, no stack trace
}

describe('referrals start', () => {
  test('a missing field is named, with the flag that sets it', async () => {
    const file = sampleWith((t) => delete t.reason);
    expectRefused(await runCli(['start', '--file', file], env), /^error: reason \(--reason\): required$/m);
  });

  test('several missing fields from flags are each named on their own line', async () => {
    const r = await runCli(['start', '--member-id', 'M-100234', '--sending-program', 'north-county-residential'], env);
    expectRefused(
      r,
      /^error: caseManagerId \(--case-manager\): required$/m,
      /^error: partTwo \(--part-two\): required$/m,
    );
    expect(r.stderr).not.toMatch(/memberId|sendingProgramId/);
  });

  test('a phone number not in E.164 form is refused', async () => {
    expectRefused(
      await runCli(['start', '--file', SAMPLE, '--phone', '707-555-0987'], env),
      /^error: member\.phone \(--phone\): expected a phone number in E\.164 form/m,
    );
  });

  test('an unknown receiving provider id is refused', async () => {
    expectRefused(
      await runCli(['start', '--file', SAMPLE, '--receiving-provider', 'nowhere-clinic'], env),
      /^error: receivingProviderId \(--receiving-provider\): no receiving provider "nowhere-clinic" in the directory$/m,
    );
  });

  test('a case manager from another program is refused', async () => {
    const file = sampleWith((t) => (t.caseManagerId = 'cm-nguyen')); // Santa Rosa's case manager
    expectRefused(
      await runCli(['start', '--file', file], env),
      /^error: caseManagerId \(--case-manager\): "cm-nguyen" is not a case manager of north-county-residential$/m,
    );
  });

  test('an unknown field in the file is named', async () => {
    const file = sampleWith((t) => (t.member.diagnosis = 'should not be here'));
    expectRefused(await runCli(['start', '--file', file], env), /^error: member\.diagnosis: not a known field$/m);
  });

  test('an unreadable file is named', async () => {
    expectRefused(
      await runCli(['start', '--file', path.join(tmp, 'missing.json')], env),
      /^error: --file: cannot read .*missing\.json: ENOENT$/m,
    );
  });
});

describe('referrals event', () => {
  test('event JSON that does not parse is refused, naming --json', async () => {
    expectRefused(
      await runCli(
        ['event', REFERRAL, 'member-informed', '--json', '{concernsAddressed: true', '--as', 'cm-alvarez'],
        env,
      ),
      /^error: --json: not valid JSON/m,
    );
  });

  test('a bad field value in event JSON is named', async () => {
    const r = await runCli(
      [
        'event',
        REFERRAL,
        'appointment-scheduled',
        '--json',
        '{"appointmentAt":"next tuesday"}',
        '--as',
        'partner:bayside-outpatient',
      ],
      env,
    );
    expectRefused(r, /^error: appointmentAt \(--appointment-at\): /m);
  });

  test('a flag the event type does not take is named', async () => {
    const r = await runCli(
      ['event', REFERRAL, 'member-informed', '--concerns-addressed', '--location', 'Room 4', '--as', 'cm-alvarez'],
      env,
    );
    expectRefused(r, /^error: --location: member-informed takes concernsAddressed, note$/m);
  });

  test('provider-chosen with an unknown provider is refused', async () => {
    const r = await runCli(
      [
        'event',
        REFERRAL,
        'provider-chosen',
        '--provider',
        'nowhere-clinic',
        '--reason',
        'closer to home',
        '--as',
        'cm-alvarez',
      ],
      env,
    );
    expectRefused(r, /^error: providerId \(--provider\): no receiving provider "nowhere-clinic"/m);
  });

  test('an unknown role or case manager in --as is refused', async () => {
    expectRefused(
      await runCli(['event', REFERRAL, 'documents-ready', '--as', 'wizard:merlin'], env),
      /^error: actor\.role \(--as\): /m,
    );
    expectRefused(
      await runCli(['event', REFERRAL, 'documents-ready', '--as', 'cm-nobody'], env),
      /^error: actor\.id \(--as\): no case manager "cm-nobody"/m,
    );
  });

  test('a malformed referral id is refused', async () => {
    expectRefused(
      await runCli(['event', '12345', 'documents-ready', '--as', 'cm-alvarez'], env),
      /^error: referralId: expected a referral id like R-/m,
    );
  });

  test('an unknown event type and a missing --as are usage errors', async () => {
    expectRefused(
      await runCli(['event', REFERRAL, 'frobnicate', '--as', 'cm-alvarez'], env),
      /argument 'type'.*Allowed choices are member-informed/,
    );
    expectRefused(
      await runCli(['event', REFERRAL, 'documents-ready'], env),
      /required option '--as <role:id>' not specified/,
    );
  });
});

describe('other commands', () => {
  test('list refuses a provider filter that is not a directory id (nothing reaches the query)', async () => {
    expectRefused(
      await runCli(['list', '--provider', 'x" OR WorkflowId != "'], env),
      /^error: provider: no receiving provider/m,
    );
  });

  test('stuck refuses an --as-of that is not an ISO time', async () => {
    expectRefused(await runCli(['stuck', '--as-of', 'yesterday'], env), /^error: --as-of: /m);
  });

  test('withdraw without a reason is refused', async () => {
    expectRefused(
      await runCli(['withdraw', REFERRAL, '--reason', '  ', '--as', 'cm-alvarez'], env),
      /^error: reason \(--reason\): a reason is required$/m,
    );
  });
});

test('valid input does try Temporal, so the refusals above happened before any connection', async () => {
  const r = await runCli(['start', '--file', SAMPLE], env);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain(`error: cannot reach Temporal at ${env.TEMPORAL_ADDRESS}`);
  expect(r.stderr).not.toMatch(/\n\s+at /);
});
