/**
 * Bad input to the CLI is refused before anything reaches Temporal: the CLI calls the web app
 * with an intake token, and the web app's Temporal is a port nothing listens on, so a request
 * that got as far as starting or sending would fail differently (the last test shows how). Each
 * refusal names the field, on stderr, with exit code 2.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, runCli, type CliResult } from './support/referrals-cli';
import { StaffApi, type StaffWebApp } from './support/web-stack';
import { useWebWithoutTemporal } from './support/web-without-temporal';

const SAMPLE = path.join(ROOT, 'fixtures', 'sample-transfer.json');
const REFERRAL = 'R-7K3M9Q2XWD';
let env: Record<string, string>;
let tmp: string;
let web: StaffWebApp;

const setup = useWebWithoutTemporal('referrals-cli-validation-');
beforeAll(() => {
  ({ web, env, dataDir: tmp } = setup.get());
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
      await runCli(['event', REFERRAL, 'member-informed', '--json', '{concernsAddressed: true'], env),
      /^error: --json: not valid JSON/m,
    );
  });

  test('a bad field value in event JSON is named', async () => {
    const r = await runCli(
      ['event', REFERRAL, 'appointment-scheduled', '--json', '{"appointmentAt":"next tuesday"}'],
      env,
    );
    expectRefused(r, /^error: appointmentAt \(--appointment-at\): /m);
  });

  test('a flag the event type does not take is named', async () => {
    const r = await runCli(['event', REFERRAL, 'member-informed', '--concerns-addressed', '--location', 'Room 4'], env);
    expectRefused(r, /^error: --location: member-informed takes concernsAddressed, note$/m);
  });

  test('provider-chosen with an unknown provider is refused', async () => {
    const r = await runCli(
      ['event', REFERRAL, 'provider-chosen', '--provider', 'nowhere-clinic', '--reason', 'closer to home'],
      env,
    );
    expectRefused(r, /^error: providerId \(--provider\): no receiving provider "nowhere-clinic"/m);
  });

  test('nobody can choose whom an event is from: --as is no option, and an actor in the JSON is refused', async () => {
    expectRefused(
      await runCli(['event', REFERRAL, 'packet-acknowledged', '--as', 'partner:bayside-outpatient'], env),
      /unknown option '--as'/,
    );
    expectRefused(
      await runCli(
        ['event', REFERRAL, 'packet-acknowledged', '--json', '{"actor":{"role":"partner","id":"bayside-outpatient"}}'],
        env,
      ),
      /^error: actor: not accepted: events are sent as the API token holder/m,
    );
  });

  test('a malformed referral id is refused', async () => {
    expectRefused(
      await runCli(['event', '12345', 'documents-ready'], env),
      /^error: referralId: expected a referral id like R-/m,
    );
  });

  test('an unknown event type is a usage error', async () => {
    expectRefused(
      await runCli(['event', REFERRAL, 'frobnicate'], env),
      /argument 'type'.*Allowed choices are member-informed/,
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

  test('withdraw without a reason is refused (a manager withdraws; intake staff are refused first)', async () => {
    const manager = await web.cliEnv('manager');
    expectRefused(
      await runCli(['withdraw', REFERRAL, '--reason', '  '], manager),
      /^error: reason \(--reason\): a reason is required$/m,
    );
    const byIntake = await runCli(['withdraw', REFERRAL, '--reason', 'moved away'], env);
    expect({ code: byIntake.code, stderr: byIntake.stderr }).toEqual({
      code: 5,
      stderr: 'error: refused: Your role does not allow this.\n',
    });
  });
});

test('valid input does try Temporal, so the refusals above happened before any connection', async () => {
  const r = await runCli(['start', '--file', SAMPLE], env);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe('error: Temporal cannot be reached; try again shortly.\n');
});

test('without a token, with a made-up one or with a revoked one, the CLI is refused (exit 5)', async () => {
  const { REFERRALS_API_TOKEN: token, ...noToken } = env;
  const none = await runCli(['list'], noToken);
  expect({ code: none.code, stderr: none.stderr }).toEqual({
    code: 5,
    stderr: 'error: no API token: ask an admin for one (Access page) and set REFERRALS_API_TOKEN\n',
  });
  const forged = `${token!.slice(0, -4)}AAAA`;
  const made = await runCli(['list'], { ...env, REFERRALS_API_TOKEN: forged });
  expect(made.code).toBe(5);
  expect(made.stderr).toMatch(/^error: the API token is not valid or was revoked/);

  // An admin revokes the token on the Access API: the next call is refused.
  const admin = await StaffApi.signIn(web.url, 'admin');
  const listed = await admin.call('GET', '/api/access');
  const ids = (listed.json.tokens as { id: string; userId: string }[]).filter((t) => t.userId === 'intake');
  expect(ids).toHaveLength(1);
  expect((await admin.call('DELETE', `/api/access/tokens/${ids[0]!.id}`)).status).toBe(204);
  const revoked = await runCli(['start', '--file', SAMPLE], env);
  expect(revoked.code).toBe(5);
  expect(revoked.stdout).toBe('');
  // Intake staff may not manage tokens.
  const intake = await StaffApi.signIn(web.url, 'intake');
  expect((await intake.call('POST', '/api/access/tokens', { userId: 'intake', label: 'mine' })).status).toBe(403);
});
