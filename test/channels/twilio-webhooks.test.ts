/** Twilio's webhooks: signatures, keywords, C reaching the transfer, status callbacks. */
import { Writable } from 'node:stream';
import pino from 'pino';
import twilio from 'twilio';
import { handleIncomingSms, handleStatusCallback, SMS_WEBHOOK_PATH, STATUS_WEBHOOK_PATH, type TwilioWebhookDeps } from '../../client/webhooks/twilio-webhooks';
import type { TransitionEvent } from '../../domain/events';
import { MemberContacts } from '../../infra/app-db/member-contacts';
import { openAppDb, type AppDb } from '../../infra/app-db/open-app-db';
import { SmsStatuses } from '../../infra/app-db/sms-statuses';
import { directory } from '../support/channel-activities';

const TOKEN = 'twilio-test-auth-token-0123456789';
const BASE = 'https://referrals.county.example.org';
const PHONE = '+17075550987';
const sid = (n: number) => `SM${String(n).padStart(32, '0')}`;
const T0 = new Date('2026-11-30T18:00:00Z');

let db: AppDb;
let contacts: MemberContacts;
let statuses: SmsStatuses;
let signals: { workflowId: string; event: TransitionEvent }[];
let logs: string;
let deps: TwilioWebhookDeps;

beforeAll(async () => {
  db = await openAppDb({ kind: 'memory' });
  contacts = new MemberContacts(db);
  statuses = new SmsStatuses(db);
});
afterAll(() => db.destroy());
beforeEach(() => {
  signals = [];
  logs = '';
  const sink = new Writable({ write: (chunk, _enc, done) => ((logs += String(chunk)), done()) });
  deps = {
    authToken: TOKEN, publicBaseUrl: BASE, contacts, statuses, directory,
    signal: async (workflowId, event) => void signals.push({ workflowId, event }),
    logger: pino({ level: 'info' }, sink),
    clock: () => T0,
  };
});

/** A request as Twilio would send it: every parameter signed with the account's token. */
function signed(pathAndQuery: string, params: Record<string, string>) {
  return { params, pathAndQuery, headers: { 'x-twilio-signature': twilio.getExpectedTwilioSignature(TOKEN, `${BASE}${pathAndQuery}`, params) } };
}
const sms = (body: string, n = 1, from = PHONE) => signed(SMS_WEBHOOK_PATH, { MessageSid: sid(n), AccountSid: `AC${'0'.repeat(32)}`, From: from, To: '+17075550199', Body: body });

describe('signature validation', () => {
  test('a validly signed request is accepted', async () => {
    expect((await handleIncomingSms(sms('hello'), deps)).status).toBe(200);
  });
  test('a tampered parameter, a missing signature, or a signature for another URL is rejected', async () => {
    const tampered = sms('hello');
    tampered.params.Body = 'STOP';
    expect((await handleIncomingSms(tampered, deps)).status).toBe(403);
    expect((await handleIncomingSms({ ...sms('hello'), headers: {} }, deps)).status).toBe(403);
    const elsewhere = { ...sms('hello'), headers: { 'x-twilio-signature': twilio.getExpectedTwilioSignature(TOKEN, `https://attacker.example.com${SMS_WEBHOOK_PATH}`, sms('hello').params) } };
    expect((await handleIncomingSms(elsewhere, deps)).status).toBe(403);
    expect(await contacts.isOptedOut(PHONE)).toBe(false);
  });
  test('a signed request with an invalid field is refused naming the field', async () => {
    const bad = signed(SMS_WEBHOOK_PATH, { MessageSid: sid(1), From: '707-555-0987', Body: 'C' });
    expect(await handleIncomingSms(bad, deps)).toMatchObject({ status: 400, body: expect.stringMatching(/^From: expected a phone number/) });
  });
});

describe('keywords', () => {
  test.each(['STOP', 'stopall', 'Unsubscribe', 'CANCEL', 'end', 'QUIT'])('%s opts out, and START / YES / UNSTOP opt back in', async (keyword) => {
    await handleIncomingSms(sms(keyword), deps);
    expect(await contacts.isOptedOut(PHONE)).toBe(true);
    for (const optIn of ['START', 'yes', 'UNSTOP']) {
      await handleIncomingSms(sms(keyword), deps);
      await handleIncomingSms(sms(optIn), deps);
      expect(await contacts.isOptedOut(PHONE)).toBe(false);
    }
  });

  test('HELP and INFO get the program name and its help number, nothing about care', async () => {
    await contacts.rememberReminder(PHONE, { referralId: 'R-7K3M9Q2XWD', memberId: 'M-100234', programId: 'santa-rosa-mh-clinic' }, T0);
    for (const word of ['HELP', 'info']) {
      const reply = await handleIncomingSms(sms(word), deps);
      expect(reply.body).toContain('<Message>Santa Rosa Care Team: for help call +17075550200.');
      expect(reply.body).not.toMatch(/mental health/i);
    }
  });

  test('C confirms: the transfer the number was last reminded about gets the event as a signal', async () => {
    await contacts.rememberReminder(PHONE, { referralId: 'R-7K3M9Q2XWD', memberId: 'M-100234', programId: 'north-county-residential' }, T0);
    const reply = await handleIncomingSms(sms(' c '), deps);
    expect(reply.status).toBe(200);
    expect(signals).toEqual([{ workflowId: 'transition-R-7K3M9Q2XWD', event: { type: 'appointment-confirmed-by-member', actor: { role: 'member', id: 'M-100234' }, sentAt: T0.toISOString() } }]);
  });

  test('C from a number with no transfer on record signals nothing', async () => {
    await handleIncomingSms(sms('C', 2, '+14155550100'), deps);
    expect(signals).toEqual([]);
  });

  test('logs carry ids, never the phone number or the message', async () => {
    await handleIncomingSms(sms('my new address is 12 Elm St'), deps);
    await handleIncomingSms(sms('STOP'), deps);
    expect(logs).toContain(sid(1));
    expect(logs).not.toContain(PHONE);
    expect(logs).not.toContain('Elm');
  });
});

describe('status callbacks', () => {
  const status = (n: number, s: string, extra: Record<string, string> = {}) => signed(STATUS_WEBHOOK_PATH, { MessageSid: sid(n), MessageStatus: s, AccountSid: `AC${'0'.repeat(32)}`, To: PHONE, ...extra });

  test('duplicates make one record, and a late earlier status does not move a final one back', async () => {
    for (const s of ['sent', 'delivered', 'delivered', 'sent']) expect((await handleStatusCallback(status(10, s), deps)).status).toBe(204);
    expect(await statuses.events(sid(10))).toHaveLength(2);
    expect((await statuses.current(sid(10)))?.status).toBe('delivered');
  });

  test('an unsigned callback is rejected and not recorded', async () => {
    expect((await handleStatusCallback({ ...status(11, 'failed'), headers: {} }, deps)).status).toBe(403);
    expect(await statuses.events(sid(11))).toEqual([]);
  });

  test('a 21610 failure records the opt-out', async () => {
    await contacts.setOptOut(PHONE, false, 'START', T0);
    await handleStatusCallback(status(12, 'failed', { ErrorCode: '21610' }), deps);
    expect(await contacts.isOptedOut(PHONE)).toBe(true);
  });
});
