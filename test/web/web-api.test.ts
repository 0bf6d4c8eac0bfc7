/**
 * The JSON API and the partner links against the real dev server and worker: what a person may
 * do, and that every refused request (no sign-in, wrong role, missing CSRF token, malformed or
 * oversized body, forged, expired or reused link) gets its 4xx and leaves the workflow unchanged.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PartnerLinks } from '../../activities/partner-links';
import { webKeys, webSecret, WebSettings } from '../../infra/web-settings';
import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { findProvider } from '../../domain/directory';
import { loadDirectory } from '../../infra/config-files';
import { ROOT, runCli } from '../support/referrals-cli';
import { codecEnv } from '../support/test-codec';
import { pdfLines } from '../support/pdf-text';
import { eventually, PASSWORDS, StaffApi, startWebStack, type WebStack } from '../support/web-stack';
import { consentFor } from '../support/consents';

jest.setTimeout(180_000);
const sample = JSON.parse(readFileSync(path.join(ROOT, 'fixtures', 'sample-transfer.json'), 'utf8'));

let stack: WebStack;
let intake: StaffApi;
let manager: StaffApi;
let referralId: string;

beforeAll(async () => {
  stack = await startWebStack();
  intake = await StaffApi.signIn(stack.url, 'intake');
  manager = await StaffApi.signIn(stack.url, 'manager');
});
afterAll(async () => stack?.stop());

const state = async (id = referralId) => (await intake.call('GET', `/api/transfers/${id}`)).json;

const consent = (signedAt: string) =>
  consentFor([{ providerId: sample.receivingProviderId }], { consentId: 'C-web-1', signedAt });

test('staff must sign in; a wrong password is refused without saying which part was wrong', async () => {
  const bad = await fetch(`${stack.url}/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'intake', password: 'nope' }),
  });
  expect(bad.status).toBe(401);
  expect(await bad.json()).toEqual({ error: 'user name or password not valid' });
  const anonymous = await fetch(`${stack.url}/api/transfers/R-7K3M9Q2XWD`);
  expect(anonymous.status).toBe(401);
  // Security headers on every response.
  expect(anonymous.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  expect(anonymous.headers.get('referrer-policy')).toBe('no-referrer');
});

test('intake starts a transfer through the API; the event carries who sent it and when', async () => {
  const started = await intake.call('POST', '/api/transfers', sample);
  expect(started.status).toBe(201);
  referralId = started.json.referralId;
  const before = Date.now();
  const informed = await intake.call('POST', `/api/transfers/${referralId}/events`, {
    type: 'member-informed',
    concernsAddressed: true,
  });
  expect(informed.status).toBe(200);
  const event = informed.json.timeline.find((t: any) => t.kind === 'event')?.event;
  expect(event).toMatchObject({ type: 'member-informed', actor: { role: 'intake', id: 'intake' } });
  expect(Date.parse(event.sentAt)).toBeGreaterThanOrEqual(before - 1000);
  const listed = await eventually('the list to show it', async () => {
    const rows = (await intake.call('GET', `/api/transfers?provider=${sample.receivingProviderId}`)).json.transfers as {
      referralId: string;
    }[];
    return rows.some((r) => r.referralId === referralId) ? rows : undefined;
  });
  expect(listed.length).toBeGreaterThan(0);
  expect((await intake.call('GET', '/api/transfers/stuck')).status).toBe(200);
  // Settled: the packet is assembled and the transfer waits for consent, so later comparisons are fair.
  await eventually('obtain-consent', async () => {
    const s = await state();
    return s.stage === 'obtain-consent' && s.packet?.assembledAt ? true : undefined;
  });
});

test('refused requests get the right 4xx and change nothing', async () => {
  const before = await state();
  const cases: [string, Promise<{ status: number; json: any }>, number][] = [
    [
      'missing CSRF token',
      intake.call('POST', `/api/transfers/${referralId}/events`, { type: 'documents-ready' }, { csrf: null }),
      403,
    ],
    [
      'forged CSRF token',
      intake.call('POST', `/api/transfers/${referralId}/events`, { type: 'documents-ready' }, { csrf: manager.csrf }),
      403,
    ],
    [
      'intake may not withdraw',
      intake.call('POST', `/api/transfers/${referralId}/withdraw`, { reason: 'no longer needed' }),
      403,
    ],
    [
      'intake may not withdraw as an event either',
      intake.call('POST', `/api/transfers/${referralId}/events`, { type: 'withdrawn', reason: 'x' }),
      403,
    ],
    [
      'malformed JSON',
      intake.call('POST', `/api/transfers/${referralId}/events`, undefined, { raw: '{"type": "documents-ready",' }),
      400,
    ],
    [
      'oversized body',
      intake.call('POST', `/api/transfers/${referralId}/events`, undefined, {
        raw: JSON.stringify({ type: 'member-informed', note: 'x'.repeat(40_000) }),
      }),
      413,
    ],
    [
      'an event that fails validation',
      intake.call('POST', `/api/transfers/${referralId}/events`, {
        type: 'appointment-scheduled',
        appointmentAt: 'tomorrow',
      }),
      400,
    ],
    [
      'an actor in the body',
      intake.call('POST', `/api/transfers/${referralId}/events`, {
        type: 'documents-ready',
        actor: { role: 'manager', id: 'someone' },
      }),
      400,
    ],
    [
      'an event the stage refuses',
      intake.call('POST', `/api/transfers/${referralId}/events`, { type: 'attendance-confirmed' }),
      409,
    ],
  ];
  for (const [name, call, status] of cases) {
    const r = await call;
    expect({ name, status: r.status }).toEqual({ name, status });
  }
  expect(await state()).toEqual(before);
  const invalid = await intake.call('POST', `/api/transfers/${referralId}/events`, {
    type: 'appointment-scheduled',
    appointmentAt: 'tomorrow',
  });
  expect(invalid.json.problems).toEqual([{ field: 'appointmentAt', message: expect.any(String) }]);
});

test('an unknown transfer is "not found", and a refusal by role comes before any lookup', async () => {
  const unknown = await intake.call('GET', '/api/transfers/R-7K3M9Q2XWD');
  expect(unknown).toEqual({ status: 404, json: { error: 'Not found.' } });
  expect((await intake.call('POST', '/api/transfers/R-7K3M9Q2XWD/withdraw', { reason: 'x' })).status).toBe(403);
  expect((await manager.call('POST', '/api/transfers/R-7K3M9Q2XWD/withdraw', { reason: 'x' })).status).toBe(404);
});

test('partner links: forged, expired, cross-site and reused links are refused and change nothing', async () => {
  await intake.call('POST', `/api/transfers/${referralId}/events`, {
    type: 'consent-recorded',
    consent: consent(new Date(Date.now() - 60_000).toISOString()),
  });
  const mail = await eventually('the packet email', async () =>
    (await stack.mails()).find((m) => m.subject === `Referral packet ${referralId}`),
  );
  const ackUrl = /acknowledge: (\S+)/.exec(mail.text ?? '')?.[1] ?? '';
  expect(ackUrl.startsWith(`${stack.url}/partner/`)).toBe(true);
  await eventually('the packet sent', async () => {
    const s = await state();
    return s.stage === 'send-packet' && s.requestSentAt && s.timeline.some((t: any) => t.kind === 'disclosure')
      ? true
      : undefined;
  });
  const before = await state();

  const [body = '', signature = ''] = ackUrl.slice(`${stack.url}/partner/`.length).split('.');
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
  const forgedBody = Buffer.from(JSON.stringify({ ...claims, action: 'decline' })).toString('base64url');
  expect((await fetch(`${stack.url}/partner/${forgedBody}.${signature}`)).status).toBe(403);
  const key = webKeys(webSecret(WebSettings.parse({}), stack.dataDir)).partnerLink;
  const expired = new PartnerLinks(key, stack.url, 1).url(
    referralId,
    sample.receivingProviderId,
    'acknowledge',
    Date.now() - 2 * 3_600_000,
  );
  expect((await fetch(expired)).status).toBe(410);
  const page = await fetch(ackUrl);
  expect(page.status).toBe(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  // The browser keeps the cookie holding the CSRF secret the page set.
  const cookie = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const post = (url: string, token: string | null) =>
    fetch(url, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: token ? `_csrf=${encodeURIComponent(token)}` : '',
    });
  expect((await post(ackUrl, null)).status).toBe(403);
  expect((await post(expired, csrf)).status).toBe(403); // the token is bound to its own link
  expect(await state()).toEqual(before);

  expect((await post(ackUrl, csrf)).status).toBe(200);
  const acknowledged = await eventually('confirm-scheduled', async () => {
    const s = await state();
    return s.stage === 'confirm-scheduled' ? s : undefined;
  });
  expect(acknowledged.acknowledgedAt).toBeDefined();
  const again = await post(ackUrl, csrf);
  expect(again.status).toBe(409);
  expect(await again.text()).toContain('already been used');
  expect((await fetch(ackUrl)).status).toBe(409);
  expect(await state()).toEqual(acknowledged);
});

test("a member's accounting of disclosures lists the packet sent: the API, the staff page, the letter and the CLI", async () => {
  const memberId: string = sample.member.memberId;
  const provider = findProvider(loadDirectory(stack.config.REFERRALS_DIRECTORY_FILE), sample.receivingProviderId)!;
  const packet = {
    recipientId: provider.id,
    recipient: `${provider.name} (${provider.intakeEmail})`,
    categories: expect.arrayContaining(['member-information']),
    purpose: 'Referral to a new level of care (referral packet)',
    consentId: 'C-web-1',
    referralId,
  };
  const query = `memberId=${encodeURIComponent(memberId)}`;
  expect((await fetch(`${stack.url}/api/disclosures?${query}`)).status).toBe(401);

  const api = await intake.call('GET', `/api/disclosures?${query}`);
  expect(api.status).toBe(200);
  expect(api.json).toMatchObject({ memberId, timeZone: 'America/Los_Angeles', disclosures: [packet] });
  expect(api.json.to).toBe(DateTime.now().setZone('America/Los_Angeles').toISODate());
  expect(api.json.from).toBe(DateTime.fromISO(api.json.to).minus({ years: 6 }).toISODate());
  const sentAt = Date.parse(api.json.disclosures[0].disclosedAt);
  expect(Date.now() - sentAt).toBeLessThan(10 * 60_000);
  // Another period, another member: nothing; a bad date is named.
  expect(
    (await intake.call('GET', `/api/disclosures?${query}&from=2020-01-01&to=2020-12-31`)).json.disclosures,
  ).toEqual([]);
  // A member id the county has no record of is named as the problem, not answered with an empty letter.
  expect(await intake.call('GET', '/api/disclosures?memberId=M-999999')).toEqual({
    status: 400,
    json: {
      error: 'Please correct the fields marked.',
      problems: [{ field: 'memberId', message: 'no referral or disclosure on record for this member id' }],
    },
  });
  const bad = await intake.call('GET', `/api/disclosures?${query}&from=2026-13-01`);
  expect(bad.status).toBe(400);
  expect(bad.json.problems).toEqual([{ field: 'from', message: expect.any(String) }]);

  // Staff see who the member is on the transfer's page, and reach the accounting from it.
  const transferPage = await (
    await fetch(`${stack.url}/transfers/${referralId}`, { headers: { cookie: intake.cookie } })
  ).text();
  expect(transferPage).toContain(`${sample.member.name}, born ${sample.member.dateOfBirth}`);
  expect(transferPage).toContain(`href="/disclosures?${query}"`);

  const page = await fetch(`${stack.url}/disclosures?${query}`, { headers: { cookie: intake.cookie } });
  expect(page.status).toBe(200);
  const html = await page.text();
  for (const shown of [provider.name, 'C-web-1', `href="/transfers/${referralId}"`, 'Letter for the member (PDF)'])
    expect(html).toContain(shown);

  const letter = await fetch(`${stack.url}/disclosures.pdf?${query}`, { headers: { cookie: intake.cookie } });
  expect(letter.headers.get('content-type')).toBe('application/pdf');
  // The letter wraps long lines; read it as one text.
  const text = (await pdfLines(new Uint8Array(await letter.arrayBuffer()))).join(' ');
  const when = DateTime.fromMillis(sentAt, { zone: 'America/Los_Angeles' }).toFormat('yyyy-MM-dd HH:mm');
  for (const shown of [
    `Member id: ${memberId}`,
    `${when}: ${packet.recipient}`,
    'Why: Referral to a new level of care (referral packet)',
    'Consent: C-web-1',
    `Referral: ${referralId}`,
  ])
    expect(text).toContain(shown);

  const cliEnv = await stack.cliEnv('intake');
  const json = await runCli(['disclosures', memberId, '--format', 'json'], cliEnv);
  expect({ code: json.code, stderr: json.stderr }).toEqual({ code: 0, stderr: '' });
  expect(JSON.parse(json.stdout)).toEqual(api.json);
  const table = await runCli(['disclosures', memberId], cliEnv);
  expect(table.stdout).toContain(`${when} | ${packet.recipient} | `);
  expect(table.stdout).toContain(`| C-web-1 | ${referralId}`);
  const refused = await runCli(['disclosures', memberId, '--to', 'yesterday'], cliEnv);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toMatch(/^error: to\b/m);
});

test('staff forms need their CSRF token and the right role; a refused form changes nothing', async () => {
  const before = await state();
  const form = (who: StaffApi, action: string, body: string) =>
    fetch(`${stack.url}/transfers/${referralId}/actions/${action}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
  expect((await form(intake, 'documents-ready', '')).status).toBe(403);
  expect((await form(intake, 'documents-ready', '_csrf=forged')).status).toBe(403);
  expect((await form(intake, 'withdrawn', `_csrf=${encodeURIComponent(intake.csrf)}&reason=no`)).status).toBe(403);
  const anonymous = await fetch(`${stack.url}/transfers/${referralId}`, { redirect: 'manual' });
  expect(anonymous.status).toBe(303);
  expect(anonymous.headers.get('location')).toMatch(/^\/sign-in/);
  for (const id of ['R-7K3M9Q2XWD', 'not-an-id'])
    expect((await fetch(`${stack.url}/transfers/${id}`, { headers: { cookie: intake.cookie } })).status).toBe(404);
  expect(await state()).toEqual(before);
});

test('a manager withdraws with a reason', async () => {
  const r = await manager.call('POST', `/api/transfers/${referralId}/withdraw`, {
    reason: 'member moved out of county',
  });
  expect(r.status).toBe(200);
  expect(r.json).toMatchObject({ outcome: 'withdrawn' });
  // Ended, it leaves the running list, and staff still find it with "Include ended transfers".
  const page = (query: string) =>
    fetch(`${stack.url}/transfers${query}`, { headers: { cookie: intake.cookie } }).then((p) => p.text());
  await eventually('the ended transfer in the list', async () =>
    (await page('?all=on')).includes(`href="/transfers/${referralId}"`) ? true : undefined,
  );
  expect(await page('')).not.toContain(`href="/transfers/${referralId}"`);
  const all = (await intake.call('GET', '/api/transfers?status=all')).json.transfers as {
    referralId: string;
    outcome: string;
  }[];
  expect(all.find((t) => t.referralId === referralId)?.outcome).toBe('withdrawn');
});

test('a manager reads the reports the worker keeps up to date: the API as JSON, CSV and XLSX, the page, and the CLI; intake may not', async () => {
  const today = DateTime.now().setZone('America/Los_Angeles').toISODate()!;
  const period = `from=${today}&to=${today}`;
  // The worker sweeps every 2 s here (every minute by default): the withdrawal above reaches the store.
  const tracking = await eventually('the withdrawn transfer in the tracking export', async () => {
    const r = await manager.call('GET', `/api/reports/tracking?${period}`);
    const row = (r.json.rows as unknown[][] | undefined)?.find((cells) => cells[0] === referralId);
    return row && row.includes('withdrawn') ? r.json : undefined;
  });
  const row = tracking.rows.find((cells: unknown[]) => cells[0] === referralId);
  const cell = (key: string) => row[tracking.columns.findIndex((c: { key: string }) => c.key === key)];
  expect(cell('receivingProvider')).toBe(sample.receivingProviderId);
  expect(cell('sendingProgram')).toBe(sample.sendingProgramId);
  expect(cell('memberInformed')).toBe(today);
  expect(cell('outcome')).toBe('withdrawn');
  // Ids only: nothing about the member in any report.
  const linkage = await manager.call('GET', `/api/reports/linkage?${period}`);
  for (const text of [JSON.stringify(tracking), JSON.stringify(linkage.json)])
    for (const secret of [sample.member.memberId, sample.member.name, sample.member.phone, sample.reason])
      expect(text).not.toContain(secret);
  const withdrawn = linkage.json.columns.findIndex((c: { key: string }) => c.key === 'withdrawn');
  expect(linkage.json.rows[0][1]).toBe(tracking.rows.length);
  expect(linkage.json.rows[0][withdrawn]).toBeGreaterThanOrEqual(1);

  const file = (format: string) =>
    fetch(`${stack.url}/api/reports/tracking?${period}&format=${format}`, { headers: { cookie: manager.cookie } });
  const csv = await file('csv');
  expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
  expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="tracking-${today}-to-${today}.csv"`);
  expect(await csv.text()).toContain(referralId);
  const xlsx = await file('xlsx');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await xlsx.arrayBuffer()) as never);
  expect(JSON.stringify(workbook.worksheets[0]!.getSheetValues())).toContain(referralId);

  const reportPage = await fetch(`${stack.url}/reports?name=linkage&${period}`, {
    headers: { cookie: manager.cookie },
  });
  const html = await reportPage.text();
  expect(html).toContain('Linkage: how transfers ended');
  expect(html).toContain('Download XLSX');
  expect((await intake.call('GET', `/api/reports/linkage?${period}`)).status).toBe(403);
  const dashboard = await manager.call('GET', '/api/dashboard');
  const thisMonth = dashboard.json.linkageByMonth.at(-1);
  expect(thisMonth).toMatchObject({ month: today.slice(0, 7) });
  expect(thisMonth.ended).toBeGreaterThanOrEqual(1);
  expect((await intake.call('GET', '/api/dashboard')).status).toBe(403);
  const backwards = await manager.call('GET', `/api/reports/linkage?from=${today}&to=2020-01-01`);
  expect(backwards.status).toBe(400);
  expect(backwards.json.problems).toEqual([{ field: 'to', message: 'must not be before from' }]);
  expect((await manager.call('GET', `/api/reports/linkage?${period}&program=nowhere`)).json.problems).toEqual([
    { field: 'program', message: 'no sending program "nowhere" in the directory' },
  ]);

  // An operator's command, with Temporal's and the app database's settings rather than a token.
  const operatorEnv = {
    TEMPORAL_ADDRESS: stack.config.TEMPORAL_ADDRESS,
    REFERRALS_DATA_DIR: stack.dataDir,
    REFERRALS_POLICY_FILE: stack.config.REFERRALS_POLICY_FILE,
    LOG_LEVEL: 'warn',
    ...codecEnv(),
  };
  // Rebuilt from Temporal alone, the store gives the same report.
  const rebuilt = await runCli(['report', 'refresh', '--rebuild'], operatorEnv);
  expect({ code: rebuilt.code, stderr: rebuilt.stderr }).toEqual({ code: 0, stderr: '' });
  const sweep = JSON.parse(rebuilt.stdout);
  expect(sweep).toMatchObject({ failed: 0 });
  expect(sweep.saved).toBe(sweep.transfers + sweep.clocks);
  const cliEnv = await stack.cliEnv('manager');
  const json = await runCli(['report', 'linkage', '--from', today, '--to', today, '--format', 'json'], cliEnv);
  expect(JSON.parse(json.stdout)).toEqual(linkage.json);
  const csvOut = await runCli(['report', 'tracking', '--from', today, '--to', today, '--format', 'csv'], cliEnv);
  expect(csvOut.stdout).toMatch(new RegExp(`^Referral,Referred,.*\\n(.*\\n)*${referralId},${today},.*\\n$`));
  const table = await runCli(['report', 'tracking', '--from', today, '--to', today], cliEnv);
  expect(table.stdout).toContain(`Referral tracking export, ${today} to ${today}`);
  expect(table.stdout).toMatch(new RegExp(`${referralId} +\\| ${today}`));
  const refused = await runCli(['report', 'linkage', '--from', today, '--to', '2020-01-01'], cliEnv);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toMatch(/^error: to \(--to\): must not be before from/m);
});

test('signing out ends the session: the old cookie is refused from then on', async () => {
  const session = await StaffApi.signIn(stack.url, 'intake');
  expect((await session.call('GET', '/api/transfers')).status).toBe(200);
  const out = await fetch(`${stack.url}/sign-out`, {
    method: 'POST',
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: `_csrf=${encodeURIComponent(session.csrf)}`,
    redirect: 'manual',
  });
  expect(out.status).toBe(303);
  // Kept by whoever copied it, the cookie still reads and writes nothing.
  expect((await session.call('GET', '/api/transfers')).status).toBe(401);
  expect((await session.call('POST', '/api/transfers', sample)).status).toBe(401);
  // Other sessions of the same account are not ended.
  expect((await intake.call('GET', '/api/transfers')).status).toBe(200);
});

test('an admin sees who is signed in and ends one session; intake staff may not', async () => {
  const session = await StaffApi.signIn(stack.url, 'intake');
  const admin = await StaffApi.signIn(stack.url, 'admin');
  const listed = await admin.call('GET', '/api/access');
  expect(listed.status).toBe(200);
  const mine = (listed.json.sessions as { id: string; userId: string; role: string }[]).filter(
    (s) => s.userId === 'intake',
  );
  expect(mine.length).toBeGreaterThanOrEqual(2); // this one and the file's own
  // The newest is the one just started; the access page never shows the cookie's secret.
  const secret = /referrals_web_session=([^.;]+)/.exec(session.cookie)![1]!;
  expect(JSON.stringify(listed.json)).not.toContain(decodeURIComponent(secret));
  expect((await intake.call('DELETE', `/api/access/sessions/${mine[0]!.id}`)).status).toBe(403);
  expect((await admin.call('DELETE', `/api/access/sessions/${mine[0]!.id}`)).status).toBe(204);
  expect((await session.call('GET', '/api/transfers')).status).toBe(401);
  expect((await intake.call('GET', '/api/transfers')).status).toBe(200);
  expect((await admin.call('DELETE', `/api/access/sessions/${mine[0]!.id}`)).status).toBe(404);
  // On the page, a token is issued for an account and shown once.
  const page = await fetch(`${stack.url}/access`, { headers: { cookie: admin.cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const issued = await fetch(`${stack.url}/access/tokens`, {
    method: 'POST',
    headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: `_csrf=${encodeURIComponent(csrf)}&userId=manager&label=${encodeURIComponent('reports script')}`,
  });
  expect(issued.status).toBe(201);
  const token = /<code id="issued-token">(rft_[^<]+)<\/code>/.exec(await issued.text())![1]!;
  const asManager = await fetch(`${stack.url}/api/reports/linkage?from=2026-01-01&to=2026-01-31`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(asManager.status).toBe(200);
  const again = await fetch(`${stack.url}/access`, { headers: { cookie: admin.cookie } }).then((r) => r.text());
  expect(again).toContain('reports script');
  expect(again).not.toContain(token);
  expect((await fetch(`${stack.url}/access`, { headers: { cookie: intake.cookie } })).status).toBe(403);
});

test('the sign-in limit holds however the path is spelled', async () => {
  const attempt = (p: string, username: string, password: string) =>
    fetch(`${stack.url}${p}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    }).then((r) => r.status);
  // The limit is 10 a minute per address, counted with the sign-ins above.
  const statuses: number[] = [];
  while (statuses.at(-1) !== 429 && statuses.length < 25)
    statuses.push(await attempt(statuses.length % 2 ? '/%73ign-in' : '/sign%2Din', 'mallory', 'guess'));
  expect(statuses.at(-1)).toBe(429);
  expect(statuses.length).toBeLessThanOrEqual(11);
  // Both spellings reached the sign-in handler (a wrong password), and both are counted.
  expect(statuses.slice(0, -1).every((s) => s === 401)).toBe(true);
  expect(await attempt('/sign-in', 'intake', PASSWORDS.intake)).toBe(429);
});

test('the web app logs no member information', async () => {
  const logs = stack.logs.join('\n');
  expect(logs).toContain('"msg":"staff sign-in"');
  for (const secret of [
    sample.member.memberId,
    sample.member.name,
    sample.member.phone,
    sample.member.email,
    sample.reason,
    'member moved out of county',
  ])
    expect(logs).not.toContain(secret);
});

test('staff find a member by name or id, one page at a time, with whom each row is about', async () => {
  const member = (name: string, memberId: string, dateOfBirth: string) => ({
    ...sample,
    member: { ...sample.member, name, memberId, dateOfBirth },
  });
  const ids: string[] = [];
  for (const m of [
    member('Ana María Ortega', 'M-200001', '1990-05-01'),
    member('Ana Ortega-Ruiz', 'M-200002', '1975-11-30'),
    member('Luis Ortega', 'M-200003', '2001-01-15'),
  ]) {
    const started = await intake.call('POST', '/api/transfers', m);
    expect(started.status).toBe(201);
    ids.push(started.json.referralId);
  }
  type Row = { referralId: string; member: { name: string; memberId: string; dateOfBirth: string } | null };
  const find = async (query: string) => {
    const r = await intake.call('GET', `/api/transfers?${query}`);
    expect(r.status).toBe(200);
    return r.json as { transfers: Row[]; nextPageToken: string | null };
  };
  // Every word of the name, any case and order; or the member id exactly.
  const anas = await eventually('both Anas in the list', async () => {
    const found = await find('member=ortega%20ANA');
    return found.transfers.length === 2 ? found : undefined;
  });
  expect(anas.transfers.map((r) => r.referralId).sort()).toEqual([ids[0], ids[1]].sort());
  expect(anas.transfers.find((r) => r.referralId === ids[0])!.member).toEqual({
    name: 'Ana María Ortega',
    memberId: 'M-200001',
    dateOfBirth: '1990-05-01',
  });
  expect((await find('member=M-200003')).transfers.map((r) => r.referralId)).toEqual([ids[2]]);
  expect((await find('member=nobody%20here')).transfers).toEqual([]);
  // `%` is a letter to the search, not a wildcard.
  expect((await find('member=%25')).transfers).toEqual([]);

  // One page at a time: the pages together hold each Ortega once.
  const seen: string[] = [];
  let token: string | null = null;
  do {
    const pageOf: { transfers: Row[]; nextPageToken: string | null } = await find(
      `member=ortega&pageSize=1${token ? `&pageToken=${token}` : ''}`,
    );
    expect(pageOf.transfers.length).toBeLessThanOrEqual(1);
    seen.push(...pageOf.transfers.map((r) => r.referralId));
    token = pageOf.nextPageToken;
  } while (token);
  expect(seen.sort()).toEqual([...ids].sort());
  const forged = await intake.call('GET', '/api/transfers?pageToken=bm90LWEtdG9rZW4');
  expect(forged.status).toBe(400);
  expect(forged.json.problems).toEqual([
    { field: 'pageToken', message: 'not a page of this list; start from the first' },
  ]);

  // The staff page shows the name and date of birth; the partner's page never does.
  const html = await fetch(`${stack.url}/transfers?member=Luis+Ortega`, { headers: { cookie: intake.cookie } }).then(
    (p) => p.text(),
  );
  expect(html).toContain(`href="/transfers/${ids[2]}"`);
  expect(html).toContain('Luis Ortega');
  expect(html).toContain('born 2001-01-15');
  expect(html).not.toContain(`href="/transfers/${ids[0]}"`);
  for (const id of ids)
    expect((await manager.call('POST', `/api/transfers/${id}/withdraw`, { reason: 'test done' })).status).toBe(200);
});
