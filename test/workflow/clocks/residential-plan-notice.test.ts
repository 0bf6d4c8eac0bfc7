/** Seed 003 I.2.b.ix (1): the managed care plan hears of a residential admission or discharge within 24 hours. */
import { DateTime } from 'luxon';
import { residentialNoticeClockId } from '../../../domain/clocks/kinds';
import type { ClockState } from '../../../domain/clocks/state';
import type { TransferState } from '../../../domain/state';
import { advanceTo, advanceToNext, clockRequest, refusal, ZONE, callRefusal } from '../../support/clock-requests';
import { closeTheEpisode, driveTo } from '../../support/drive';
import { CASE_MANAGER, consentFor, partner, sampleRequest, useTransferHarness } from '../../support/transfer-harness';

const h = useTransferHarness();

/** The member as the plan knows them: what a plan notice must name. */
const PLAN_MEMBER = { planMemberId: '91234567A', name: 'Jordan Rivers', dateOfBirth: '1984-02-29' };
const member = { ...sampleRequest().member, ...PLAN_MEMBER };
/** Part 2: the member's written consent naming the plan. */
const planConsent = (planId: string) => consentFor([{ providerId: planId }], { consentId: `C-${planId}` });

/** What must never be in a message to the plan: the member's id, phone, email, and the clinical reason. */
const MEMBER_DETAILS = ['M-100234', '+17075550987', 'member.sample@example.org', sampleRequest().reason];
const show = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toFormat('ccc HH:mm');
const escalationKinds = (s: ClockState) => s.stageEscalations.map((e) => e.kind);

