/** Twilio's webhooks: signatures, keywords in the member's language, C reaching the one open transfer, tasks for case managers, status callbacks. */
import { Writable } from 'node:stream';
import pino from 'pino';
import twilio from 'twilio';
import {
  handleIncomingSms,
  handleStatusCallback,
  SMS_WEBHOOK_PATH,
  STATUS_WEBHOOK_PATH,
  type CaseManagerTask,
  type TwilioWebhookDeps,
} from '../../client/webhooks/twilio-webhooks';
import type { TransitionEvent } from '../../domain/events';
import { MemberContacts, type TransferOnRecord } from '../../infra/app-db/member-contacts';
import type { AppDb } from '../../infra/app-db/open-app-db';
import { openTestDb } from '../support/app-db';
import { SmsStatuses } from '../../infra/app-db/sms-statuses';
import { directory } from '../support/channel-activities';

const TOKEN = 'twilio-test-auth-token-0123456789';
const BASE = 'https://referrals.county.example.org';
const PHONE = '+17075550987';
const sid = (n: number) => `SM${String(n).padStart(32, '0')}`;
const T0 = new Date('2026-11-30T18:00:00Z');

let db: AppDb;
let drop: () => Promise<void>;
let open: Set<string>;
let tasks: CaseManagerTask[];
let contacts: MemberContacts;
let statuses: SmsStatuses;
let signals: { workflowId: string; event: TransitionEvent }[];
let logs: string;
let deps: TwilioWebhookDeps;

beforeAll(async () => {
  ({ db, drop } = await openTestDb());
  contacts = new MemberContacts(db);
  statuses = new SmsStatuses(db);
});
afterAll(() => drop());
beforeEach(async () => {
  await db.deleteFrom('member_phones').execute();
  signals = [];
  tasks = [];
  open = new Set();
  logs = '';
  const sink = new Writable({ write: (chunk, _enc, done) => ((logs += String(chunk)), done()) });
  deps = {
    authToken: TOKEN,
    publicBaseUrl: BASE,
    contacts,
    statuses,
    directory,
    signal: async (workflowId, event) => void signals.push({ workflowId, event }),
    isOpen: async (workflowId) => open.has(workflowId),
    tellCaseManager: async (task) => void tasks.push(task),
    logger: pino({ level: 'info' }, sink),
    clock: () => T0,
  };
});

/** A request as Twilio would send it: every parameter signed with the account's token. */
function signed(pathAndQuery: string, params: Record<string, string>) {
  return {
    params,
    pathAndQuery,
    headers: { 'x-twilio-signature': twilio.getExpectedTwilioSignature(TOKEN, `${BASE}${pathAndQuery}`, params) },
  };
}
/** The SMS channel records each transfer it texts a number about; `isOpen` says which still run. */
async function textedAbout(
  referralId: string,
  language: 'en' | 'es',
  { running = true, programId = 'north-county-residential' } = {},
): Promise<TransferOnRecord> {
  const t = { referralId, memberId: 'M-100234', programId, language, caseManagerId: 'cm-alvarez' };
  await contacts.rememberReminder(PHONE, t, T0);
  if (running) open.add(`transition-${referralId}`);
  return t;
}
const sms = (body: string, n = 1, from = PHONE) =>
  signed(SMS_WEBHOOK_PATH, {
    MessageSid: sid(n),
    AccountSid: `AC${'0'.repeat(32)}`,
    From: from,
    To: '+17075550199',
    Body: body,
  });

describe('signature validation', () => {
  test('a validly signed request is accepted', async () => {
    expect((await handleIncomingSms(sms('hello'), deps)).status).toBe(200);
  });
  test('a tampered parameter, a missing signature, or a signature for another URL is rejected', async () => {
    const tampered = sms('hello');
    tampered.params.Body = 'STOP';
    expect((await handleIncomingSms(tampered, deps)).status).toBe(403);
    expect((await handleIncomingSms({ ...sms('hello'), headers: {} }, deps)).status).toBe(403);
    const elsewhere = {
      ...sms('hello'),
      headers: {
        'x-twilio-signature': twilio.getExpectedTwilioSignature(
          TOKEN,
          `https://attacker.example.com${SMS_WEBHOOK_PATH}`,
          sms('hello').params,
        ),
      },
    };
    expect((await handleIncomingSms(elsewhere, deps)).status).toBe(403);
    expect(await contacts.isOptedOut(PHONE)).toBe(false);
  });
  test('a signed request with an invalid field is refused naming the field', async () => {
    const bad = signed(SMS_WEBHOOK_PATH, { MessageSid: sid(1), From: '707-555-0987', Body: 'C' });
    expect(await handleIncomingSms(bad, deps)).toMatchObject({
      status: 400,
      body: expect.stringMatching(/^From: expected a phone number/),
    });
  });
});

