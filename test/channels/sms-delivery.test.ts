/**
 * Member SMS through the official Twilio client against a loopback server speaking Twilio's
 * REST API: request shape, one send per key, opt-outs (ours and Twilio's 21610) handed to the
 * case manager, and the phone-to-transfer mapping a C reply needs.
 */
import { CrashAfterSend } from '../support/app-db';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { channelActivities, expectFailedSendWithout, memberReminder } from '../support/channel-activities';
import { startTwilioLoopback, TEST_ACCOUNT_SID } from '../support/twilio-loopback';

const PHONE = '+17075550987';
let twilio: Awaited<ReturnType<typeof startTwilioLoopback>>;
const unsubscribed = new Set<string>();
const invalid = new Set<string>();
beforeAll(async () => {
  twilio = await startTwilioLoopback({ unsubscribed, invalid });
});
afterAll(() => twilio.close());
beforeEach(() => {
  twilio.requests.length = 0;
  unsubscribed.clear();
  invalid.clear();
});

/** Tasks go by email; with no SMTP configured they land in the mailbox folder as .eml files. */
function mailbox(dataDir: string): string[] {
  const dir = path.join(dataDir, 'mailbox');
  try {
    return readdirSync(dir).map((f) => readFileSync(path.join(dir, f), 'utf8'));
  } catch {
    return [];
  }
}

test('a reminder goes to Twilio once, as Twilio expects it, and the number is mapped to the transfer', async () => {
  const c = await channelActivities(twilio.env, { twilio: twilio.clientOptions });
  try {
    expect(await c.activities.sendNotice(memberReminder())).toMatchObject({ status: 'sent', channel: 'sms' });
    expect(await c.activities.sendNotice(memberReminder())).toMatchObject({ status: 'duplicate' }); // activity retry
    const [request, ...more] = twilio.messages();
    expect(more).toEqual([]);
    expect(request).toMatchObject({
      method: 'POST',
      path: `/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Messages.json`,
      authorized: true,
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(request!.form).toEqual({
      To: PHONE,
      From: '+17075550199',
      Body: expect.stringMatching(
        /^You have an appointment on Wed Dec 2 at 10:00\. Reply C to confirm, HELP for help, STOP to stop texts\.$/,
      ),
      StatusCallback: 'https://referrals.county.example.org/webhooks/twilio/status',
    });
    expect(await c.ledger.get(memberReminder().key)).toMatchObject({
      state: 'sent',
      provider_message_id: expect.stringMatching(/^SM[0-9a-f]{32}$/),
    });
    expect(await c.contacts.transfersFor(PHONE)).toEqual([
      {
        referralId: 'R-7K3M9Q2XWD',
        memberId: 'M-100234',
        programId: 'north-county-residential',
        language: 'en',
        caseManagerId: expect.any(String),
      },
    ]);
  } finally {
    await c.close();
  }
});

test('after STOP a reminder is not attempted: the case manager gets a task instead', async () => {
  const c = await channelActivities(twilio.env, { twilio: twilio.clientOptions });
  try {
    await c.contacts.setOptOut(PHONE, true, 'STOP', new Date());
    expect(await c.activities.sendNotice(memberReminder())).toMatchObject({
      status: 'handed-to-case-manager',
      channel: 'task',
    });
    expect(twilio.messages()).toEqual([]);
    const [task, ...others] = mailbox(c.dataDir);
    expect(others).toEqual([]);
    expect(task).toMatch(/^To: ralvarez@county\.example\.org/m);
    expect(task).toContain('opted out of text messages');
  } finally {
    await c.close();
  }
});

test("Twilio's 21610 is final: not retried, the opt-out is kept, and the case manager gets a task", async () => {
  const c = await channelActivities(twilio.env, { twilio: twilio.clientOptions });
  try {
    unsubscribed.add(PHONE);
    expect(await c.activities.sendNotice(memberReminder())).toMatchObject({ status: 'handed-to-case-manager' });
    expect(twilio.messages()).toHaveLength(1);
    expect(await c.contacts.isOptedOut(PHONE)).toBe(true);
    expect(mailbox(c.dataDir)).toHaveLength(1);
    // The next reminder is not even attempted.
    await c.activities.sendNotice(
      memberReminder({ key: 'R-7K3M9Q2XWD/member/appointment-reminder/2026-12-02T18:00:00.000Z-2' }),
    );
    expect(twilio.messages()).toHaveLength(1);
  } finally {
    await c.close();
  }
});

test('a crash after Twilio accepted the message does not text the member twice on retry', async () => {
  const c = await channelActivities(twilio.env, {
    twilio: twilio.clientOptions,
    ledger: (db) => new CrashAfterSend(db),
  });
  try {
    await expect(c.activities.sendNotice(memberReminder())).rejects.toThrow(/crashed/);
    expect(await c.activities.sendNotice(memberReminder())).toMatchObject({ status: 'duplicate' });
    expect(twilio.messages()).toHaveLength(1);
  } finally {
    await c.close();
  }
});

test('with no Twilio credentials, texts land in the local SMS folder a person can read', async () => {
  const c = await channelActivities({});
  try {
    expect(await c.activities.sendNotice(memberReminder())).toMatchObject({ status: 'sent', channel: 'sms' });
    const [file] = readdirSync(path.join(c.dataDir, 'sms'));
    expect(JSON.parse(readFileSync(path.join(c.dataDir, 'sms', file!), 'utf8'))).toMatchObject({
      to: PHONE,
      body: expect.stringMatching(/^You have an appointment/),
    });
  } finally {
    await c.close();
  }
});

test("Twilio's error naming the member's number reaches the ledger, Temporal and the logs without it", async () => {
  const c = await channelActivities(twilio.env, { twilio: twilio.clientOptions });
  try {
    invalid.add(PHONE);
    const err = await c.activities.sendNotice(memberReminder()).catch((e: unknown) => e as Error);
    await expectFailedSendWithout(c, memberReminder().key, err, '7075550987');
    expect(err).toMatchObject({
      message: "The 'To' number [recipient] is not a valid phone number.",
      code: 21211,
      status: 400,
    });
  } finally {
    await c.close();
  }
});
