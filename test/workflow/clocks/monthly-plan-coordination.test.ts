/** Seed 003 I.2.b: coordination with the managed care plan at a minimum monthly; one run per county month. */
import { DateTime } from 'luxon';
import { addBusinessMinutes, businessMinutesBetween, withinBusinessHours } from '../../../domain/calendar';
import { Policy } from '../../../domain/policy';
import { SA } from '../../../domain/search-attributes';
import { advanceTo, advanceToNext, clockRequest, ZONE } from '../../support/clock-requests';
import { CASE_MANAGER, consentFor, useTransferHarness } from '../../support/transfer-harness';

const h = useTransferHarness();
const PLAN = 'partnership-health-plan';

/** The first instant of the month after `month` (YYYY-MM) in county time: computed here independently. */
const monthEnd = (month: string) => DateTime.fromISO(`${month}-01T00:00:00`, { zone: ZONE }).plus({ months: 1 });
const monthAfter = (month: string) => monthEnd(month).toFormat('yyyy-MM');

/** `n` business days after `from` (a start on a weekend counts from the start of the next business day). */
function plusBusinessDays(from: DateTime, n: number): DateTime {
  let t = from;
  while (t.weekday > 5) t = t.plus({ days: 1 }).startOf('day');
  for (let counted = 0; counted < n;) {
    t = t.plus({ days: 1 });
    if (t.weekday <= 5) counted++;
  }
  return t;
}

/** Starts a monthly clock for the current county month and records this month's contact at once. */
async function clockMetThisMonth() {
  const tuesday = DateTime.fromJSDate(await advanceToNext(h, 2, 10), { zone: ZONE });
  const month = tuesday.toFormat('yyyy-MM');
  const clock = await h.startClock(
    clockRequest('monthly-plan-coordination', {
      managedCarePlanId: PLAN,
      firstMonth: month,
      consents: [consentFor([{ providerId: PLAN }])],
    }),
  );
  const started = await h.waitForClock(clock, (s) => s.stage === 'coordinate-with-plan');
  await h.settle(clock);
  return { clock, month, started };
}

test('a month with a contact is recorded met, then the clock continues as new for the next month, carrying the evidence', async () => {
  const { clock, month, started } = await clockMetThisMonth();
  const due = monthEnd(month);
  expect(started.month).toBe(month);
  expect(started.stageDeadline).toBe(due.toUTC().toISO());
  expect(started.dueAt).toBe(due.toUTC().toISO());
  expect(DateTime.fromISO(started.stageDeadline!, { zone: ZONE }).toFormat('dd HH:mm:ss.SSS')).toBe('01 00:00:00.000');
  const clockId = started.clockId;
  const firstRunId = (await clock.describe()).runId;

  let s = await h.sendClock(clock, { type: 'contact-made', actor: CASE_MANAGER, with: PLAN, method: 'phone' });
  expect(s.contacts).toEqual([{ at: expect.any(String), with: PLAN, method: 'phone' }]);
  const contactAt = s.contacts[0]!.at;
  s = await h.waitForClock(clock, (x) => x.metAt !== undefined, 'the month met');
  expect(s.metOnTime).toBe(true);
  await h.settle(clock);
  // The run waits for the month's end before moving on.
  expect((await clock.describe()).runId).toBe(firstRunId);
  expect(s.notesDrafted).toBe(1);

  await advanceTo(h, due.minus({ minutes: 1 }).toJSDate());
  await h.settle(clock);
  expect((await h.clockState(clock)).month).toBe(month);
  expect((await clock.describe()).runId).toBe(firstRunId);

  await advanceTo(h, due.plus({ minutes: 1 }).toJSDate());
  const next = monthAfter(month);
  s = await h.waitForClock(clock, (x) => x.month === next, 'the next month’s run');
  await h.settle(clock);
  s = await h.clockState(clock);
  expect((await h.client.workflow.getHandle(clock.workflowId, firstRunId).describe()).status.name).toBe(
    'CONTINUED_AS_NEW',
  );
  const described = await clock.describe();
  expect(described.runId).not.toBe(firstRunId);
  expect(described.status.name).toBe('RUNNING');
  expect(s.clockId).toBe(clockId);
  expect(s.stage).toBe('coordinate-with-plan');
  expect(s.stageDeadline).toBe(monthEnd(next).toUTC().toISO());
  expect(s.dueAt).toBe(monthEnd(next).toUTC().toISO());
  expect(s.months).toEqual([{ month, met: true, contacts: [{ at: contactAt, with: PLAN, method: 'phone' }] }]);
  expect(s.contacts).toEqual([]);
  expect(s.metAt).toBeUndefined();
  expect(s.notesDrafted).toBe(1);

  // The new month's task reaches the case manager (its own send, not a duplicate of last month's).
  const requests = (await h.outbox()).filter((m) => m.referralId === clockId && m.kind === 'stage-request');
  expect(requests).toHaveLength(2);
  expect(requests.every((m) => m.audience === 'case-manager')).toBe(true);
  expect(requests.map((m) => m.text).join('\n')).toContain(`${PLAN}: coordination for ${next}`);

  s = await h.sendClock(clock, { type: 'contact-made', actor: CASE_MANAGER, with: PLAN, method: 'secure-email' });
  s = await h.waitForClock(clock, (x) => x.metOnTime === true, 'the new month met');
  await h.settle(clock);
  s = await h.clockState(clock);
  expect(s.notesDrafted).toBe(2);
  const notes = (await h.notes()).filter((n) => n.subjectId === clockId);
  expect(notes).toHaveLength(2);
  expect(new Set(notes.map((n) => n.key)).size).toBe(2);
  expect(notes.map((n) => n.action)).toEqual([
    `monthly coordination with ${PLAN}`,
    `monthly coordination with ${PLAN}`,
  ]);
});