describe('keywords', () => {
  test.each(['STOP', 'stopall', 'Unsubscribe', 'CANCEL', 'end', 'QUIT'])(
    '%s opts out, and START / YES / UNSTOP opt back in',
    async (keyword) => {
      await handleIncomingSms(sms(keyword), deps);
      expect(await contacts.isOptedOut(PHONE)).toBe(true);
      for (const optIn of ['START', 'yes', 'UNSTOP']) {
        await handleIncomingSms(sms(keyword), deps);
        await handleIncomingSms(sms(optIn), deps);
        expect(await contacts.isOptedOut(PHONE)).toBe(false);
      }
    },
  );

  test("HELP and INFO get the program name and its help number in the member's language, nothing about care", async () => {
    await textedAbout('R-7K3M9Q2XWD', 'es', { programId: 'santa-rosa-mh-clinic' });
    for (const word of ['HELP', 'info']) {
      const reply = await handleIncomingSms(sms(word), deps);
      expect(reply.body).toContain('<Message>Santa Rosa Care Team: para ayuda llame al +17075550200.');
      expect(reply.body).not.toMatch(/mental health|salud mental/i);
    }
  });

  test('STOP: opted out, the Spanish confirmation, and a task for the case manager of each open transfer', async () => {
    await textedAbout('R-OPEN000001', 'es');
    await textedAbout('R-ENDED00001', 'es', { running: false });
    const reply = await handleIncomingSms(sms('STOP'), deps);
    expect(reply).toMatchObject({
      status: 200,
      body: expect.stringContaining('ya no recibirá mensajes de texto nuestros'),
    });
    expect(await contacts.isOptedOut(PHONE)).toBe(true);
    expect(tasks.map((t) => [t.key, t.transfer.referralId])).toEqual([
      [`sms-reply/${sid(1)}/R-OPEN000001`, 'R-OPEN000001'],
    ]);
    expect(tasks[0]!.text).toMatch(/no more texts from any transfer or clock/);
    const back = await handleIncomingSms(sms('START', 2), deps);
    expect(back.body).toContain('volverá a recibir nuestros mensajes');
    expect(await contacts.isOptedOut(PHONE)).toBe(false);
  });

  test.each(['C', ' c ', 'Confirmar'])(
    '%p confirms: the one open transfer for the number gets the event as a signal',
    async (word) => {
      await textedAbout('R-ENDED00001', 'en', { running: false });
      await textedAbout('R-7K3M9Q2XWD', 'en');
      const reply = await handleIncomingSms(sms(word), deps);
      expect(reply).toMatchObject({ status: 200, body: expect.stringContaining('thank you, we got your reply') });
      expect(signals).toEqual([
        {
          workflowId: 'transition-R-7K3M9Q2XWD',
          event: {
            type: 'appointment-confirmed-by-member',
            actor: { role: 'member', id: 'M-100234' },
            sentAt: T0.toISOString(),
          },
        },
      ]);
      expect(tasks).toEqual([]);
    },
  );

  test('C from a number on several open transfers: no guess, a task for each case manager', async () => {
    await textedAbout('R-AAAAAAAAAA', 'en');
    await textedAbout('R-BBBBBBBBBB', 'en');
    const reply = await handleIncomingSms(sms('C'), deps);
    expect(reply.body).toContain('will call you to confirm');
    expect(signals).toEqual([]);
    expect(tasks.map((t) => t.transfer.referralId).sort()).toEqual(['R-AAAAAAAAAA', 'R-BBBBBBBBBB']);
  });

  test('a number with no transfer on record gets a neutral answer in both languages and signals nothing', async () => {
    const reply = await handleIncomingSms(sms('C', 2, '+14155550100'), deps);
    expect(reply.body).toMatch(/could not match this number.*no encontramos este número/);
    expect(signals).toEqual([]);
    expect(tasks).toEqual([]);
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
  const status = (n: number, s: string, extra: Record<string, string> = {}) =>
    signed(STATUS_WEBHOOK_PATH, {
      MessageSid: sid(n),
      MessageStatus: s,
      AccountSid: `AC${'0'.repeat(32)}`,
      To: PHONE,
      ...extra,
    });

  test('duplicates make one record, and a late earlier status does not move a final one back', async () => {
    for (const s of ['sent', 'delivered', 'delivered', 'sent'])
      expect((await handleStatusCallback(status(10, s), deps)).status).toBe(204);
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