test('a Friday 15:00 discharge: the plan is emailed at once, due Saturday 15:00; without confirmation the director hears a business day after; plan-confirmed completes it', async () => {
  const friday = await advanceToNext(h, 5, 15);
  const clock = await h.startClock(
    clockRequest('residential-notice', {
      event: 'discharge',
      occurredAt: friday.toISOString(),
      levelOfCare: 'asam-3.5',
      managedCarePlanId: 'partnership-health-plan',
      member,
      consents: [planConsent('partnership-health-plan')],
    }),
  );
  const clockId = clock.workflowId.replace(/^clock-/, '');
  const due = DateTime.fromJSDate(friday, { zone: ZONE }).plus({ hours: 24 });

  const started = await h.waitForClock(
    clock,
    (s) => s.stage === 'notify-plan' && s.metOnTime !== undefined,
    'the notice to be sent',
  );
  // 24 clock hours, through the weekend.
  expect(started.stageDeadline).toBe(due.toUTC().toISO());
  expect(started.dueAt).toBe(due.toUTC().toISO());
  expect(show(started.stageDeadline!)).toBe('Sat 15:00');
  expect(started.waitingOn).toBe('managed-care-plan');
  // Secure email: sending the notice is the coordination the seed asks for, on time.
  expect(started.metOnTime).toBe(true);
  expect(new Date(started.metAt!).getTime() - friday.getTime()).toBeLessThan(60_000);

  const toPlan = (await h.outbox()).filter((m) => m.referralId === clockId && m.audience === 'managed-care-plan');
  expect(toPlan).toHaveLength(1);
  expect(toPlan[0]).toMatchObject({
    channel: 'email',
    kind: 'residential-discharge',
    to: 'bh-coordination@partnership.example.org',
  });
  expect(toPlan[0]!.subject + toPlan[0]!.text).toContain(clockId);
  // The plan can tell who was discharged: its own id for the member, name and date of birth,
  // with the Part 2 redisclosure notice; nothing of the county's own records beyond that.
  expect(toPlan[0]!.text).toContain(
    'Plan member id (Medi-Cal CIN): 91234567A\nName: Jordan Rivers\nDate of birth: 1984-02-29',
  );
  expect(toPlan[0]!.text).toContain('protected by federal confidentiality rules (42 CFR part 2)');
  expect(toPlan[0]!.text).toContain(
    `discharged from residential treatment on ${DateTime.fromJSDate(friday, { zone: ZONE }).toFormat("ccc LLL d 'at' HH:mm")}`,
  );
  for (const secret of MEMBER_DETAILS) {
    expect(toPlan[0]!.subject).not.toContain(secret);
    expect(toPlan[0]!.text).not.toContain(secret);
  }
  for (const id of Object.values(PLAN_MEMBER)) expect(toPlan[0]!.subject).not.toContain(id);
  // Written to the disclosure log before it went: to whom, what, under which consent.
  expect((await h.disclosures()).filter((d) => d.referralId === clockId)).toEqual([
    {
      key: toPlan[0]!.key,
      referralId: clockId,
      memberId: member.memberId, // whose records: the member's accounting of disclosures lists it
      providerId: 'partnership-health-plan',
      recipient: 'bh-coordination@partnership.example.org',
      purpose: 'residential-discharge-notice',
      categories: ['member-information'],
      consentId: 'C-partnership-health-plan',
      disclosedAt: toPlan[0]!.dueAt,
    },
  ]);
  // Nothing went to the case manager: the plan was reached directly.
  expect((await h.outbox()).filter((m) => m.referralId === clockId && m.audience === 'case-manager')).toEqual([]);

  // The plan is written to within business hours only. The span's open hours are Friday 15:00 to
  // 18:00: the first reminder at half of them, 16:30; the second, due at Friday's closing, on Monday at 08:00.
  await advanceTo(h, due.plus({ minutes: 1 }).toJSDate());
  await h.settle(clock);
  expect((await h.clockState(clock)).stageEscalations.map((e) => [e.kind, show(e.at)])).toEqual([
    ['reminder', 'Fri 16:30'],
  ]);
  const monday = due.plus({ days: 2 }).set({ hour: 8, minute: 0 });
  await advanceTo(h, monday.plus({ minutes: 1 }).toJSDate());
  await h.settle(clock);
  expect((await h.clockState(clock)).stageEscalations.map((e) => [e.kind, show(e.at)])).toEqual([
    ['reminder', 'Fri 16:30'],
    ['reminder', 'Mon 08:00'],
  ]);

  // Not at Monday 15:00 (the next business day at the deadline's time): a deadline on a Saturday
  // counts its business day from Monday morning (domain/calendar.ts addBusinessDays), so "deadline +
  // 1 business day" lapses at Tuesday 00:00, and the director is written to when the county opens.
  await advanceTo(h, monday.set({ hour: 15 }).plus({ minutes: 1 }).toJSDate());
  await h.settle(clock);
  expect((await h.outbox()).filter((m) => m.referralId === clockId && m.audience === 'clinic-director')).toEqual([]);
  expect((await h.clockState(clock)).escalationLevel).toBe(1);
  const tuesdayOpening = monday.plus({ days: 1 });
  await advanceTo(h, tuesdayOpening.minus({ minutes: 1 }).toJSDate());
  await h.settle(clock);
  expect((await h.outbox()).filter((m) => m.referralId === clockId && m.audience === 'clinic-director')).toEqual([]);
  await advanceTo(h, tuesdayOpening.plus({ minutes: 1 }).toJSDate());
  await h.settle(clock);
  const escalated = await h.clockState(clock);
  expect(escalated.escalationLevel).toBe(2);
  expect(escalationKinds(escalated)).toEqual(['reminder', 'reminder', 'clinic-director']);
  const director = (await h.outbox()).filter((m) => m.referralId === clockId && m.audience === 'clinic-director');
  expect(director).toHaveLength(1);
  expect(director[0]).toMatchObject({ to: 'dwhitfield@county.example.org', kind: 'escalation' });
  expect(new Date(director[0]!.dueAt).getTime() - tuesdayOpening.toMillis()).toBeGreaterThanOrEqual(0);
  expect(new Date(director[0]!.dueAt).getTime() - tuesdayOpening.toMillis()).toBeLessThan(60_000);
  expect(director[0]!.subject).toContain(`Residential plan notice ${clockId}`);
  for (const secret of MEMBER_DETAILS) expect(director[0]!.text).not.toContain(secret);
  expect(escalated.stage).toBe('notify-plan'); // escalation never ends the clock

  // The plan confirms: the clock ends, and on time (the notice itself went out within 24 hours).
  const confirmed = await h.sendClock(clock, {
    type: 'plan-confirmed',
    actor: partner('partnership-health-plan'),
    method: 'secure-email',
  });
  expect(confirmed.planConfirmedAt).toBeDefined();
  const final = await h.waitForClock(clock, (s) => s.stage === 'done');
  expect(final).toMatchObject({ outcome: 'completed', metOnTime: true, waitingOn: 'none', stageDeadline: null });
  expect(await clock.result()).toMatchObject({ outcome: 'completed' });
  // A note for the notice the system sent, and one for the plan's confirmation.
  const notes = (await h.notes()).filter((n) => n.subjectId === clockId);
  expect(notes.map((n) => n.action).sort()).toEqual([
    'managed care plan notice confirmed',
    'residential discharge notice to partnership-health-plan',
  ]);
  for (const n of notes)
    expect(n).toMatchObject({ status: 'Draft', serviceCode: 'Care Coordination', memberId: 'M-100234' });
});

