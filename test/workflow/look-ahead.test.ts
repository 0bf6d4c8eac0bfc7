/**
 * The look-ahead staff read ("Next: reminder 1 Wed Dec 9 15:00; ...") comes from the same call
 * that schedules the ladder: what `referrals show` prints before the partner goes silent is when
 * each step then fires, on the time-skipping server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { useFreshAppDb } from '../support/app-db';
import { driveTo } from '../support/drive';
import { runCli } from '../support/referrals-cli';
import { CASE_MANAGER, sampleRequest, useTransferHarness } from '../support/transfer-harness';
import { codecEnv } from '../support/test-codec';
import { startStaffWebApp, type StaffWebApp } from '../support/web-stack';

const LA = 'America/Los_Angeles';
const h = useTransferHarness();
useFreshAppDb();

/** The web app the CLI calls, over the same time-skipping server. */
let web: StaffWebApp;
let env: Record<string, string>;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'referrals-look-ahead-'));
  web = await startStaffWebApp({
    TEMPORAL_ADDRESS: h.env.address,
    REFERRALS_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    ...codecEnv(),
  });
  env = await web.cliEnv('intake');
});
afterAll(async () => {
  await web?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the steps `referrals show` lists are the steps the ladder takes, at those times', async () => {
  // A Monday 19:30 start: the request goes out at night, so every step is placed into business hours.
  const now = DateTime.fromJSDate(await h.now(), { zone: LA });
  let monday = now.set({ hour: 19, minute: 30, second: 0, millisecond: 0 });
  while (monday <= now || monday.weekday !== 1) monday = monday.plus({ days: 1 });
  await h.advance(monday.toMillis() - now.toMillis());
  const handle = await h.start(sampleRequest({ partTwo: false }));
  const sending = await driveTo(h, handle, 'send-packet');

  const json = await runCli(['show', sending.referralId, '--json'], env);
  expect({ code: json.code, stderr: json.stderr }).toEqual({ code: 0, stderr: '' });
  const upcoming = (JSON.parse(json.stdout) as { upcomingSteps: { kind: string; at: string }[] }).upcomingSteps;
  expect(upcoming.map((s) => s.kind)).toEqual(['reminder', 'reminder', 'clinic-director', 'contract-monitor']);
  const text = await runCli(['show', sending.referralId], env);
  const next = /^Next\s+(.+)$/m.exec(text.stdout)![1]!;

  // The partner stays silent past the last step.
  const last = new Date(upcoming.at(-1)!.at).getTime();
  await h.advance(last + 60_000 - (await h.now()).getTime());
  const state = await h.waitFor(handle, (s) => s.stageEscalations.length === 4, 'every ladder step');
  expect(state.stageEscalations.map((s) => s.kind)).toEqual(upcoming.map((s) => s.kind));
  state.stageEscalations.forEach((taken, i) => {
    const late = new Date(taken.at).getTime() - new Date(upcoming[i]!.at).getTime();
    expect(late >= 0 && late < 1000).toBe(true);
    const at = DateTime.fromISO(taken.at, { zone: LA });
    expect(at.weekday <= 5 && at.hour >= 8 && at.hour < 18).toBe(true);
  });
  // The printed line names each step at the minute it fired.
  const fired = state.stageEscalations.map(
    (s) =>
      `${s.kind.replace('-', ' ')}${s.reminderNumber ? ` ${s.reminderNumber}` : ''} ${DateTime.fromISO(s.at, { zone: LA }).toFormat('ccc LLL d HH:mm')}`,
  );
  expect(next).toBe(fired.join('; '));
  await h.send(handle, { type: 'withdrawn', actor: CASE_MANAGER, reason: 'test done' });
});

test('an answered stage promises no more steps: after the warm handoff is arranged, `show` lists none', async () => {
  const handle = await h.start(sampleRequest({ partTwo: false }));
  const handoff = await driveTo(h, handle, 'warm-handoff');
  expect(handoff.upcomingSteps.length).toBeGreaterThan(0);
  await h.send(handle, {
    type: 'handoff-arranged',
    actor: CASE_MANAGER,
    introductions: true,
    transportation: 'not-needed',
  });
  const waiting = await h.waitFor(handle, (s) => s.waitingOn === 'none', 'the wait for the appointment');
  expect(waiting.upcomingSteps).toEqual([]);
  const text = await runCli(['show', waiting.referralId], env);
  expect(text.stdout).toMatch(/^Next\s+-$/m);
  await h.send(handle, { type: 'withdrawn', actor: CASE_MANAGER, reason: 'test done' });
});
