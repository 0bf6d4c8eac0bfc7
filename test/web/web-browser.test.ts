/**
 * End to end in headless Chromium: an intake user signs in, starts a referral (field errors
 * first), informs the member and records consent; the partner, from the link in the delivered
 * email, acknowledges, gives an appointment seconds ahead and confirms attendance once it has
 * passed; staff arrange the handoff and close the episode; the transfer's page says `linked`.
 * Then a member found by name, the stages as a step indicator, and axe on every staff and partner
 * page. Screenshots go to test-artifacts/web/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { accessibilityProblems } from '../support/accessibility';
import { DateTime } from 'luxon';
import { PartnerLinks } from '../../activities/partner-links';
import { webKeys, webSecret, WebSettings } from '../../infra/web-settings';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/chromium';
import { clockRequest } from '../support/clock-requests';
import { ROOT } from '../support/referrals-cli';
import { eventually, PASSWORDS, StaffApi, startWebStack, type WebStack } from '../support/web-stack';

jest.setTimeout(240_000);
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'web');
const ZONE = 'America/Los_Angeles'; // config/policy.json's calendar: form times are read in it
const sample = () => JSON.parse(readFileSync(path.join(ROOT, 'fixtures', 'sample-transfer.json'), 'utf8'));

let stack: WebStack;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  stack = await startWebStack();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
const localInput = (dt: DateTime) => dt.setZone(ZONE).toFormat("yyyy-MM-dd'T'HH:mm:ss");
/** Sets a date-and-time input directly: Chromium's picker takes seconds only this way. */
const setValue = (page: Page, selector: string, value: string) =>
  page.locator(selector).evaluate((el, v) => {
    (el as unknown as { value: string }).value = v;
  }, value);

/** Submits a form and expects to land on `url`; otherwise fails with the problems the page shows. */
async function submit(page: Page, button: string, url: RegExp): Promise<void> {
  await Promise.all([page.waitForEvent('load'), page.click(button)]);
  if (!url.test(page.url()))
    throw new Error(
      `stayed on ${page.url()}: ${await page.locator('.usa-alert--error, .usa-error-message').allTextContents()}`,
    );
}

