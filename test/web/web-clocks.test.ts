/**
 * The coordination clocks' JSON API against the real dev server and worker: a bad request is
 * refused with the field named before anything starts, a good one starts the clock's workflow,
 * events carry who sent them and are refused with the workflow's reason when the stage does not
 * take them, and a clock past its deadline shows in the managers' stuck list beside transfers.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, runCli } from '../support/referrals-cli';
import { DateTime } from 'luxon';
import { eventually, StaffApi, startWebStack, type WebStack } from '../support/web-stack';

jest.setTimeout(180_000);
const sample = JSON.parse(readFileSync(path.join(ROOT, 'fixtures', 'sample-transfer.json'), 'utf8'));
const HOUR = 3_600_000;

let stack: WebStack;
let intake: StaffApi;
let manager: StaffApi;
let overdue: string;

beforeAll(async () => {
  stack = await startWebStack();
  intake = await StaffApi.signIn(stack.url, 'intake');
  manager = await StaffApi.signIn(stack.url, 'manager');
});
afterAll(async () => stack?.stop());

const common = () => ({
  member: sample.member,
  programId: sample.sendingProgramId,
  caseManagerId: sample.caseManagerId,
  partTwo: true,
});
const problemList = (changedAt: Date, extra: Record<string, unknown> = {}) => ({
  kind: 'problem-list-update',
  ...common(),
  changedAt: changedAt.toISOString(),
  ...extra,
});
const clock = async (id: string) => (await intake.call('GET', `/api/clocks/${id}`)).json;

test('a bad clock request is refused with the field named, and nothing starts', async () => {
  const { changedAt: _, ...missing } = problemList(new Date());
  const r = await intake.call('POST', '/api/clocks', missing);
  expect(r.status).toBe(400);
  expect(r.json.problems).toEqual([{ field: 'changedAt', message: 'required' }]);

  const unknownProvider = await intake.call('POST', '/api/clocks', {
    kind: 'mat-referral',
    ...common(),
    requestedAt: new Date().toISOString(),
    providerId: 'nowhere-clinic',
  });
  expect(unknownProvider.status).toBe(400);
  expect(unknownProvider.json.problems).toEqual([
    { field: 'providerId', message: 'no receiving provider "nowhere-clinic" in the directory' },
  ]);

  const wrongCaseManager = await intake.call(
    'POST',
    '/api/clocks',
    problemList(new Date(), { caseManagerId: 'cm-nguyen', managedCarePlanId: 'no-such-plan' }),
  );
  expect(wrongCaseManager.status).toBe(400);
  expect(wrongCaseManager.json.problems.map((p: { field: string }) => p.field)).toEqual([
    'caseManagerId',
    'managedCarePlanId',
  ]);

  const unknownKind = await intake.call('POST', '/api/clocks', { ...problemList(new Date()), kind: 'weekly-vibes' });
  expect(unknownKind.status).toBe(400);
  expect(unknownKind.json.problems.map((p: { field: string }) => p.field)).toEqual(['kind']);

  // Only staff who may start transfers may start clocks, and only with a CSRF token.
  expect((await intake.call('POST', '/api/clocks', problemList(new Date()), { csrf: null })).status).toBe(403);
  expect((await fetch(`${stack.url}/api/clocks`)).status).toBe(401);
  expect((await intake.call('GET', '/api/clocks')).json).toEqual([]);
});

test('a problem-list update starts, refuses an event its stage does not take, and ends when the list is updated', async () => {
  const started = await intake.call('POST', '/api/clocks', problemList(new Date(Date.now() - HOUR)));
  expect(started.status).toBe(201);
  const { clockId, workflowId } = started.json;
  expect(clockId).toMatch(/^C-[0-9A-HJKMNP-TV-Z]{10}$/);
  expect(workflowId).toBe(`clock-${clockId}`);

  const waiting = await eventually('the clock to wait on the case manager', async () => {
    const s = await clock(clockId);
    return s?.stage === 'update-problem-list' && s.stageDeadline ? s : undefined;
  });
  expect(waiting).toMatchObject({ clockId, kind: 'problem-list-update', waitingOn: 'case-manager' });

  const before = await clock(clockId);
  const wrongType = await intake.call('POST', `/api/clocks/${clockId}/events`, {
    type: 'referral-sent',
    method: 'fax',
  });
  expect(wrongType).toEqual({
    status: 409,
    json: {
      error: 'Not done: referral-sent does not fit a problem-list-update clock.',
      reason: 'referral-sent does not fit a problem-list-update clock',
    },
  });
  const withActor = await intake.call('POST', `/api/clocks/${clockId}/events`, {
    type: 'problem-list-updated',
    actor: { role: 'manager', id: 'someone' },
  });
  expect(withActor.status).toBe(400);
  const invalid = await intake.call('POST', `/api/clocks/${clockId}/events`, {
    type: 'problem-list-updated',
    documentation: { narrative: '' },
  });
  expect(invalid.status).toBe(400);
  expect(invalid.json.problems.map((p: { field: string }) => p.field)).toEqual(['documentation.narrative']);
  // Closing a clock is a manager's decision, like withdrawing a transfer.
  expect(
    (await intake.call('POST', `/api/clocks/${clockId}/events`, { type: 'clock-closed', reason: 'duplicate' })).status,
  ).toBe(403);
  expect(await clock(clockId)).toEqual(before);

  const listed = await eventually('the clock in the list', async () => {
    const rows = (await intake.call('GET', '/api/clocks?kind=problem-list-update')).json as {
      id: string;
      kind: string;
      stage: string;
    }[];
    return rows.find((r) => r.id === clockId);
  });
  expect(listed).toMatchObject({
    referralId: clockId,
    kind: 'problem-list-update',
    stage: 'update-problem-list',
    sendingProgram: sample.sendingProgramId,
  });
  expect((await intake.call('GET', '/api/clocks?kind=mat-referral')).json).toEqual([]);
  expect((await intake.call('GET', '/api/clocks?kind=nope')).status).toBe(400);

  const sentAfter = Date.now();
  const updated = await intake.call('POST', `/api/clocks/${clockId}/events`, { type: 'problem-list-updated' });
  expect(updated.status).toBe(200);
  const event = updated.json.timeline.find((t: any) => t.kind === 'event')?.event;
  expect(event).toMatchObject({ type: 'problem-list-updated', actor: { role: 'intake', id: 'intake' } });
  expect(Date.parse(event.sentAt)).toBeGreaterThanOrEqual(sentAfter - 1000);
  const done = await eventually('the clock to end', async () => {
    const s = await clock(clockId);
    return s?.stage === 'done' ? s : undefined;
  });
  expect(done).toMatchObject({ outcome: 'completed', metOnTime: true });
  const late = await intake.call('POST', `/api/clocks/${clockId}/events`, { type: 'problem-list-updated' });
  expect(late.status).toBe(409);

  // The worker's sweep brings the clock into the managers' clocks report, met on time.
  const today = DateTime.now().setZone('America/Los_Angeles').toISODate();
  const onTime = await eventually('the clock in the clocks report', async () => {
    const report = (await manager.call('GET', `/api/reports/clocks?from=${today}&to=${today}`)).json;
    const row = (report.rows as unknown[][] | undefined)?.find((r) => r[0] === 'problem-list-update');
    return row && (row[3] as number) >= 1 ? row : undefined;
  });
  expect(onTime).toEqual(['problem-list-update', 1, 1, 1, 0, 0, 0, 100]);
});

test('an unknown clock is "not found"; a malformed id names the field', async () => {
  expect(await intake.call('GET', '/api/clocks/C-7K3M9Q2XWD')).toEqual({ status: 404, json: { error: 'Not found.' } });
  expect(
    (await manager.call('POST', '/api/clocks/C-7K3M9Q2XWD/events', { type: 'clock-closed', reason: 'x' })).status,
  ).toBe(404);
  const malformed = await intake.call('GET', '/api/clocks/R-7K3M9Q2XWD');
  expect(malformed.status).toBe(400);
  expect(malformed.json.problems.map((p: { field: string }) => p.field)).toEqual(['clockId']);
});

test('a clock past its deadline is in the stuck list with its clock id and kind; a fresh one is not', async () => {
  overdue = (await intake.call('POST', '/api/clocks', problemList(new Date(Date.now() - 4 * 24 * HOUR)))).json
    .clockId as string;
  const fresh = (await intake.call('POST', '/api/clocks', problemList(new Date()))).json.clockId as string;
  await eventually('the fresh clock to publish its deadline', async () =>
    (await clock(fresh))?.stageDeadline ? true : undefined,
  );

  type Row = { referralId: string; id: string; kind: string; workflowId: string; stage: string; deadline: string };
  const stuck = await eventually('the overdue clock in the stuck list', async () => {
    const rows = (await manager.call('GET', '/api/transfers/stuck')).json as Row[];
    return rows.some((r) => r.id === overdue) ? rows : undefined;
  });
  expect(stuck.find((r) => r.id === overdue)).toMatchObject({
    referralId: overdue,
    kind: 'problem-list-update',
    workflowId: `clock-${overdue}`,
    stage: 'update-problem-list',
  });
  expect(Date.parse(stuck.find((r) => r.id === overdue)!.deadline)).toBeLessThan(Date.now());
  expect(stuck.map((r) => r.id)).not.toContain(fresh);

  // The same in the filtered list and on the staff page.
  const filtered = (await manager.call('GET', '/api/transfers?stuck=true&waitingOn=case-manager')).json
    .transfers as Row[];
  expect(filtered.map((r) => r.id)).toContain(overdue);
  const page = await fetch(`${stack.url}/transfers?stuck=on`, { headers: { cookie: manager.cookie } });
  expect(await page.text()).toContain(`<a href="/clocks/${overdue}">${overdue}</a> (Problem list update)`);

  // Staff read the clocks in the browser too: the list, and each clock's page with its timeline.
  const read = (p: string) => fetch(`${stack.url}${p}`, { headers: { cookie: manager.cookie } });
  const list = await read('/clocks?kind=problem-list-update');
  expect(list.status).toBe(200);
  const listed = await list.text();
  expect(listed).toContain(`href="/clocks/${overdue}"`);
  expect(listed).toContain(`href="/clocks/${fresh}"`);
  expect(await (await read('/clocks?kind=mat-referral')).text()).toContain('No clocks match.');
  const shown = await read(`/clocks/${overdue}`);
  expect(shown.status).toBe(200);
  const text = await shown.text();
  expect(text).toContain('Problem list update');
  expect(text).toMatch(/stage update-problem-list, waiting on case-manager/);
  expect((await read('/clocks/C-7K3M9Q2XWD')).status).toBe(404);
  // As on the transfer page: a page has no field to mark, so a malformed id is simply not found.
  expect((await read('/clocks/not-a-clock')).status).toBe(404);
  expect((await fetch(`${stack.url}/clocks`, { redirect: 'manual' })).status).toBe(303);
});

test('the CLI sees and drives the same clocks: start, event, show, list, and stuck', async () => {
  const cliEnv = await stack.cliEnv('intake');
  const cliOk = async (args: string[]) => {
    const r = await runCli(args, cliEnv);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    return r.stdout;
  };
  const { kind: _, ...request } = problemList(new Date(Date.now() - HOUR), { crisis: true });
  const clockId = (await cliOk(['clock', 'start', 'problem-list-update', '--json', JSON.stringify(request)])).trim();
  expect(clockId).toMatch(/^C-[0-9A-HJKMNP-TV-Z]{10}$/);
  await eventually('the CLI clock to wait', async () => ((await clock(clockId))?.stageDeadline ? true : undefined));

  const rejected = await runCli(['clock', 'event', clockId, 'contact-failed', '--json', '{"method":"phone"}'], cliEnv);
  expect({ code: rejected.code, stderr: rejected.stderr.trim() }).toEqual({
    code: 3,
    stderr: `rejected: contact-failed for ${clockId}: contact-failed does not fit a problem-list-update clock`,
  });
  // The event ends the clock: the state read back may already carry the outcome.
  expect(await cliOk(['clock', 'event', clockId, 'problem-list-updated'])).toMatch(
    new RegExp(`^problem-list-updated accepted for ${clockId}(; outcome: completed)?\n$`),
  );
  const shown = await eventually('the CLI clock to end', async () => {
    const out = await cliOk(['clock', 'show', clockId]);
    return /^Stage +done$/m.test(out) ? out : undefined;
  });
  expect(shown).toMatch(new RegExp(`^Clock +${clockId} \\(Problem list update\\)$`, 'm'));
  expect(shown).toContain('problem-list-updated by intake:intake');
  expect(JSON.parse(await cliOk(['clock', 'show', clockId, '--json']))).toMatchObject({
    clockId,
    outcome: 'completed',
  });

  const all = await eventually('the ended clock in `clock list --all`', async () => {
    const rows = JSON.parse(await cliOk(['clock', 'list', '--all', '--json'])) as {
      id: string;
      kind: string;
      outcome: string | null;
    }[];
    return rows.find((r) => r.id === clockId && r.outcome === 'completed');
  });
  expect(all.kind).toBe('problem-list-update');
  const running = JSON.parse(await cliOk(['clock', 'list', '--kind', 'problem-list-update', '--json'])) as {
    id: string;
  }[];
  expect(running.map((r) => r.id)).toContain(overdue);
  expect(running.map((r) => r.id)).not.toContain(clockId);
  expect(await cliOk(['clock', 'list', '--kind', 'initial-screening'])).toBe('No clocks match.\n');

  const stuck = await cliOk(['stuck']);
  expect(stuck).toMatch(
    new RegExp(`^${overdue}\\s+running\\s+update-problem-list\\s+case-manager\\s.*problem-list-update$`, 'm'),
  );
  expect(await runCli(['clock', 'show', 'C-7K3M9Q2XWD'], cliEnv)).toMatchObject({
    code: 4,
    stderr: 'error: no clock C-7K3M9Q2XWD\n',
  });
});
