/**
 * Bad input to `referrals clock ...` is refused before anything reaches Temporal, as in
 * cli-validation.test.ts: the CLI calls the web app, whose Temporal is a port nothing listens
 * on; each refusal names the field on stderr with exit code 2, and the last tests show valid
 * input does try to connect.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, runCli, type CliResult } from './support/referrals-cli';
import { useWebWithoutTemporal } from './support/web-without-temporal';

const sample = JSON.parse(readFileSync(path.join(ROOT, 'fixtures', 'sample-transfer.json'), 'utf8'));
const CLOCK = 'C-7K3M9Q2XWD';
const common = {
  member: sample.member,
  programId: sample.sendingProgramId,
  caseManagerId: sample.caseManagerId,
  partTwo: true,
};
const problemList = { ...common, changedAt: '2026-11-30T09:00:00-08:00' };
let env: Record<string, string>;

const setup = useWebWithoutTemporal('referrals-cli-clock-validation-');
beforeAll(() => {
  ({ env } = setup.get());
});

function expectRefused(result: CliResult, ...fieldMessages: RegExp[]): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe(''); // no clock id: nothing was started
  for (const pattern of fieldMessages) expect(result.stderr).toMatch(pattern);
  expect(result.stderr).not.toMatch(/cannot reach Temporal|\n\s+at /);
}

describe('referrals clock start', () => {
  test("a missing field is named (without the transfer flags' hints)", async () => {
    const { changedAt: _, ...missing } = problemList;
    expectRefused(
      await runCli(['clock', 'start', 'problem-list-update', '--json', JSON.stringify(missing)], env),
      /^error: changedAt: required$/m,
    );
  });

  test('a field of another kind is named as unknown', async () => {
    const r = await runCli(
      [
        'clock',
        'start',
        'problem-list-update',
        '--json',
        JSON.stringify({ ...problemList, providerId: 'harbor-mat-clinic' }),
      ],
      env,
    );
    expectRefused(r, /^error: providerId: not a known field$/m);
  });

  test('unknown directory ids are named', async () => {
    const mat = {
      ...common,
      requestedAt: '2026-11-30T09:00:00-08:00',
      providerId: 'nowhere-clinic',
      caseManagerId: 'cm-nguyen',
    };
    const r = await runCli(['clock', 'start', 'mat-referral', '--json', JSON.stringify(mat)], env);
    expectRefused(
      r,
      /^error: caseManagerId: "cm-nguyen" is not a case manager of north-county-residential$/m,
      /^error: providerId: no receiving provider "nowhere-clinic" in the directory$/m,
    );
    const crisis = {
      ...common,
      crisisAt: '2026-11-30T09:00:00-08:00',
      managedCarePlanId: 'partnership-health-plan',
      providerIds: ['bayside-outpatient', 'nowhere-clinic'],
    };
    expectRefused(
      await runCli(['clock', 'start', 'crisis-follow-up', '--json', JSON.stringify(crisis)], env),
      /^error: providerIds\.1: no receiving provider "nowhere-clinic"/m,
    );
  });

  test('a kind in the request that differs from the argument is named', async () => {
    const r = await runCli(
      ['clock', 'start', 'problem-list-update', '--json', JSON.stringify({ ...problemList, kind: 'mat-referral' })],
      env,
    );
    expectRefused(r, /^error: kind: the request says "mat-referral" but the command says problem-list-update$/m);
  });

  test('bad JSON, an unreadable file, an unknown kind or flag are refused', async () => {
    expectRefused(
      await runCli(['clock', 'start', 'problem-list-update', '--json', '{kind:'], env),
      /^error: --json: not valid JSON/m,
    );
    expectRefused(
      await runCli(
        ['clock', 'start', 'problem-list-update', '--file', path.join(os.tmpdir(), 'no-such-clock.json')],
        env,
      ),
      /^error: --file: cannot read .*ENOENT$/m,
    );
    expectRefused(
      await runCli(['clock', 'start', 'weekly-vibes', '--json', '{}'], env),
      /argument 'kind'.*Allowed choices are residential-notice/,
    );
    expectRefused(
      await runCli(['clock', 'start', 'problem-list-update', '--changed-at', 'now'], env),
      /unknown option '--changed-at'/,
    );
  });
});

describe('referrals clock event, show and list', () => {
  test('a bad event field is named; --as is no option', async () => {
    const r = await runCli(
      ['clock', 'event', CLOCK, 'problem-list-updated', '--json', '{"documentation":{"narrative":""}}'],
      env,
    );
    expectRefused(r, /^error: documentation\.narrative: /m);
    expectRefused(
      await runCli(['clock', 'event', CLOCK, 'problem-list-updated', '--as', 'cm-nobody'], env),
      /unknown option '--as'/,
    );
    expectRefused(
      await runCli(['clock', 'event', CLOCK, 'frobnicate'], env),
      /argument 'type'.*Allowed choices are plan-confirmed/,
    );
  });

  test('a malformed clock id is refused', async () => {
    expectRefused(
      await runCli(['clock', 'show', 'R-7K3M9Q2XWD'], env),
      /^error: clockId: expected a clock id like C-/m,
    );
    expectRefused(
      await runCli(['clock', 'event', '12345', 'problem-list-updated'], env),
      /^error: clockId: expected a clock id/m,
    );
  });

  test('list refuses an unknown kind', async () => {
    expectRefused(
      await runCli(['clock', 'list', '--kind', 'x" OR WorkflowId != "'], env),
      /option '--kind <kind>' argument .* is invalid/,
    );
  });
});

test('valid input does try Temporal, so the refusals above happened before any connection', async () => {
  const r = await runCli(['clock', 'start', 'problem-list-update', '--json', JSON.stringify(problemList)], env);
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe('error: Temporal cannot be reached; try again shortly.\n');
});

test('the kind may come from the request file alone (the samples in fixtures/clocks)', async () => {
  const r = await runCli(
    ['clock', 'start', '--file', path.join(__dirname, '..', 'fixtures', 'clocks', 'crisis-follow-up.json')],
    env,
  );
  expect(r.stderr).toBe('error: Temporal cannot be reached; try again shortly.\n');
  const noKind = await runCli(['clock', 'start', '--json', JSON.stringify({ ...problemList, kind: undefined })], env);
  expectRefused(noKind, /^error: kind: /m);
});