test('a month without contact: reminders, the clinic director a business day after its end; a late contact closes it as missed and covers the new month', async () => {
  const { clock, month, started } = await clockMetThisMonth();
  const clockId = started.clockId;
  await h.sendClock(clock, { type: 'contact-made', actor: CASE_MANAGER, with: PLAN, method: 'phone' });
  await h.waitForClock(clock, (x) => x.metAt !== undefined);
  await h.settle(clock);

  // The next month passes with no contact.
  const lapsed = monthAfter(month);
  await advanceTo(h, monthEnd(month).plus({ minutes: 1 }).toJSDate());
  const lapsedRun = await h.waitForClock(clock, (x) => x.month === lapsed, 'the next month’s run');
  await h.settle(clock);
  const lapsedStart = DateTime.fromISO(lapsedRun.stageStartedAt, { zone: ZONE });
  const due = monthEnd(lapsed);
  // Half the month's business hours, and the director at the county's first opening after deadline + 1 business day.
  const cal = Policy.parse({}).calendar;
  const at = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE });
  const halfway = at(
    addBusinessMinutes(
      lapsedStart.toJSDate(),
      Math.round(businessMinutesBetween(lapsedStart.toJSDate(), due.toJSDate(), cal) / 2),
      cal,
    ),
  );
  expect(halfway.hour >= 8 && halfway.hour < 18 && halfway.weekday <= 5).toBe(true);
  const mine = async () => (await h.outbox()).filter((m) => m.referralId === clockId);

  await advanceTo(h, halfway.minus({ minutes: 1 }).toJSDate());
  await h.settle(clock);
  expect((await h.clockState(clock)).stageEscalations).toEqual([]);
  await advanceTo(h, halfway.plus({ minutes: 1 }).toJSDate());
  await h.waitForClock(clock, (x) => x.stageEscalations.length === 1, 'the first reminder');
  await h.settle(clock);

  const directorAt = at(withinBusinessHours(plusBusinessDays(due, 1).toJSDate(), cal));
  expect(directorAt.toFormat('HH:mm')).toBe('08:00');
  await advanceTo(h, directorAt.minus({ minutes: 2 }).toJSDate());
  await h.settle(clock);
  let s = await h.clockState(clock);
  expect(s.month).toBe(lapsed);
  expect(s.stageEscalations.map((e) => e.kind)).toEqual(['reminder', 'reminder']);
  expect(s.escalationLevel).toBe(1);
  const reminders = (await mine()).filter((m) => m.kind === 'stage-reminder');
  expect(reminders.map((m) => m.audience)).toEqual(['case-manager', 'case-manager']);
  expect((await mine()).filter((m) => m.audience === 'clinic-director')).toEqual([]);

  await advanceTo(h, directorAt.plus({ minutes: 1 }).toJSDate());
  s = await h.waitForClock(clock, (x) => x.escalationLevel === 2, 'the clinic director escalation');
  await h.settle(clock);
  const toDirector = (await mine()).filter((m) => m.audience === 'clinic-director');
  expect(toDirector).toHaveLength(1);
  expect(toDirector[0]!.subject).toContain(`Monthly plan coordination ${clockId}`);
  const escalatedAt = s.stageEscalations.find((e) => e.kind === 'clinic-director')!.at;
  expect(new Date(escalatedAt).getTime() - directorAt.toMillis()).toBeGreaterThanOrEqual(0);
  expect(new Date(escalatedAt).getTime() - directorAt.toMillis()).toBeLessThan(60_000);

  // A late contact, in the month after the lapsed one: the lapsed month is recorded missed, and the new run is already covered.
  await advanceTo(h, directorAt.plus({ hours: 10 }).toJSDate());
  const following = monthAfter(lapsed);
  const lapsedRunId = (await clock.describe()).runId;
  s = await h.sendClock(clock, { type: 'contact-made', actor: CASE_MANAGER, with: PLAN, method: 'video' });
  const lateAt = s.contacts.at(-1)!.at;
  expect(DateTime.fromISO(lateAt, { zone: ZONE }).toFormat('yyyy-MM')).toBe(following);
  // The lapsed run records the missed month and continues as new once it has taken the contact.
  await h.waitForRunAfter(clock, lapsedRunId);
  s = await h.waitForClock(clock, (x) => x.month === following, 'the following month’s run');
  await h.settle(clock);
  s = await h.clockState(clock);
  expect(s.months.map((m) => [m.month, m.met])).toEqual([
    [month, true],
    [lapsed, false],
  ]);
  // The lapsed month's evidence is the late contact that closed it; it also counts for the new month.
  expect(s.months[1]!.contacts).toEqual([{ at: lateAt, with: PLAN, method: 'video' }]);
  expect(s.contacts).toEqual([{ at: lateAt, with: PLAN, method: 'video' }]);
  // Already covered: no request to the case manager for the new month.
  expect((await mine()).filter((m) => m.kind === 'stage-request' && m.key.includes(`/${following}/`))).toEqual([]);
  expect(s.metAt).toBeDefined();
  expect(s.metOnTime).toBe(true);
  expect(s.dueAt).toBe(monthEnd(following).toUTC().toISO());
  expect(s.escalationLevel).toBe(0);
  expect(s.stageEscalations).toEqual([]);
  expect(s.notesDrafted).toBe(2);
  // Nothing more reaches the director for the new, covered month.
  await advanceTo(h, monthEnd(following).minus({ days: 1 }).toJSDate());
  await h.settle(clock);
  s = await h.clockState(clock);
  expect(s.month).toBe(following);
  expect(s.stageEscalations).toEqual([]);
  expect((await mine()).filter((m) => m.audience === 'clinic-director')).toHaveLength(1);
});

