/**
 * 200 transfers through six weeks of time-skipped silence across Thanksgiving and Christmas, started
 * at every hour of the day and night: partners never answer, half the members never sign. Nothing
 * goes to a partner outside business hours, on a weekend or on a holiday; nothing goes to a
 * member in their quiet hours; every partner email carries signed links, and those links open
 * their action page in Chromium (the web app on the same server).
 */
import type { AccountingReader } from '../../client/disclosure-accounting';
import type { ReportReader } from '../../client/reports/open-reports';
import type { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import pino from 'pino';
import { launchChromium } from '../support/chromium';
import type { ClockService } from '../../client/clock-service';
import { TransferService } from '../../client/transfer-service';
import { loadRuntimeConfig } from '../../infra/config';
import { loadDirectory } from '../../infra/config-files';
import { StaffAccounts } from '../../web/accounts';
import { buildWebApp } from '../../web/app';
import { Sessions } from '../../web/session';
import type { ApiTokenStore, StaffSessionStore } from '../../infra/app-db/staff-credentials';
import type { MemberIndex } from '../../infra/app-db/member-index';
import { testPartnerLinks } from '../support/channel-activities';
import { CASE_MANAGER, consentFor, sampleRequest, useTransferHarness } from '../support/transfer-harness';

jest.setTimeout(600_000);
const LA = 'America/Los_Angeles';
const TRANSFERS = 200;
const HOUR = 3_600_000;
const h = useTransferHarness();

/** The fourth Thursday of November. */
function thanksgiving(year: number): DateTime {
  let day = DateTime.fromObject({ year, month: 11, day: 1 }, { zone: LA });
  while (day.weekday !== 4) day = day.plus({ days: 1 });
  return day.plus({ weeks: 3 });
}

test('200 silent transfers over Thanksgiving and Christmas: partners only in business hours, members never in quiet hours, every partner email actionable', async () => {
  // Ten days before the next Thanksgiving this server's clock can still reach.
  const now = DateTime.fromJSDate(await h.now(), { zone: LA });
  let year = now.year;
  if (thanksgiving(year).minus({ days: 10 }) <= now) year++;
  const from = thanksgiving(year).minus({ days: 10 });
  const holidays = [
    thanksgiving(year),
    thanksgiving(year).plus({ days: 1 }),
    DateTime.fromObject({ year, month: 12, day: 25 }, { zone: LA }),
  ].map((d) => d.toISODate()!);
  await h.advance(from.toMillis() - now.toMillis());
  const policy = { calendar: { timeZone: LA, holidays } };

  // Starts every 5 hours for six weeks, day and night, through Christmas; staff record the steps at once, whatever the hour.
  const referrals: string[] = [];
  for (let i = 0; i < TRANSFERS; i++) {
    const handle = await h.start(sampleRequest(), policy);
    const state = await h.waitFor(handle, (s) => s.consentNeeded !== null, 'the provider lookup');
    referrals.push(state.referralId);
    await h.send(handle, { type: 'member-informed', actor: CASE_MANAGER, concernsAddressed: true });
    // Every other member signs at once, so the packet goes to a partner who never answers; the rest never sign.
    if (i % 2 === 0)
      await h.send(handle, {
        type: 'consent-recorded',
        actor: CASE_MANAGER,
        consent: consentFor([{ providerId: 'bayside-outpatient' }], { consentId: `C-month-${i}` }),
      });
    await h.advance((42 * 24 * HOUR) / TRANSFERS);
  }
  // The last ladders run out.
  await h.advance(14 * 24 * HOUR);

  const sent = (await h.outbox()).filter((m) => referrals.includes(m.referralId));
  const at = (iso: string) => DateTime.fromISO(iso, { zone: LA });
  const toPartners = sent.filter((m) => m.audience === 'partner');
  const toMembers = sent.filter((m) => m.audience === 'member');
  // Packets, reminders, for every transfer that got that far, and member texts for those that did not sign.
  expect(toPartners.filter((m) => m.kind === 'referral-packet')).toHaveLength(TRANSFERS / 2);
  expect(toPartners.filter((m) => m.kind === 'stage-reminder').length).toBe(TRANSFERS);
  expect(toMembers.length).toBeGreaterThan(TRANSFERS / 2);
  expect(sent.filter((m) => m.audience === 'contract-monitor')).toHaveLength(TRANSFERS / 2);
  expect(sent.filter((m) => m.audience === 'program-manager')).toHaveLength(TRANSFERS / 2); // the members were late, not a partner

  const outOfHours = toPartners.filter((m) => {
    const t = at(m.dueAt);
    return t.weekday > 5 || holidays.includes(t.toISODate()!) || t.hour < 8 || t.hour >= 18;
  });
  expect(outOfHours.map((m) => `${m.key} at ${at(m.dueAt).toFormat('ccc yyyy-LL-dd HH:mm')}`)).toEqual([]);
  const inQuietHours = toMembers.filter((m) => at(m.dueAt).hour >= 21 || at(m.dueAt).hour < 8);
  expect(inQuietHours.map((m) => `${m.key} at ${at(m.dueAt).toFormat('ccc HH:mm')}`)).toEqual([]);
  // The silence did span each holiday: partner mail went out in the business days just before and just after it.
  for (const holiday of holidays) {
    const day = DateTime.fromISO(holiday, { zone: LA });
    const near = (m: { dueAt: string }, side: 1 | -1) =>
      Math.sign(at(m.dueAt).diff(day, 'days').days) === side && Math.abs(at(m.dueAt).diff(day, 'days').days) < 5;
    expect({ holiday, before: toPartners.some((m) => near(m, -1)), after: toPartners.some((m) => near(m, 1)) }).toEqual(
      { holiday, before: true, after: true },
    );
  }

  // Every partner email carries links for its stage, signed for this transfer and provider.
  const links = toPartners.flatMap((m) => {
    const found = [...m.text.matchAll(/^ {2}([a-z-]+): http:\/\/web\.test\/partner\/(\S+)$/gm)].map(
      ([, action, token]) => ({ m, action: action!, token: token! }),
    );
    expect({ key: m.key, links: found.length }).toEqual({ key: m.key, links: 3 });
    return found;
  });
  for (const l of links)
    expect(testPartnerLinks.check(l.token)).toMatchObject({
      ok: true,
      claims: { referralId: l.m.referralId, providerId: 'bayside-outpatient', action: l.action },
    });

  // And they open their page in a browser: the web app over this same server, one link of each action.
  const config = loadRuntimeConfig({ LOG_LEVEL: 'warn' });
  const directory = loadDirectory(config.REFERRALS_DIRECTORY_FILE);
  const app = await buildWebApp({
    service: new TransferService({ config, directory, temporal: async () => h.client }),
    clocks: {} as ClockService,
    accountings: {} as AccountingReader,
    reports: {} as ReportReader,
    directory,
    accounts: new StaffAccounts([]),
    // Partner pages need no staff session: no store behind these.
    sessions: new Sessions({} as StaffSessionStore, {} as ApiTokenStore, 1, false),
    members: {} as MemberIndex,
    keys: { session: Buffer.alloc(32, 1), csrf: Buffer.alloc(32, 2) },
    secureCookies: false,
    partnerLinks: testPartnerLinks,
    timeZone: LA,
    temporalUiUrl: 'http://localhost:8233',
    namespace: 'default',
    logger: pino({ level: 'silent' }),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const titles: Record<string, string> = {
      acknowledge: 'Acknowledge receipt of the referral',
      schedule: 'Accept: give the appointment',
      decline: 'Decline the referral',
    };
    for (const action of Object.keys(titles)) {
      const l = links.filter((x) => x.action === action).at(-1)!;
      const response = await page.goto(`${base}/partner/${l.token}`);
      expect(response?.status()).toBe(200);
      expect(await page.textContent('h1')).toBe(titles[action]);
    }
  } finally {
    await browser.close();
    await app.close();
  }
});
