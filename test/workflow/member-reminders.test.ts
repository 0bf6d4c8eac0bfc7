/**
 * Member reminders in a running transfer: the frequency cap (1 a day by default) applied on
 * workflow time, and a C reply by SMS reaching the transfer through the Twilio webhook.
 */
import pino from 'pino';
import twilio from 'twilio';
import { DateTime } from 'luxon';
import { temporalSignaller } from '../../client/webhooks/temporal-signaller';
import { handleIncomingSms, SMS_WEBHOOK_PATH } from '../../client/webhooks/twilio-webhooks';
import { MemberContacts } from '../../infra/app-db/member-contacts';
import { openTestDb } from '../support/app-db';
import { SmsStatuses } from '../../infra/app-db/sms-statuses';
import { directory } from '../support/channel-activities';
import { driveTo } from '../support/drive';
import { CASE_MANAGER, partner, sampleRequest, useTransferHarness } from '../support/transfer-harness';

const HOUR = 3_600_000;
const LA = 'America/Los_Angeles';
const h = useTransferHarness();

test('an appointment later the same day gets one reminder: the second would exceed 1 a day', async () => {
  // Start on a weekday morning in the member's zone, so both reminder times fall in the same day.
  const now = DateTime.fromJSDate(await h.now(), { zone: LA });
  let morning = now.set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
  while (morning <= now || morning.weekday > 5) morning = morning.plus({ days: 1 });
  await h.advance(morning.toMillis() - now.toMillis());

  // No consent needed (no Part 2, a provider in the plan on the shared EHR): no consent request counts against today's cap.
  const handle = await h.start(sampleRequest({ partTwo: false }));
  const state = await driveTo(h, handle, 'confirm-scheduled');
  expect((await h.outbox()).filter((m) => m.referralId === state.referralId && m.audience === 'member')).toEqual([]);
  const at = DateTime.fromJSDate(await h.now(), { zone: LA });
  expect(at.hour).toBeLessThan(14); // the drive took no workflow time worth speaking of
  const appointmentAt = new Date(at.toMillis() + 5 * HOUR);
  await h.send(handle, {
    type: 'appointment-scheduled',
    actor: partner('bayside-outpatient'),
    appointmentAt: appointmentAt.toISOString(),
  });
  await h.waitFor(handle, (s) => s.stage === 'warm-handoff');
  // Past the 2-hours-before time: the capped reminder would have gone by now.
  await h.advance(appointmentAt.getTime() - HOUR - (await h.now()).getTime());
  const final = await h.waitFor(
    handle,
    (s) => s.timeline.some((t) => t.kind === 'note' && /reminder 2 not sent/.test(t.text)),
    'the capped reminder note',
  );
  const reminders = (await h.outbox()).filter(
    (m) => m.referralId === state.referralId && m.kind === 'appointment-reminder',
  );
  expect(reminders).toHaveLength(1);
  expect(final.timeline.filter((t) => t.kind === 'note').map((t) => (t as { text: string }).text)).toContain(
    "appointment reminder 2 not sent: the member's reminder cap is reached",
  );
});

test('a C reply to a reminder confirms the appointment in the transfer', async () => {
  const handle = await h.start(sampleRequest());
  const state = await driveTo(h, handle, 'warm-handoff');
  const { db, drop } = await openTestDb();
  try {
    const contacts = new MemberContacts(db);
    // What the SMS channel records when it sends the reminder.
    await contacts.rememberReminder(
      '+17075550987',
      {
        referralId: state.referralId,
        memberId: 'M-100234',
        programId: 'north-county-residential',
        language: 'en',
        caseManagerId: 'cm-alvarez',
      },
      new Date(),
    );
    const token = 'twilio-test-auth-token-0123456789';
    const base = 'https://referrals.county.example.org';
    const params = { MessageSid: `SM${'1'.repeat(32)}`, From: '+17075550987', To: '+17075550199', Body: 'C' };
    const reply = await handleIncomingSms(
      {
        params,
        pathAndQuery: SMS_WEBHOOK_PATH,
        headers: {
          'x-twilio-signature': twilio.getExpectedTwilioSignature(token, `${base}${SMS_WEBHOOK_PATH}`, params),
        },
      },
      {
        authToken: token,
        publicBaseUrl: base,
        contacts,
        statuses: new SmsStatuses(db),
        directory,
        signal: temporalSignaller(h.client),
        logger: pino({ level: 'silent' }),
        isOpen: async (id) => (await h.client.workflow.getHandle(id).describe()).status.name === 'RUNNING',
        tellCaseManager: async () => {
          throw new Error('one open transfer: no task expected');
        },
      },
    );
    expect(reply.status).toBe(200);
    const confirmed = await h.waitFor(
      handle,
      (s) => s.appointment?.memberConfirmedAt !== undefined,
      'the member confirmation',
    );
    expect(confirmed.timeline.some((t) => t.kind === 'ignored-event')).toBe(false);
  } finally {
    await drop();
  }
});

test('a consent request asked at night: the case manager is told at once, the member texted when quiet hours end', async () => {
  const now = DateTime.fromJSDate(await h.now(), { zone: LA });
  let night = now.set({ hour: 22, minute: 30, second: 0, millisecond: 0 });
  while (night <= now || night.weekday > 4) night = night.plus({ days: 1 });
  await h.advance(night.toMillis() - now.toMillis());

  const handle = await h.start(sampleRequest());
  await h.waitFor(handle, (s) => s.consentNeeded !== null, 'the provider lookup');
  await h.send(handle, { type: 'member-informed', actor: CASE_MANAGER, concernsAddressed: true });
  const referralId = (await h.state(handle)).referralId;
  const sent = async (audience: string) =>
    (await h.outbox()).filter((m) => m.referralId === referralId && m.audience === audience && /consent/.test(m.key));
  const until = async (what: string, ok: () => Promise<boolean>) => {
    for (const deadline = Date.now() + 15_000; !(await ok()); await new Promise((r) => setTimeout(r, 100)))
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  };
  await until('the case manager task', async () => (await sent('case-manager')).length > 0);
  expect(await sent('member')).toEqual([]);

  const morning = night.plus({ days: 1 }).set({ hour: 8, minute: 0 });
  await h.advance(morning.minus({ minutes: 1 }).toMillis() - (await h.now()).getTime());
  expect(await sent('member')).toEqual([]);
  await h.advance(2 * 60_000);
  await until('the consent request text', async () => (await sent('member')).length > 0);
  const [text] = await sent('member');
  expect(text).toMatchObject({ kind: 'consent-request', channel: 'sms' });
  const late = new Date(text!.dueAt).getTime() - morning.toMillis();
  expect(late >= 0 && late < 60_000).toBe(true);
  await h.send(handle, { type: 'withdrawn', actor: CASE_MANAGER, reason: 'test done' });
});