test('a manager closes the clock: it ends closed, and the stage attribute reads done', async () => {
  const tuesday = DateTime.fromJSDate(await advanceToNext(h, 2, 10), { zone: ZONE });
  const clock = await h.startClock(
    clockRequest('monthly-plan-coordination', {
      managedCarePlanId: PLAN,
      consents: [consentFor([{ providerId: PLAN }])],
    }),
  );
  const started = await h.waitForClock(clock, (s) => s.stage === 'coordinate-with-plan');
  expect(started.month).toBe(tuesday.toFormat('yyyy-MM'));
  await h.settle(clock);
  await h.sendClock(clock, {
    type: 'clock-closed',
    actor: { role: 'manager', id: 'mgr-lee' },
    reason: 'The member left the plan.',
  });
  const final = await h.waitForClock(clock, (s) => s.stage === 'done');
  expect(final.outcome).toBe('closed');
  expect(final.outcomeReason).toBe('The member left the plan.');
  expect(final.months).toEqual([]);
  const described = await clock.describe();
  expect(described.status.name).toBe('COMPLETED');
  expect(described.typedSearchAttributes.get(SA.ReferralStage)).toBe('done');
  expect(described.typedSearchAttributes.get(SA.Outcome)).toBe('closed');
  await expect(
    h.sendClock(clock, { type: 'contact-made', actor: CASE_MANAGER, with: PLAN, method: 'phone' }),
  ).rejects.toThrow();
});
