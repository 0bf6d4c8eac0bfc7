/** Seed 003 I.3: the initial screening of a new member within 90 calendar days, trying again when contact fails. */
import { DateTime } from 'luxon';
import { advanceTo, advanceToNext, clockRequest, ZONE } from '../../support/clock-requests';
import { CASE_MANAGER, useTransferHarness } from '../../support/transfer-harness';

const h = useTransferHarness();
const MINUTE = 60_000;

/** 08:00 on the first weekday after `t`'s day: when a late-evening escalation goes out. */
function nextBusinessMorning(t: DateTime): DateTime {
  let day = t.plus({ days: 1 }).set({ hour: 8, minute: 0, second: 0, millisecond: 0 });
  while (day.weekday > 5) day = day.plus({ days: 1 });
  return day;
}

/** The same wall-clock time `n` business days (Mon–Fri, minus holidays) after `from`, computed here independently. */
function plusBusinessDays(from: DateTime, n: number, holidays: string[] = []): DateTime {
  let t = from;
  for (let counted = 0; counted < n;) {
    t = t.plus({ days: 1 });
    if (t.weekday <= 5 && !holidays.includes(t.toISODate()!)) counted++;
  }
  return t;
}

const HEALTH_WORDS =
  /screen|sud|substance|treatment|alcohol|drug|mental|health|residential|asam|diagnos|medica|recovery|clinic|detox|therapy|counsel/i;

