/**
 * The CLI against the web app, the real Temporal dev server (CLI 1.9.1) and the real worker: what
 * intake staff type with their API token and what a manager then sees in search attributes,
 * current details and the "stuck" query. Every CLI call is a separate process, as when a person
 * runs it.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowExecutionDescription } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { ReferralId, workflowIdFor } from '../domain/ids';
import { SA } from '../domain/search-attributes';
import { loadRuntimeConfig } from '../infra/config';
import { createReferralsWorker } from '../worker/create-worker';
import { ROOT, runCli, type CliResult } from './support/referrals-cli';
import { bundledWorkflows, dataFolderWithEhr, startLocalDevServer, envFor } from './support/local-dev-server';
import { codecEnv } from './support/test-codec';
import { eventually } from './support/eventually';
import { useFreshAppDb } from './support/app-db';
import { startStaffWebApp, type StaffWebApp } from './support/web-stack';

const SAMPLE = path.join(ROOT, 'fixtures', 'sample-transfer.json');
const sample = JSON.parse(readFileSync(SAMPLE, 'utf8'));

let env: TestWorkflowEnvironment;
let worker: { worker: Worker; close(): Promise<void> };
let workerRunning: Promise<void>;
let dataDir: string;
let cliEnv: Record<string, string>;
let web: StaffWebApp;
let appEnv: Record<string, string>;
/** The same web app under a policy whose first deadline lapses in seconds. */
let hurriedWeb: StaffWebApp | undefined;

// The worker's send ledger and opt-outs, in a schema of this file's own.
useFreshAppDb();

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  // Payloads (the static summary, current details) are encrypted: this client decodes them as the UI's codec server does.
  env = await startLocalDevServer();
  const folder = dataFolderWithEhr('referrals-cli-dev-');
  dataDir = folder.dataDir;
  const ehrDir = folder.ehrDir;
  appEnv = { ...envFor(env.address, { dataDir, ehrDir }), ...codecEnv() };
  web = await startStaffWebApp(appEnv);
  cliEnv = await web.cliEnv('intake');
  worker = await createReferralsWorker(loadRuntimeConfig(appEnv), bundledWorkflows());
  workerRunning = worker.worker.run();
});

afterAll(async () => {
  await hurriedWeb?.close();
  await web?.close();
  worker?.worker.shutdown();
  await workerRunning;
  await worker?.close();
  await env?.teardown();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, { ...cliEnv, ...extraEnv });
}

/** Runs the CLI and expects success: a failure shows its stderr in the test output. */
async function cliOk(args: string[], extraEnv: Record<string, string> = {}): Promise<string> {
  const r = await cli(args, extraEnv);
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  return r.stdout;
}

const describeTransfer = (referralId: string): Promise<WorkflowExecutionDescription> =>
  env.client.workflow.getHandle(workflowIdFor(referralId)).describe();

const stuckIds = async (): Promise<string[]> =>
  (JSON.parse(await cliOk(['stuck', '--json'])) as { referralId: string }[]).map((r) => r.referralId);

let routine: string; // a transfer within its deadlines
let overdue: string; // one started under a policy whose first deadline lapses in seconds

test('start through the CLI prints an opaque referral id and sets what managers see', async () => {
  routine = (await cliOk(['start', '--file', SAMPLE])).trim();
  expect(ReferralId.safeParse(routine).success).toBe(true);

  // The workflow publishes StageDeadline once it has computed it on the county calendar.
  const description = await eventually('StageDeadline', async () => {
    const d = await describeTransfer(routine);
    return d.typedSearchAttributes.get(SA.StageDeadline) ? d : undefined;
  });
  const sa = description.typedSearchAttributes;
  expect(sa.get(SA.ReferralStage)).toBe('inform-member');
  expect(sa.get(SA.WaitingOn)).toBe('case-manager');
  expect(sa.get(SA.StageDeadline)!.getTime()).toBeGreaterThan(Date.now());
  expect(sa.get(SA.EscalationLevel)).toBe(0);
  expect(sa.get(SA.SendingProgram)).toBe('north-county-residential');
  expect(sa.get(SA.CaseManager)).toBe('cm-alvarez');
  expect(sa.get(SA.ReceivingProvider)).toBe('bayside-outpatient');
  expect(sa.get(SA.LevelOfCare)).toBe('asam-1.0');
  expect(sa.get(SA.Urgency)).toBe('routine');
  expect(await description.staticSummary()).toBe(`Transfer ${routine}: north-county-residential → bayside-outpatient`);

  // Current details are served by the SDK's metadata query (describe's userMetadata holds only the static summary).
  const metadata = await env.client.workflow
    .getHandle(workflowIdFor(routine))
    .query<{ currentDetails: string }>('__temporal_workflow_metadata');
  expect(metadata.currentDetails).toMatch(
    /^Waiting on case manager to inform the member of the referral \(due (end of \w{3} \w{3} \d{1,2}|\w{3} \w{3} \d{1,2} at \d\d:\d\d)\)$/,
  );

  // Nothing about the member reaches the unencrypted places managers look.
  const visible = JSON.stringify([description.workflowId, sa.getAll(), await description.staticSummary()]);
  for (const secret of [
    sample.member.memberId,
    sample.member.name,
    sample.member.dateOfBirth,
    sample.member.phone,
    sample.member.email,
    sample.reason,
  ])
    expect(visible).not.toContain(secret);
});