test('intake to linked: staff pages and partner links in a real browser', async () => {
  const staff = await (await browser.newContext()).newPage();
  await staff.goto(`${stack.url}/transfers/new`);
  expect(new URL(staff.url()).pathname).toBe('/sign-in');
  await staff.fill('#username', 'intake');
  await staff.fill('#password', PASSWORDS.intake);
  await staff.click('button[type=submit]');
  await staff.waitForURL(/\/transfers\/new$/);

  // Submitting without the member's name and date of birth shows errors beside those fields.
  await staff.fill('[name="member.memberId"]', 'M-100234');
  await staff.click('form[action="/transfers"] button[type=submit]');
  expect(await staff.textContent('[id="member.name-error"]')).toContain('required');
  expect(await staff.textContent('[id="member.dateOfBirth-error"]')).toBeTruthy();
  await shot(staff, '01-start-form-errors');

  await staff.fill('[name="member.name"]', 'Alex Example');
  await staff.fill('[name="member.dateOfBirth"]', '1984-03-09');
  await staff.fill('[name="member.email"]', 'member.sample@example.org');
  await staff.fill('[name="member.phone"]', '+17075550987');
  await staff.selectOption('[name="member.language"]', 'en');
  await staff.fill('[name="member.timeZone"]', ZONE);
  await staff.selectOption('[name=sendingProgramId]', 'north-county-residential');
  await staff.selectOption('[name=caseManagerId]', 'cm-alvarez');
  await staff.selectOption('[name=receivingProviderId]', 'bayside-outpatient');
  await staff.selectOption('[name=fromLevelOfCare]', 'asam-3.5');
  await staff.selectOption('[name=toLevelOfCare]', 'asam-1.0');
  await staff.selectOption('[name=urgency]', 'routine');
  await staff.check('[name=partTwo]');
  await staff.fill('#reason', 'Step down to outpatient per ASAM reassessment.');
  await staff.click('form[action="/transfers"] button[type=submit]');
  await staff.waitForURL(/\/transfers\/R-[A-Z0-9]+\?started=1$/);
  const referralId = /\/transfers\/(R-[A-Z0-9]+)/.exec(staff.url())![1]!;
  expect(await staff.getAttribute('a[href*="/workflows/"]', 'href')).toContain(
    `/namespaces/default/workflows/transition-${referralId}`,
  );
  await shot(staff, '02-transfer-started');

  // Only the actions the stage allows: no consent-free shortcuts to attendance.
  expect(await staff.locator('#action-attendance-confirmed').count()).toBe(0);
  expect(await staff.locator('#action-withdrawn').count()).toBe(0); // intake may not withdraw
  await staff.check('#action-member-informed [name=concernsAddressed]');
  await submit(staff, '#action-member-informed button[type=submit]', /done=member-informed/);

  const consent = '#action-consent-recorded';
  await staff.fill(`${consent} [name=consentId]`, 'C-browser-1');
  await staff.fill(`${consent} [name=memberId]`, 'M-100234');
  for (const box of await staff.locator(`${consent} [name=categories]`).all()) await box.check();
  await staff.fill(`${consent} [name=purpose]`, 'Referral for continuing treatment');
  await staff.fill(`${consent} [name=expirationEvent]`, 'end of treatment');
  await setValue(staff, `${consent} [name=signedAt]`, localInput(DateTime.now().minus({ minutes: 5 })));
  await staff.check(`${consent} [name=toldOfRightToRevoke]`);
  await submit(staff, `${consent} button[type=submit]`, /done=consent-recorded/);
  expect(await staff.textContent('body')).toContain('C-browser-1');
  await shot(staff, '03-consent-recorded');

  // The partner: the link from the delivered email, in a browser with no staff session.
  const mail = await eventually(
    'the packet email',
    async () => (await stack.mails()).find((m) => m.subject === `Referral packet ${referralId}`),
    60_000,
  );
  const ackUrl = /acknowledge: (\S+)/.exec(mail.text ?? '')![1]!;
  const partner = await (await browser.newContext()).newPage();
  await partner.goto(ackUrl);
  await partner.click('button[type=submit]');
  await partner.waitForSelector('#partner-done');
  await shot(partner, '04-partner-acknowledged');
  await partner.click('a.next-link[data-action=schedule]');
  const appointment = DateTime.now().plus({ seconds: 25 });
  await setValue(partner, '#appointmentAt', localInput(appointment));
  await partner.fill('#location', 'Bayside clinic, room 2');
  await partner.click('button[type=submit]');
  await partner.waitForSelector('#partner-done');
  const attendedUrl = await partner.getAttribute('a.next-link[data-action=attended]', 'href');
  await shot(partner, '05-partner-scheduled');

  // Staff arrange the warm handoff before the appointment.
  await staff.goto(`${stack.url}/transfers/${referralId}`);
  await staff.check('#action-handoff-arranged [name=introductions]');
  await submit(staff, '#action-handoff-arranged button[type=submit]', /done=handoff-arranged/);

  // Once the appointment has passed, the partner is asked to confirm attendance by email: that email
  // carries its own signed links (attended, no-show), whichever way the appointment was recorded.
  const api = await StaffApi.signIn(stack.url, 'intake');
  await eventually(
    'confirm-attendance',
    async () =>
      (await api.call('GET', `/api/transfers/${referralId}`)).json.stage === 'confirm-attendance' ? true : undefined,
    90_000,
  );
  const request = await eventually(
    'the attendance request',
    async () =>
      (await stack.mails()).find(
        (m) => /please confirm the member attended/.test(m.subject ?? '') && m.subject?.includes(referralId),
      ),
    60_000,
  );
  expect(request.text).toMatch(/no-show: http/);
  expect(request.text).not.toContain(':8233');
  const attendedFromEmail = /attended: (\S+)/.exec(request.text ?? '')![1]!;
  expect(attendedFromEmail).not.toBe(attendedUrl); // a link of its own, issued with the email
  await partner.goto(attendedFromEmail);
  await partner.click('button[type=submit]');
  await partner.waitForSelector('#partner-done');
  await shot(partner, '06-partner-attended');

  await eventually('close-episode', async () =>
    (await api.call('GET', `/api/transfers/${referralId}`)).json.stage === 'close-episode' ? true : undefined,
  );
  await staff.goto(`${stack.url}/transfers/${referralId}`);
  await staff.check('#action-episode-closed [name=dischargeSummaryCompleted]');
  await staff.check('#action-episode-closed [name=otherProvidersInformed]');
  await submit(staff, '#action-episode-closed button[type=submit]', /done=episode-closed/);
  await eventually('the linked outcome', async () => {
    await staff.reload();
    return (await staff.locator('#outcome').count()) > 0 ? true : undefined;
  });
  expect(await staff.textContent('#outcome')).toBe('linked');
  expect(await staff.textContent('#appointment')).toContain('attended');
  await shot(staff, '07-transfer-linked');

  // The used link now says so plainly.
  await partner.goto(ackUrl);
  expect(await partner.textContent('h1')).toBe('This link has already been used');
});