test('a plan that takes notices by fax: no email to the plan, a case-manager task naming the fax number; the case manager records the confirmation', async () => {
  const tuesday = await advanceToNext(h, 2, 11);
  const clock = await h.startClock(
    clockRequest('residential-notice', {
      event: 'admission',
      occurredAt: tuesday.toISOString(),
      levelOfCare: 'asam-3.5',
      managedCarePlanId: 'kaiser-health-plan',
      member,
      consents: [planConsent('kaiser-health-plan')],
    }),
  );
  const clockId = clock.workflowId.replace(/^clock-/, '');
  const waiting = await h.waitForClock(
    clock,
    (s) => s.stage === 'notify-plan' && s.waitingOn === 'case-manager',
    'the task to the case manager',
  );
  expect(waiting.stageDeadline).toBe(DateTime.fromJSDate(tuesday).plus({ hours: 24 }).toUTC().toISO());
  // Not met yet: a person still has to fax the plan.
  expect(waiting.metOnTime).toBeUndefined();
  expect(waiting.metAt).toBeUndefined();

  const mine = (await h.outbox()).filter((m) => m.referralId === clockId);
  expect(mine.filter((m) => m.audience === 'managed-care-plan')).toEqual([]);
  expect(mine.filter((m) => m.channel === 'email' && m.to === 'bh-transitions@kaiser.example.org')).toEqual([]);
  const task = mine.filter((m) => m.audience === 'case-manager');
  expect(task).toHaveLength(1);
  expect(task[0]).toMatchObject({ channel: 'task', kind: 'residential-admission', to: 'ralvarez@county.example.org' });
  expect(task[0]!.text).toContain('fax');
  expect(task[0]!.text).toContain('+17075550999');
  expect(task[0]!.text).toContain('Kaiser Health Plan');
  expect((await h.notes()).filter((n) => n.subjectId === clockId)).toEqual([]); // nothing was done yet

  // Half the span later the reminder goes to the case manager, who owes the contact now.
  await advanceTo(h, DateTime.fromJSDate(tuesday).plus({ hours: 12, minutes: 1 }).toJSDate());
  await h.settle(clock);
  const reminders = (await h.outbox()).filter((m) => m.referralId === clockId && m.kind === 'stage-reminder');
  expect(reminders.map((m) => m.audience)).toEqual(['case-manager']);

  const confirmed = await h.sendClock(clock, {
    type: 'plan-confirmed',
    actor: CASE_MANAGER,
    method: 'fax',
    documentation: {
      narrative: 'Faxed the admission notice to Kaiser; the plan coordinator confirmed receipt by phone.',
    },
  });
  expect(confirmed.planConfirmedAt).toBeDefined();
  const final = await h.waitForClock(clock, (s) => s.stage === 'done');
  expect(final).toMatchObject({ outcome: 'completed', metOnTime: true });
  const notes = (await h.notes()).filter((n) => n.subjectId === clockId);
  expect(notes).toHaveLength(1);
  expect(notes[0]).toMatchObject({
    status: 'Draft',
    authorId: 'cm-alvarez',
    action: 'managed care plan notice confirmed',
    intervention: expect.stringContaining('Faxed the admission notice to Kaiser'),
  });
  expect(notes[0]!.intervention).toMatch(/^DOCUMENTATION TIME: /);
});

