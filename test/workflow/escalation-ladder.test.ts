import { DateTime } from 'luxon';
import { SA } from '../../domain/search-attributes';
import type { TimelineEntry } from '../../domain/state';
import { testPartnerLinks } from '../support/channel-activities';
import { driveTo } from '../support/drive';
import { CASE_MANAGER, partner, sampleRequest, useTransferHarness } from '../support/transfer-harness';

const LA = 'America/Los_Angeles';
const h = useTransferHarness();

/** Moves the server clock to the next Wednesday 10:00 in Los Angeles. */
async function toNextWednesdayMorning(): Promise<DateTime> {
  const now = DateTime.fromJSDate(await h.now(), { zone: LA });
  let wednesday = now
    .plus({ days: (3 - now.weekday + 7) % 7 || 7 })
    .set({ hour: 10, minute: 0, second: 0, millisecond: 0 });
  if (wednesday <= now) wednesday = wednesday.plus({ weeks: 1 });
  await h.advance(wednesday.toMillis() - now.toMillis());
  return wednesday;
}

const escalations = (timeline: TimelineEntry[]) =>
  timeline.flatMap((t) =>
    t.kind === 'escalation' ? [{ step: t.step, at: DateTime.fromISO(t.at, { zone: LA }).toFormat('ccc HH:mm') }] : [],
  );