test('the screening is due at the end of the 90th calendar day after enrollment, in county time', async () => {
  const clock = await h.startClock(clockRequest('initial-screening', { enrolledOn: '2026-12-01' }));
  const s = await h.waitForClock(clock, (x) => x.stage === 'screen-new-member' && x.stageDeadline !== null);
  // 2026-12-01 + 90 calendar days = 2027-03-01; its last millisecond in Los Angeles (PST, UTC-8).
  expect(s.dueAt).toBe('2027-03-02T07:59:59.999Z');
  expect(s.stageDeadline).toBe('2027-03-02T07:59:59.999Z');
  expect(DateTime.fromISO(s.dueAt, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm:ss.SSS')).toBe('2027-03-01 23:59:59.999');
  expect(s.waitingOn).toBe('case-manager');
  expect(s.attempts).toBe(1);
  expect(s.failedAttempts).toBe(0);
  // Let the first attempt's sends finish: terminating a clock with an activity in flight leaves
  // the test server's time-skipping lock held, and later tests would then sleep in real time.
  await h.settle(clock);
});

test('failed contacts are tried again 2, 5, 10 and again 10 business days later, skipping a holiday; members hear nothing about health', async () => {
  const wednesday = DateTime.fromJSDate(await advanceToNext(h, 3, 10), { zone: ZONE });
  const holiday = wednesday.plus({ days: 1 }).toISODate()!; // Thursday
  const holidays = [holiday];
  const clock = await h.startClock(clockRequest('initial-screening', { enrolledOn: wednesday.toISODate()! }), {
    calendar: { timeZone: ZONE, holidays },
  });
  await h.waitForClock(clock, (x) => x.attempts === 1);
  await h.settle(clock);

  const clockId = (await h.clockState(clock)).clockId;
  const attemptMessages = async (n: number) =>
    (await h.outbox()).filter((m) => m.referralId === clockId && m.key.endsWith(`/attempt-${n}`));

  // Attempt 1 at the start: a task for the case manager and a neutral message to the member.
  const first = await attemptMessages(1);
  expect(first.map((m) => m.audience).sort()).toEqual(['case-manager', 'member']);
  const task = first.find((m) => m.audience === 'case-manager')!;
  expect(task.channel).toBe('task');
  expect(task.text).toContain('contact attempt 1');
  const toMember = first.find((m) => m.audience === 'member')!;
  expect(toMember.kind).toBe('contact-request');
  expect(['sms', 'email']).toContain(toMember.channel);
  expect(toMember.text).toContain('North County Care Team');
  expect(toMember.text).toContain('+17075550100');
  expect(toMember.text).not.toMatch(HEALTH_WORDS);
  expect(toMember.subject ?? '').not.toMatch(HEALTH_WORDS);
  expect(toMember.text).not.toContain(clockId);

  /** Staff record a failed contact; the clock drafts its note before time moves on. */
  const contactFails = async (method: 'phone' | 'text') => {
    const state = await h.sendClock(clock, { type: 'contact-failed', actor: CASE_MANAGER, method });
    await h.settle(clock);
    return state;
  };

  // Wednesday 10:30: the first contact fails. Thursday is a holiday: attempt 2 is Monday 10:30.
  await advanceTo(h, wednesday.plus({ minutes: 30 }).toJSDate());
  let s = await h.sendClock(clock, { type: 'contact-failed', actor: CASE_MANAGER, method: 'phone' });
  expect(s.failedAttempts).toBe(1);
  let failedAt = DateTime.fromISO(s.lastFailedAt!, { zone: ZONE });
  let expected = plusBusinessDays(failedAt, 2, holidays);
  expect(expected.toFormat('ccc')).toBe('Mon');

  const expectAttemptAt = async (n: number, at: DateTime) => {
    await advanceTo(h, at.minus({ minutes: 1 }).toJSDate());
    await h.settle(clock);
    expect((await h.clockState(clock)).attempts).toBe(n - 1);
    expect(await attemptMessages(n)).toEqual([]);
    await advanceTo(h, at.plus({ minutes: 1 }).toJSDate());
    const state = await h.waitForClock(clock, (x) => x.attempts === n, `attempt ${n}`);
    await h.settle(clock);
    const messages = await attemptMessages(n);
    expect(messages.map((m) => m.audience).sort()).toEqual(['case-manager', 'member']);
    for (const m of messages) {
      expect(new Date(m.dueAt).getTime()).toBeGreaterThanOrEqual(at.toMillis());
      expect(new Date(m.dueAt).getTime()).toBeLessThan(at.toMillis() + MINUTE);
    }
    expect(messages.find((m) => m.audience === 'member')!.text).not.toMatch(HEALTH_WORDS);
    return state;
  };

  s = await expectAttemptAt(2, expected);
  expect(s.failedAttempts).toBe(1);

  // Fails again: attempt 3 five business days later.
  await advanceTo(h, expected.plus({ minutes: 30 }).toJSDate());
  s = await contactFails('phone');
  failedAt = DateTime.fromISO(s.lastFailedAt!, { zone: ZONE });
  expected = plusBusinessDays(failedAt, 5, holidays);
  s = await expectAttemptAt(3, expected);
  expect(s.failedAttempts).toBe(2);

  // Again: ten business days.
  await advanceTo(h, expected.plus({ minutes: 30 }).toJSDate());
  s = await contactFails('text');
  failedAt = DateTime.fromISO(s.lastFailedAt!, { zone: ZONE });
  expected = plusBusinessDays(failedAt, 10, holidays);
  s = await expectAttemptAt(4, expected);
  expect(s.failedAttempts).toBe(3);

  // The last gap repeats: ten business days again.
  await advanceTo(h, expected.plus({ minutes: 30 }).toJSDate());
  s = await contactFails('phone');
  failedAt = DateTime.fromISO(s.lastFailedAt!, { zone: ZONE });
  expected = plusBusinessDays(failedAt, 10, holidays);
  s = await expectAttemptAt(5, expected);
  expect(s.attempts).toBe(5);
  expect(s.failedAttempts).toBe(4);
  expect(s.stage).toBe('screen-new-member');

  // Each failed contact is a coordination action with its own draft.
  await h.settle(clock);
  const notes = (await h.notes()).filter((n) => n.subjectId === clockId);
  expect(notes.map((n) => n.action)).toEqual(Array(4).fill('screening contact attempt failed'));
});

test('a completed screening ends the clock on time and records the result', async () => {
  const monday = DateTime.fromJSDate(await advanceToNext(h, 1, 10), { zone: ZONE });
  const clock = await h.startClock(
    clockRequest('initial-screening', { enrolledOn: monday.minus({ days: 10 }).toISODate()! }),
  );
  await h.waitForClock(clock, (x) => x.attempts === 1);
  await h.sendClock(clock, { type: 'contact-failed', actor: CASE_MANAGER, method: 'phone' });
  await advanceTo(h, monday.plus({ hours: 3 }).toJSDate());
  const s = await h.sendClock(clock, { type: 'screening-completed', actor: CASE_MANAGER, result: 'screened' });
  expect(s.screeningResult).toBe('screened');
  const final = await h.waitForClock(clock, (x) => x.stage === 'done');
  expect(final.outcome).toBe('completed');
  expect(final.metOnTime).toBe(true);
  expect(final.screeningResult).toBe('screened');
  expect(final.waitingOn).toBe('none');
  expect((await clock.describe()).status.name).toBe('COMPLETED');
  // No further attempt after the screening: the retry loop stopped with the clock.
  expect(final.attempts).toBe(1);
  const clockNotes = (await h.notes()).filter((n) => n.subjectId === final.clockId);
  expect(clockNotes.map((n) => n.action)).toEqual(['screening contact attempt failed', 'initial screening screened']);
  await expect(h.sendClock(clock, { type: 'contact-failed', actor: CASE_MANAGER, method: 'phone' })).rejects.toThrow();
});

test('without a screening by the 90th day, the clinic director hears one business day after the deadline', async () => {
  const monday = DateTime.fromJSDate(await advanceToNext(h, 1, 10), { zone: ZONE });
  // Enrolled 88 days before Monday: due at the end of Wednesday.
  const enrolledOn = monday.minus({ days: 88 }).toISODate()!;
  const clock = await h.startClock(clockRequest('initial-screening', { enrolledOn }));
  const started = await h.waitForClock(clock, (x) => x.stageDeadline !== null);
  const due = DateTime.fromISO(enrolledOn, { zone: ZONE }).plus({ days: 90 }).endOf('day');
  expect(due.toFormat('ccc')).toBe('Wed');
  expect(started.dueAt).toBe(due.toUTC().toISO());
  const clockId = started.clockId;
  const toDirector = async () =>
    (await h.outbox()).filter((m) => m.referralId === clockId && m.audience === 'clinic-director');

  // Deadline + 1 business day is Thursday 23:59:59.999; the director is written to when the county opens, Friday 08:00.
  const directorAt = nextBusinessMorning(plusBusinessDays(due, 1));
  expect(directorAt.toFormat('ccc HH:mm')).toBe('Fri 08:00');
  await advanceTo(h, directorAt.minus({ minutes: 2 }).toJSDate());
  await h.settle(clock);
  let s = await h.clockState(clock);
  expect(s.stageEscalations.map((e) => e.kind)).toEqual(['reminder', 'reminder']);
  expect(await toDirector()).toEqual([]);

  await advanceTo(h, directorAt.plus({ minutes: 1 }).toJSDate());
  s = await h.waitForClock(clock, (x) => x.escalationLevel === 2, 'the clinic director escalation');
  await h.settle(clock);
  const escalations = await toDirector();
  expect(escalations).toHaveLength(1);
  expect(escalations[0]!.subject).toContain(`New member screening ${clockId}`);
  expect(escalations[0]!.to).toBe('dwhitfield@county.example.org');
  expect(s.stage).toBe('screen-new-member');
  expect(s.metAt).toBeUndefined();

  // Level 3 (deadline + 3 business days, at the next opening) stays in the county: the program
  // manager, not a contract monitor; no contract covers an internal clock.
  await advanceTo(h, nextBusinessMorning(plusBusinessDays(due, 3)).plus({ minutes: 1 }).toJSDate());
  await h.waitForClock(clock, (x) => x.escalationLevel === 3, 'the level 3 escalation');
  await h.settle(clock);
  const toProgramManager = (await h.outbox()).filter(
    (m) => m.referralId === clockId && m.audience === 'program-manager',
  );
  expect(toProgramManager.map((m) => [m.to, m.subject])).toEqual([
    ['areyes@county.example.org', expect.stringContaining('level 3')],
  ]);
  expect((await h.outbox()).filter((m) => m.referralId === clockId && m.audience === 'contract-monitor')).toEqual([]);

  // Screened late: the clock ends completed-late.
  await h.sendClock(clock, { type: 'screening-completed', actor: CASE_MANAGER, result: 'declined' });
  const final = await h.waitForClock(clock, (x) => x.stage === 'done');
  expect(final.outcome).toBe('completed-late');
  expect(final.metOnTime).toBe(false);
  expect(final.screeningResult).toBe('declined');
});

test('an attempt late at night tasks staff at once but texts the member only when quiet hours end', async () => {
  const night = DateTime.fromJSDate(await advanceToNext(h, 2, 22, 30), { zone: ZONE }); // Tuesday 22:30
  const clock = await h.startClock(clockRequest('initial-screening', { enrolledOn: night.toISODate()! }));
  const clockId = clock.workflowId.replace(/^clock-/, '');
  await h.waitForClock(clock, (x) => x.attempts === 1);
  await h.settle(clock);
  const sent = async () => (await h.outbox()).filter((m) => m.referralId === clockId);
  expect((await sent()).map((m) => m.audience)).toEqual(['case-manager']);

  const morning = night.plus({ days: 1 }).set({ hour: 8, minute: 0 }); // quiet hours end at 08:00
  await advanceTo(h, morning.minus({ minutes: 1 }).toJSDate());
  await h.settle(clock);
  expect((await sent()).filter((m) => m.audience === 'member')).toEqual([]);
  await advanceTo(h, morning.plus({ minutes: 1 }).toJSDate());
  await h.settle(clock);
  const toMember = (await sent()).filter((m) => m.audience === 'member');
  expect(toMember).toHaveLength(1);
  const late = new Date(toMember[0]!.dueAt).getTime() - morning.toMillis();
  expect(late).toBeGreaterThanOrEqual(0);
  expect(late).toBeLessThan(MINUTE);
});