test('a manager sees the linked transfer on the dashboard and downloads the tracking export from the reports page', async () => {
  const manager = await (await browser.newContext({ acceptDownloads: true })).newPage();
  await manager.goto(`${stack.url}/dashboard`);
  await manager.fill('#username', 'manager');
  await manager.fill('#password', PASSWORDS.manager);
  await manager.click('button[type=submit]');
  await manager.waitForURL(/\/dashboard$/);
  // The worker's sweep (every 2 s in tests) brings the linked transfer into the reporting store.
  await eventually('the linked transfer on the dashboard', async () => {
    await manager.reload();
    return (await manager.content()).includes('100% (1 of 1)') ? true : undefined;
  });
  expect(await manager.locator('svg[role=img]').count()).toBeGreaterThanOrEqual(3);
  await shot(manager, '08-dashboard');

  const today = DateTime.now().setZone(ZONE).toISODate()!;
  await manager.click('a[href="/reports"]');
  await manager.selectOption('#name', 'tracking');
  await manager.fill('#from', today);
  await manager.fill('#to', today);
  await submit(manager, 'form[action="/reports"] button', /name=tracking/);
  const row = manager.locator('tbody tr', { hasText: 'linked' });
  expect(await row.count()).toBe(1);
  expect(await row.textContent()).toContain('bayside-outpatient');
  await shot(manager, '09-report-tracking');
  const [download] = await Promise.all([manager.waitForEvent('download'), manager.click('text=Download XLSX')]);
  expect(download.suggestedFilename()).toBe(`tracking-${today}-to-${today}.xlsx`);
});