test('a transfer leaving residential treatment starts the discharge notice as a child clock that outlives the transfer', async () => {
  const request = sampleRequest({ managedCarePlanId: 'partnership-health-plan', member });
  expect(request.fromLevelOfCare).toBe('asam-3.5'); // residential
  const handle = await h.start(request);
  const closing = await driveTo(h, handle, 'close-episode');
  // Part 2: the member's consent naming the plan, recorded on the transfer, goes with the notice.
  await h.send(handle, {
    type: 'consent-recorded',
    actor: CASE_MANAGER,
    consent: planConsent('partnership-health-plan'),
  });
  const childId = residentialNoticeClockId(closing.referralId, 'discharge');
  expect(childId).toBe(`C-${closing.referralId.slice(2)}-discharge`);

  await closeTheEpisode(h, handle);
  const transfer: TransferState = await handle.result();
  expect(transfer.outcome).toBe('linked');
  expect(transfer.timeline.some((t) => t.kind === 'note' && t.text.includes(childId))).toBe(true);

  const child = h.clockHandle(childId);
  const state = await h.waitForClock(
    child,
    (s) => s.stage === 'notify-plan' && s.metOnTime !== undefined,
    'the child notice',
  );
  expect(state).toMatchObject({
    clockId: childId,
    kind: 'residential-notice',
    waitingOn: 'managed-care-plan',
    metOnTime: true,
  });
  expect(state.dueAt).toBe(new Date(new Date(transfer.episodeClosedAt!).getTime() + 24 * 3_600_000).toISOString());

  // One notice to the plan, from the child; the transfer sends none of its own.
  const notices = (await h.outbox()).filter(
    (m) => m.kind === 'residential-discharge' && (m.referralId === childId || m.referralId === closing.referralId),
  );
  expect(notices).toHaveLength(1);
  expect(notices[0]).toMatchObject({
    referralId: childId,
    audience: 'managed-care-plan',
    channel: 'email',
    to: 'bh-coordination@partnership.example.org',
  });
  for (const secret of MEMBER_DETAILS) expect(notices[0]!.text).not.toContain(secret);
  expect(notices[0]!.text).toContain('Plan member id (Medi-Cal CIN): 91234567A');
  // The transfer's disclosure log lists the plan notice beside the packet.
  const logged = (await h.disclosures())
    .filter((d) => d.referralId === closing.referralId)
    .map((d) => `${d.purpose} to ${d.providerId}`);
  expect(logged.sort()).toEqual([
    'discharge-summary to bayside-outpatient',
    'referral-packet to bayside-outpatient',
    'residential-discharge-notice to partnership-health-plan',
  ]);

  // The transfer closed; the child runs on (parent close policy ABANDON), still awaiting the plan.
  expect((await handle.describe()).status.name).toBe('COMPLETED');
  const described = await child.describe();
  expect(described.status.name).toBe('RUNNING');
  expect(described.type).toBe('residentialPlanNotice');
  expect(described.parentExecution?.workflowId).toBe(handle.workflowId);
  expect((await h.clockState(child)).stage).toBe('notify-plan');
  // Not completed here: once an abandoned child completes after its parent closed, the
  // time-skipping test server stops skipping time for later tests (seen with SDK 1.24 and test
  // server 1.40). Completion by plan-confirmed is covered by the tests above; afterEach terminates it.
});

test('a fax sent within 24 hours meets the deadline even when the plan confirms later; escalation waits on the confirmation', async () => {
  const monday = await advanceToNext(h, 1, 9);
  const clock = await h.startClock(
    clockRequest('residential-notice', {
      event: 'discharge',
      occurredAt: monday.toISOString(),
      levelOfCare: 'asam-3.5',
      managedCarePlanId: 'kaiser-health-plan',
      member,
      consents: [planConsent('kaiser-health-plan')],
    }),
  );
  await h.waitForClock(clock, (s) => s.waitingOn === 'case-manager');

  await advanceTo(h, DateTime.fromJSDate(monday).plus({ hours: 20 }).toJSDate());
  await h.sendClock(clock, { type: 'contact-made', actor: CASE_MANAGER, with: 'kaiser-health-plan', method: 'fax' });
  const faxed = await h.waitForClock(clock, (s) => s.metAt !== undefined, 'the fax to count as the notice');
  expect(faxed.metOnTime).toBe(true);
  expect(faxed.stage).toBe('notify-plan'); // the plan has not confirmed yet
  expect(
    await refusal(
      h.sendClock(clock, { type: 'contact-made', actor: CASE_MANAGER, with: 'partnership-health-plan', method: 'fax' }),
    ),
  ).toContain('with: partnership-health-plan is not one of kaiser-health-plan');

  // No confirmation by Tuesday 09:00 + 1 business day: the clinic director hears of it.
  await advanceTo(h, DateTime.fromJSDate(monday).plus({ days: 2, minutes: 1 }).toJSDate());
  await h.settle(clock);
  expect((await h.clockState(clock)).escalationLevel).toBe(2);
  await h.sendClock(clock, { type: 'plan-confirmed', actor: CASE_MANAGER, method: 'phone' });
  const final = await h.waitForClock(clock, (s) => s.stage === 'done');
  expect(final).toMatchObject({ outcome: 'completed', metOnTime: true });
  const clockId = clock.workflowId.replace(/^clock-/, '');
  expect((await h.notes()).filter((n) => n.subjectId === clockId).map((n) => n.action)).toEqual([
    'residential notice to kaiser-health-plan by fax',
    'managed care plan notice confirmed',
  ]);
  // The fax named the member to the plan: logged as the discharge notice, under the consent.
  expect(
    (await h.disclosures())
      .filter((d) => d.referralId === clockId)
      .map((d) => [d.providerId, d.recipient, d.purpose, d.consentId]),
  ).toEqual([
    ['kaiser-health-plan', 'Kaiser Health Plan (fax)', 'residential-discharge-notice', 'C-kaiser-health-plan'],
  ]);
});