test('show prints the stage, whom it waits on, consent and the timeline, without member details', async () => {
  const out = await cliOk(['show', routine]);
  expect(out).toMatch(/^Stage\s+inform-member$/m);
  expect(out).toMatch(/^Waiting on\s+case-manager$/m);
  expect(out).toMatch(/^Provider\s+bayside-outpatient$/m);
  expect(out).toMatch(/^Consent\s+on record: no; needed$/m);
  expect(out).toMatch(/^Details\s+Waiting on case manager to inform the member/m);
  expect(out).toMatch(/^ {2}\S+ {2}stage inform-member, waiting on case-manager, due \S+$/m);
  for (const secret of [sample.member.memberId, sample.member.name, sample.member.phone, sample.member.email])
    expect(out).not.toContain(secret);

  const json = JSON.parse(await cliOk(['show', routine, '--json']));
  expect(json).toMatchObject({ referralId: routine, stage: 'inform-member', waitingOn: 'case-manager' });
});

test('stuck lists a transfer once its stage deadline passes, and not one within its deadline', async () => {
  const policy = JSON.parse(readFileSync(path.join(ROOT, 'config', 'policy.json'), 'utf8'));
  policy.deadlines['inform-member'] = { hours: 0.001 }; // 3.6 seconds
  const policyFile = path.join(dataDir, 'policy-tiny-deadline.json');
  writeFileSync(policyFile, JSON.stringify(policy));
  hurriedWeb = await startStaffWebApp({ ...appEnv, REFERRALS_POLICY_FILE: policyFile });
  overdue = (await cliOk(['start', '--file', SAMPLE], await hurriedWeb.cliEnv('intake'))).trim();

  const stuck = await eventually('the overdue transfer in `referrals stuck`', async () => {
    const ids = await stuckIds();
    return ids.includes(overdue) ? ids : undefined;
  });
  expect(stuck).not.toContain(routine);

  const table = await cliOk(['stuck']);
  expect(table).toMatch(new RegExp(`^${overdue}\\s+running\\s+inform-member\\s+case-manager\\s`, 'm'));
  const listed = JSON.parse(await cliOk(['list', '--waiting-on', 'case-manager', '--json'])) as {
    referralId: string;
  }[];
  expect(listed.map((r) => r.referralId)).toEqual(expect.arrayContaining([routine, overdue]));
});

test("an event the stage does not expect is rejected with the workflow's reason (exit 3)", async () => {
  const r = await cli(['event', overdue, 'appointment-scheduled', '--appointment-at', '2030-01-02T10:00:00-08:00']);
  expect(r.code).toBe(3);
  expect(r.stderr.trim()).toBe(
    `rejected: appointment-scheduled for ${overdue}: appointment-scheduled does not fit the inform-member stage`,
  );
});

test("with an intake token the CLI cannot act as the partner: the partner's acknowledgement is refused", async () => {
  const r = await cli(['event', overdue, 'packet-acknowledged']);
  expect(r.code).toBe(3);
  expect(r.stderr.trim()).toBe(
    `rejected: packet-acknowledged for ${overdue}: intake staff may not send packet-acknowledged`,
  );
});

test('member-informed through the CLI moves the overdue transfer on and out of the stuck list', async () => {
  expect(
    await cliOk([
      'event',
      overdue,
      'member-informed',
      '--concerns-addressed',
      '--note',
      'Went over the reasons by phone',
    ]),
  ).toBe(`member-informed accepted for ${overdue}\n`);
  const shown = await eventually('the next stage in `referrals show`', async () => {
    const out = await cliOk(['show', overdue]);
    return /^Stage\s+inform-member$/m.test(out) ? undefined : out;
  });
  expect(shown).toMatch(/^Stage\s+(assemble-packet|obtain-consent)$/m);
  // Recorded as the token's holder: nobody chose who sent it.
  expect(shown).toMatch(/ member-informed by intake:intake$/m);
  await eventually('the overdue transfer to leave `referrals stuck`', async () =>
    (await stuckIds()).includes(overdue) ? undefined : true,
  );
});

test('withdraw ends a transfer with outcome withdrawn, in its state and its Outcome search attribute', async () => {
  expect(
    // A manager's decision: intake staff may not withdraw.
    await cliOk(
      ['withdraw', routine, '--reason', 'Member chose a provider out of county'],
      await web.cliEnv('manager'),
    ),
  ).toBe(`withdrawn accepted for ${routine}; outcome: withdrawn\n`);
  const ended = await eventually('the workflow to complete', async () => {
    const d = await describeTransfer(routine);
    return d.status.name === 'COMPLETED' ? d : undefined;
  });
  expect(ended.typedSearchAttributes.get(SA.Outcome)).toBe('withdrawn');
  expect(ended.typedSearchAttributes.get(SA.ReferralStage)).toBe('done');

  const out = await cliOk(['show', routine]);
  expect(out).toMatch(/^Stage\s+done$/m);
  expect(out).toMatch(/^Outcome\s+withdrawn \(Member chose a provider out of county\)$/m);

  const late = await cli(['event', routine, 'member-informed', '--concerns-addressed']);
  expect(late.code).toBe(3);
  expect(late.stderr).toContain('the transfer has ended (withdrawn)');

  const all = await eventually('the withdrawn transfer in `referrals list --all`', async () => {
    const rows = JSON.parse(await cliOk(['list', '--all', '--json'])) as {
      referralId: string;
      outcome: string | null;
    }[];
    return rows.find((r) => r.referralId === routine && r.outcome === 'withdrawn');
  });
  expect(all).toMatchObject({ status: 'COMPLETED', stage: 'done' });
});

test('an unknown referral id is "not found" (exit 4)', async () => {
  const r = await cli(['show', 'R-0000000000']);
  expect(r.code).toBe(4);
  expect(r.stderr.trim()).toBe('error: no transfer R-0000000000');
});