test('a case manager finds a member by name, reads the stages and what comes next, records an event; axe finds no serious problem on any page', async () => {
  const intake = await StaffApi.signIn(stack.url, 'intake');
  const started = await intake.call('POST', '/api/transfers', {
    ...sample(),
    member: { ...sample().member, memberId: 'M-300001', name: 'Rosa Accesible Ortiz', dateOfBirth: '1979-08-21' },
  });
  expect(started.status).toBe(201);
  const referralId = started.json.referralId as string;
  const problems: Record<string, string[]> = {};
  const check = async (page: Page, name: string) => {
    problems[name] = await accessibilityProblems(page);
  };

  const staff = await (await browser.newContext()).newPage();
  await staff.goto(`${stack.url}/sign-in`);
  await check(staff, 'sign-in');
  await staff.fill('#username', 'intake');
  await staff.fill('#password', PASSWORDS.intake);
  await submit(staff, 'button[type=submit]', /\/transfers$/);
  await check(staff, 'transfers');

  // Found by name, typed as a person would: part of it, in any case.
  await staff.fill('#member', 'rosa ortiz');
  await submit(staff, 'form[role=search] button[type=submit]', /\/transfers\?/);
  await eventually('the member in the list', async () => {
    if ((await staff.locator(`a[href="/transfers/${referralId}"]`).count()) > 0) return true;
    await staff.reload();
    return undefined;
  });
  expect(await staff.textContent('#transfers')).toContain('Rosa Accesible Ortiz');
  await check(staff, 'transfers-search');
  await submit(staff, `a[href="/transfers/${referralId}"]`, new RegExp(`/transfers/${referralId}$`));

  // The eight stages as a step indicator, the current one marked; the ladder's next steps with their times.
  expect(await staff.locator('#stages .usa-step-indicator__segment').count()).toBe(8);
  expect(await staff.textContent('#stages [aria-current="step"]')).toContain('Inform member');
  expect(await staff.textContent('#member')).toContain('born 1979-08-21');
  expect(await staff.textContent('#upcoming')).toMatch(/reminder|clinic director|nothing scheduled/);
  await check(staff, 'transfer');
  await staff.check('#action-member-informed [name=concernsAddressed]');
  await submit(staff, '#action-member-informed button[type=submit]', new RegExp(`/transfers/${referralId}`));
  await eventually('the next stage', async () => {
    await staff.reload();
    return (await staff.textContent('#stages [aria-current="step"]'))?.includes('Assemble packet') ? true : undefined;
  });
  await check(staff, 'transfer-after-event');

  const clockId = (
    await intake.call(
      'POST',
      '/api/clocks',
      clockRequest('problem-list-update', { changedAt: new Date().toISOString() }),
    )
  ).json.clockId as string;
  expect(clockId).toMatch(/^C-/);
  for (const [name, url] of [
    ['clocks', '/clocks'],
    ['clock', `/clocks/${clockId}`],
    ['clock-kinds', '/clocks/new'],
    ['clock-start-form', '/clocks/new?kind=crisis-follow-up'],
    ['disclosures', '/disclosures'],
    ['disclosures-member', '/disclosures?memberId=M-300001'],
    ['start-form', '/transfers/new'],
  ]) {
    await staff.goto(`${stack.url}${url}`);
    await check(staff, name!);
  }
  await staff.click('form[action="/transfers"] button[type=submit]');
  await staff.waitForLoadState('load');
  await check(staff, 'start-form-errors');
  await staff.goto(`${stack.url}/clocks/new?kind=crisis-follow-up`);
  await staff.click('form[action="/clocks"] button[type=submit]');
  await staff.waitForLoadState('load');
  await check(staff, 'clock-start-form-errors');

  const signedInAs = async (user: 'manager' | 'admin') => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${stack.url}/sign-in`);
    await page.fill('#username', user);
    await page.fill('#password', PASSWORDS[user]);
    await submit(page, 'button[type=submit]', /\/transfers$/);
    return page;
  };
  const manager = await signedInAs('manager');
  const today = DateTime.now().setZone(ZONE).toISODate()!;
  for (const [name, url] of [
    ['dashboard', '/dashboard'],
    ['reports', '/reports'],
    ['report', `/reports?name=timeliness&from=${today}&to=${today}`],
  ]) {
    await manager.goto(`${stack.url}${url}`);
    await check(manager, name!);
  }
  const admin = await signedInAs('admin');
  await admin.goto(`${stack.url}/access`);
  await check(admin, 'access');

  // The partner's pages: the form a link opens, and its answer.
  const partner = await (await browser.newContext()).newPage();
  const key = webKeys(webSecret(WebSettings.parse({}), stack.dataDir)).partnerLink;
  await partner.goto(new PartnerLinks(key, stack.url, 1).url(referralId, sample().receivingProviderId, 'acknowledge'));
  await check(partner, 'partner-form');
  await partner.click('button[type=submit]');
  await partner.waitForLoadState('load');
  await check(partner, 'partner-answer');

  expect(problems).toEqual(Object.fromEntries(Object.keys(problems).map((k) => [k, []])));
});

test('a case manager starts a clock from its form and records its event on its page; a manager closes another', async () => {
  const staff = await (await browser.newContext()).newPage();
  await staff.goto(`${stack.url}/sign-in?next=/clocks`);
  await staff.fill('#username', 'intake');
  await staff.fill('#password', PASSWORDS.intake);
  await submit(staff, 'button[type=submit]', /\/clocks$/);
  await submit(staff, 'a[href="/clocks/new"]', /\/clocks\/new$/);
  await submit(staff, 'a[href="/clocks/new?kind=problem-list-update"]', /kind=problem-list-update/);

  // Sent without the change's time: refused, the field named, what was typed kept.
  await staff.fill('#member-memberId', 'M-300002');
  await staff.selectOption('#programId', sample().sendingProgramId);
  await staff.selectOption('#caseManagerId', sample().caseManagerId);
  await Promise.all([staff.waitForEvent('load'), staff.click('form[action="/clocks"] button[type=submit]')]);
  expect(await staff.textContent('label[for=changedAt] .usa-error-message')).toBe('required');
  expect(await staff.inputValue('#member-memberId')).toBe('M-300002');

  await setValue(staff, '#changedAt', localInput(DateTime.now().minus({ hours: 1 })));
  await submit(staff, 'form[action="/clocks"] button[type=submit]', /\/clocks\/C-[^/]+\?started=1$/);
  const clockId = new URL(staff.url()).pathname.split('/')[2]!;
  expect(await staff.textContent('h1')).toBe(`Clock ${clockId}`);
  expect(await staff.textContent('main')).toContain('Clock started.');
  // Its stage offers the one event it waits for; intake may not close a clock.
  expect(await staff.locator('form.clock-event h3').allTextContents()).toEqual(['Problem list updated']);

  await staff.fill('[name="documentation.narrative"]', 'Problem list reviewed with the member; crisis plan added.');
  await submit(staff, 'form[action$="/events/problem-list-updated"] button[type=submit]', /done=problem-list-updated/);
  await eventually('the clock to end', async () => {
    await staff.reload();
    return (await staff.textContent('#clock-outcome'))?.startsWith('completed') ? true : undefined;
  });
  expect(await staff.textContent('#clock-timeline')).toMatch(/problem-list-updated/);
  expect(await staff.locator('form.clock-event').count()).toBe(0);

  // A manager may close a clock; the reason is required, and the refusal says so beside the form.
  const intake = await StaffApi.signIn(stack.url, 'intake');
  const other = (
    await intake.call(
      'POST',
      '/api/clocks',
      clockRequest('problem-list-update', { changedAt: new Date().toISOString() }),
    )
  ).json.clockId as string;
  const manager = await (await browser.newContext()).newPage();
  await manager.goto(`${stack.url}/sign-in?next=/clocks/${other}`);
  await manager.fill('#username', 'manager');
  await manager.fill('#password', PASSWORDS.manager);
  await submit(manager, 'button[type=submit]', new RegExp(`/clocks/${other}$`));
  await Promise.all([
    manager.waitForEvent('load'),
    manager.click('form[action$="/events/clock-closed"] button[type=submit]'),
  ]);
  expect(await manager.textContent('form[action$="/events/clock-closed"]')).toMatch(
    /Please correct the fields marked\.[\s\S]*required/,
  );
  await manager.fill('form[action$="/events/clock-closed"] [name=reason]', 'Member moved out of county.');
  await submit(manager, 'form[action$="/events/clock-closed"] button[type=submit]', /done=clock-closed/);
  await eventually('the clock to close', async () => {
    await manager.reload();
    return (await manager.textContent('#clock-outcome'))?.includes('closed (Member moved out of county.)')
      ? true
      : undefined;
  });
  await shot(manager, 'clock-closed');
});