test('Part 2 without a consent naming the plan: nothing goes to the plan; the case manager is asked for the consent, and the notice goes once it is recorded', async () => {
  const thursday = await advanceToNext(h, 4, 10);
  const clock = await h.startClock(
    clockRequest('residential-notice', {
      event: 'admission',
      occurredAt: thursday.toISOString(),
      levelOfCare: 'asam-3.5',
      managedCarePlanId: 'partnership-health-plan',
      member,
    }),
  );
  const clockId = clock.workflowId.replace(/^clock-/, '');
  const waiting = await h.waitForClock(
    clock,
    (s) => s.stage === 'notify-plan' && s.waitingOn === 'case-manager',
    'the consent task',
  );
  expect(waiting.metAt).toBeUndefined();
  await h.settle(clock);
  const mine = async () => (await h.outbox()).filter((m) => m.referralId === clockId);
  expect((await mine()).filter((m) => m.audience === 'managed-care-plan')).toEqual([]);
  const task = (await mine()).filter((m) => m.audience === 'case-manager');
  expect(task).toHaveLength(1);
  expect(task[0]!.text).toContain("record the member's signed consent naming partnership-health-plan (42 CFR Part 2)");
  for (const id of Object.values(PLAN_MEMBER)) expect(task[0]!.text).not.toContain(id);
  expect(await h.disclosures()).toEqual(expect.not.arrayContaining([expect.objectContaining({ referralId: clockId })]));

  // A call to the plan is refused too until the consent is on file.
  expect(await callRefusal(h, clock, 'partnership-health-plan')).toContain(
    'no valid written consent names partnership-health-plan',
  );

  await h.advance(2 * 3_600_000);
  await h.sendClock(clock, {
    type: 'consent-recorded',
    actor: CASE_MANAGER,
    consent: planConsent('partnership-health-plan'),
  });
  const sent = await h.waitForClock(
    clock,
    (s) => s.waitingOn === 'managed-care-plan' && s.metAt !== undefined,
    'the notice once consent is on file',
  );
  expect(sent.metOnTime).toBe(true);
  const toPlan = (await mine()).filter((m) => m.audience === 'managed-care-plan');
  expect(toPlan).toHaveLength(1);
  expect(toPlan[0]!.text).toContain('Plan member id (Medi-Cal CIN): 91234567A');
  expect((await h.disclosures()).filter((d) => d.referralId === clockId).map((d) => [d.purpose, d.consentId])).toEqual([
    ['residential-admission-notice', 'C-partnership-health-plan'],
  ]);
});

test('without the plan member id the plan cannot tell who it is: no email, a task for the case manager to notify the plan', async () => {
  const monday = await advanceToNext(h, 1, 14);
  const clock = await h.startClock(
    clockRequest('residential-notice', {
      event: 'discharge',
      occurredAt: monday.toISOString(),
      levelOfCare: 'asam-3.5',
      managedCarePlanId: 'partnership-health-plan',
      partTwo: false,
      member: { ...sampleRequest().member, planMemberId: undefined },
    }),
  );
  const clockId = clock.workflowId.replace(/^clock-/, '');
  await h.waitForClock(
    clock,
    (s) => s.stage === 'notify-plan' && s.waitingOn === 'case-manager',
    'the task to the case manager',
  );
  const mine = (await h.outbox()).filter((m) => m.referralId === clockId);
  expect(mine.filter((m) => m.audience === 'managed-care-plan')).toEqual([]);
  const task = mine.filter((m) => m.audience === 'case-manager');
  expect(task).toHaveLength(1);
  expect(task[0]!.text).toContain("The member's plan member id (Medi-Cal CIN) is not on the transfer");
  expect(task[0]!.text).toContain(
    'Notify Partnership Health Plan (bh-coordination@partnership.example.org) naming the member',
  );
  expect(await h.disclosures()).toEqual(expect.not.arrayContaining([expect.objectContaining({ referralId: clockId })]));
});
