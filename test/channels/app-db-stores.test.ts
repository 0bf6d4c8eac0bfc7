/** The app database's stores, on PostgreSQL. */
import { DbDisclosureLog } from '../../activities/disclosure-log';
import { MemberContacts } from '../../infra/app-db/member-contacts';
import type { AppDb } from '../../infra/app-db/open-app-db';
import { SendLedger } from '../../infra/app-db/send-ledger';
import { SmsStatuses } from '../../infra/app-db/sms-statuses';
import { openTestDb } from '../support/app-db';

const T0 = new Date('2026-11-20T18:00:00Z');

describe('app database', () => {
  let db: AppDb;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ db, drop } = await openTestDb());
  });
  afterAll(() => drop());

  test('the send ledger lets one attempt send, then reports the key sent; a failed attempt may be retried', async () => {
    const ledger = new SendLedger(db);
    expect(await ledger.claim('k1', 'R-1', 'email', T0)).toBe('send');
    expect(await ledger.claim('k1', 'R-1', 'email', T0)).toBe('in-doubt'); // pending: maybe sent
    await ledger.sent('k1', '<id@x>', T0);
    expect(await ledger.claim('k1', 'R-1', 'email', T0)).toBe('already-sent');

    expect(await ledger.claim('k2', 'R-1', 'sms', T0)).toBe('send');
    await ledger.failed('k2', 'connection refused', T0);
    expect(await ledger.claim('k2', 'R-1', 'sms', T0)).toBe('send');
    expect(await ledger.get('k2')).toMatchObject({ state: 'pending', attempts: 2 });
  });

  test('racing claims on one key: exactly one may send', async () => {
    const ledger = new SendLedger(db);
    const claims = await Promise.all(Array.from({ length: 5 }, () => ledger.claim('race', 'R-1', 'email', T0)));
    expect(claims.filter((c) => c === 'send')).toHaveLength(1);
  });

  test('opt-outs are kept until the member opts back in; the transfers a number was texted about are listed most recent first', async () => {
    const contacts = new MemberContacts(db);
    expect(await contacts.isOptedOut('+17075550987')).toBe(false);
    await contacts.setOptOut('+17075550987', true, 'STOP', T0);
    expect(await contacts.isOptedOut('+17075550987')).toBe(true);
    await contacts.setOptOut('+17075550987', false, 'START', T0);
    expect(await contacts.isOptedOut('+17075550987')).toBe(false);

    const on = (referralId: string, language: 'en' | 'es') => ({
      referralId,
      memberId: 'M-1',
      programId: 'p',
      language,
      caseManagerId: 'cm-1',
    });
    await contacts.rememberReminder('+17075550987', on('R-OLD', 'en'), new Date('2026-10-01T00:00:00Z'));
    await contacts.rememberReminder('+17075550987', on('R-NEW', 'es'), T0);
    expect(await contacts.transfersFor('+17075550987')).toEqual([on('R-NEW', 'es'), on('R-OLD', 'en')]);
    expect(await contacts.transfersFor('+17075550000')).toEqual([]);
  });

  test('status callbacks: duplicates make one record, and a final status never moves back', async () => {
    const statuses = new SmsStatuses(db);
    const sid = `SM${'a'.repeat(32)}`;
    expect(await statuses.record(sid, 'sent', null, T0)).toBe('recorded');
    expect(await statuses.record(sid, 'delivered', null, T0)).toBe('recorded');
    expect(await statuses.record(sid, 'delivered', null, T0)).toBe('duplicate');
    expect(await statuses.record(sid, 'queued', null, T0)).toBe('recorded'); // late, out of order
    expect(await statuses.events(sid)).toHaveLength(3);
    expect((await statuses.current(sid))?.status).toBe('delivered');
  });

  test('disclosures are recorded once per key: what, to whom, when, under which consent; and read back by member and period', async () => {
    const log = new DbDisclosureLog(db);
    const record = {
      key: 'R-1/packet',
      referralId: 'R-1',
      memberId: 'M-1',
      providerId: 'bayside-outpatient',
      recipient: 'intake@bayside.example.org',
      purpose: 'referral-packet' as const,
      categories: ['member-information', 'diagnosis'],
      consentId: 'C-1',
      disclosedAt: T0.toISOString(),
    };
    expect(await log.record(record)).toBe('recorded');
    expect(await log.record(record)).toBe('duplicate');
    expect(await log.list('R-1')).toEqual([record]);

    const later = {
      ...record,
      key: 'C-2/contact',
      referralId: 'C-2',
      disclosedAt: new Date(T0.getTime() + 86_400_000).toISOString(),
    };
    await log.record(later);
    await log.record({ ...record, key: 'R-3/packet', referralId: 'R-3', memberId: 'M-2' });
    const day = 86_400_000;
    expect(await log.forMember('M-1', new Date(T0.getTime() - day), new Date(T0.getTime() + 2 * day))).toEqual([
      record,
      later,
    ]);
    // The period's end is exclusive; another member's disclosures never appear.
    expect(await log.forMember('M-1', T0, new Date(later.disclosedAt))).toEqual([record]);
    expect((await log.forMember('M-2', T0, new Date(T0.getTime() + day))).map((d) => d.key)).toEqual(['R-3/packet']);
  });
});