test('a silent partner is reminded in business time, then the clinic director is told at deadline + 1 business day and the contract monitor at + 3, across a holiday and a weekend', async () => {
  const wednesday = await toNextWednesdayMorning();
  const thursday = wednesday.plus({ days: 1 }).toISODate()!;
  const nextMonday = wednesday.plus({ days: 5 }).toISODate()!;
  const handle = await h.start(sampleRequest({ partTwo: false }), {
    calendar: { timeZone: LA, holidays: [thursday, nextMonday] },
  });
  const sending = await driveTo(h, handle, 'send-packet');
  const sentAt = DateTime.fromISO(sending.stageStartedAt, { zone: LA });
  // 1 business day from Wednesday, with Thursday a holiday: Friday at the same time.
  expect(DateTime.fromISO(sending.stageDeadline!, { zone: LA }).toMillis()).toBe(sentAt.plus({ days: 2 }).toMillis());

  const at = async (when: DateTime) => {
    await h.advance(when.toMillis() - (await h.now()).getTime());
    return h.state(handle);
  };
  // The stage's 10 open hours are Wednesday 10:00 to 18:00 and Friday 08:00 to 10:00: half of them is Wednesday 15:00.
  expect((await at(sentAt.plus({ hours: 5, minutes: -1 }))).escalationLevel).toBe(0);
  let state = await at(sentAt.plus({ hours: 5, minutes: 1 }));
  expect(state.escalationLevel).toBe(1);
  // Tuesday, not Monday: the deadline is Friday, Monday is a holiday.
  state = await at(sentAt.plus({ days: 6, minutes: -1 }));
  expect(state.escalationLevel).toBe(1);
  state = await at(sentAt.plus({ days: 6, minutes: 1 }));
  expect(state.escalationLevel).toBe(2);
  state = await at(sentAt.plus({ days: 8, minutes: 1 }));
  expect(state.escalationLevel).toBe(3);
  expect(state.stage).toBe('send-packet');

  const expected = [{ hours: 5 }, { days: 2 }, { days: 6 }, { days: 8 }];
  expect(escalations(state.timeline)).toEqual([
    { step: 'reminder', at: sentAt.plus(expected[0]!).toFormat('ccc HH:mm') },
    { step: 'reminder', at: sentAt.plus(expected[1]!).toFormat('ccc HH:mm') },
    { step: 'clinic-director', at: sentAt.plus(expected[2]!).toFormat('ccc HH:mm') },
    { step: 'contract-monitor', at: sentAt.plus(expected[3]!).toFormat('ccc HH:mm') },
  ]);
  // To the second: the workflow clock reads the timer's task a few milliseconds after it fires.
  const lateness = state.timeline
    .filter((t) => t.kind === 'escalation')
    .map((t, i) => new Date(t.at).getTime() - sentAt.plus(expected[i]!).toMillis());
  for (const ms of lateness) expect(ms >= 0 && ms < 1000).toBe(true);

  const mine = (await h.outbox()).filter((m) => m.referralId === state.referralId);
  const partnerReminders = mine.filter((m) => m.audience === 'partner' && m.kind === 'stage-reminder');
  expect(partnerReminders.map((m) => m.to)).toEqual(['intake@bayside.example.org', 'intake@bayside.example.org']);
  // Each reminder carries the stage's own signed links, and nothing internal.
  for (const reminder of partnerReminders) {
    const links = [...reminder.text.matchAll(/^ {2}([a-z-]+): http:\/\/web\.test\/partner\/(\S+)$/gm)].map(
      ([, action, token]) => ({ action, check: testPartnerLinks.check(token!) }),
    );
    expect(links.map((l) => l.action)).toEqual(['acknowledge', 'schedule', 'decline']);
    for (const l of links)
      expect(l.check).toMatchObject({
        ok: true,
        claims: { referralId: state.referralId, providerId: 'bayside-outpatient', action: l.action },
      });
    expect(reminder.text).not.toContain('localhost:8233');
  }
  const director = mine.find((m) => m.audience === 'clinic-director')!;
  expect(director.to).toBe('dwhitfield@county.example.org');
  // The staff page first; who is late, with their contact; how long, in business days.
  expect(director.text).toContain(`Open the transfer: http://web.test/transfers/${state.referralId}`);
  expect(director.subject).toContain('waiting on Bayside Recovery Outpatient (ASAM 1.0)');
  expect(director.text).toContain(
    'Who has not answered: Bayside Recovery Outpatient (ASAM 1.0) (intake@bayside.example.org, +17075550300).',
  );
  // Wednesday 10:00 to Tuesday 10:00, with Thursday and Monday holidays: 8 + 10 + 2 open hours.
  expect(director.text).toContain('has waited 2 business days on Bayside Recovery Outpatient');
  const monitor = mine.find((m) => m.audience === 'contract-monitor')!;
  expect(monitor.to).toBe('praman@county.example.org');
  for (const m of [director, monitor]) {
    for (const secret of ['M-100234', '+17075550987', 'member.sample@example.org', sampleRequest().reason])
      expect(m.text).not.toContain(secret);
  }
  expect((await handle.describe()).typedSearchAttributes.get(SA.EscalationLevel)).toBe(3);
  // What a manager reads in the Temporal UI (current details, served by the built-in metadata query).
  const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  expect(metadata.currentDetails).toMatch(
    /^Waiting on partner to acknowledge receipt of the packet \(due .+\): reminder 1 sent, reminder 2 sent, clinic director told on \w+ \d+, contract monitor told on \w+ \d+$/,
  );

  // A response at any level moves the stage on, and the ladder starts again at 0.
  await h.send(handle, { type: 'packet-acknowledged', actor: partner('bayside-outpatient') });
  state = await h.waitFor(handle, (s) => s.stage === 'confirm-scheduled');
  expect(state.escalationLevel).toBe(0);
  await h.send(handle, { type: 'withdrawn', actor: CASE_MANAGER, reason: 'test done' });
});

test('an urgent referral must be offered an appointment within 48 clock hours, weekend or not', async () => {
  await toNextWednesdayMorning(); // a 48-hour window that runs into the weekend
  const handle = await h.start(sampleRequest({ partTwo: false, urgency: 'urgent' }));
  const state = await driveTo(h, handle, 'confirm-scheduled');
  expect(new Date(state.appointmentStandardDeadline!).getTime() - new Date(state.requestSentAt!).getTime()).toBe(
    48 * 3_600_000,
  );
  expect(state.stageDeadline).toBe(state.appointmentStandardDeadline);
  await h.send(handle, { type: 'withdrawn', actor: CASE_MANAGER, reason: 'test done' });
});
