/** Seed 003 I.8.a: refer for MAT within 24 hours, make the follow-up call, confirm the appointment, help with transport. */
import { DateTime } from 'luxon';
import type { ClockState } from '../../../domain/clocks/state';
import { advanceTo, advanceToNext, clockRequest, ZONE, refusal, callRefusal } from '../../support/clock-requests';
import { CASE_MANAGER, consentFor, partner, useTransferHarness } from '../../support/transfer-harness';
import { expectCountyFormat } from '../../support/note-drafts';

const h = useTransferHarness();

const show = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toFormat('ccc HH:mm');
const stages = (s: ClockState) => s.timeline.flatMap((t) => (t.kind === 'stage' ? [t.stage] : []));

test('refer, call, confirm, transport: each deadline on the county calendar, the contract monitor told when the provider stays silent', async () => {
  const wednesday = await advanceToNext(h, 3, 9);
  const thursday = DateTime.fromJSDate(wednesday, { zone: ZONE }).plus({ days: 1 });
  const policy = { calendar: { timeZone: ZONE, holidays: [thursday.toISODate()!] } };
  const clock = await h.startClock(
    clockRequest('mat-referral', {
      requestedAt: wednesday.toISOString(),
      providerId: 'harbor-mat-clinic',
      partTwo: true,
    }),
    policy,
  );
  const clockId = clock.workflowId.replace(/^clock-/, '');

  // iv. The referral is due 24 clock hours after the request (the holiday does not count for clock hours).
  const referring = await h.waitForClock(clock, (s) => s.stage === 'refer-for-mat');
  expect(referring.stageDeadline).toBe(DateTime.fromJSDate(wednesday).plus({ hours: 24 }).toUTC().toISO());
  expect(referring.dueAt).toBe(referring.stageDeadline);
  expect(show(referring.stageDeadline!)).toBe('Thu 09:00');
  expect(referring.waitingOn).toBe('case-manager');

  // The referral discloses SUD treatment information: refused until the member's consent names the program.
  expect(await refusal(h.sendClock(clock, { type: 'referral-sent', actor: CASE_MANAGER, method: 'fax' }))).toMatch(
    /consent/,
  );
  await h.sendClock(clock, {
    type: 'consent-recorded',
    actor: CASE_MANAGER,
    consent: consentFor([{ providerId: 'harbor-mat-clinic' }]),
  });
  // No follow-up call before the referral exists.
  expect(await callRefusal(h, clock, 'harbor-mat-clinic')).toBe('the referral has not been sent yet');

  // Wednesday 10:00: the referral goes out by fax, documented by the case manager.
  const sentAt = DateTime.fromJSDate(wednesday, { zone: ZONE }).plus({ hours: 1 });
  await advanceTo(h, sentAt.toJSDate());
  await h.sendClock(clock, {
    type: 'referral-sent',
    actor: CASE_MANAGER,
    method: 'fax',
    documentation: {
      startedAt: sentAt.minus({ minutes: 20 }).toUTC().toISO()!,
      endedAt: sentAt.toUTC().toISO()!,
      narrative: 'Faxed the MAT referral and the signed release to Harbor MAT intake.',
      response: 'Member agreed to start buprenorphine induction.',
      referrals: 'Harbor Medication-Assisted Treatment Clinic',
      followUp: 'Call Harbor intake tomorrow to confirm receipt.',
    },
  });

  // i. The follow-up call: 1 business day after sending. Thursday is a holiday, so Friday 10:00.
  const calling = await h.waitForClock(clock, (s) => s.stage === 'follow-up-call');
  expect(calling.metOnTime).toBe(true);
  const sent = DateTime.fromISO(calling.referralSent!.at, { zone: ZONE });
  expect(sent.toMillis() - sentAt.toMillis()).toBeLessThan(60_000);
  expect(calling.stageDeadline).toBe(sent.plus({ days: 2 }).toUTC().toISO());
  expect(show(calling.stageDeadline!)).toBe('Fri 10:00');
  expect(calling.waitingOn).toBe('case-manager');

  // Thursday 10:01: only the half-way reminder; had Thursday counted, the deadline reminder would be out.
  await advanceTo(h, sent.plus({ days: 1, minutes: 1 }).toJSDate());
  await h.settle(clock);
  expect((await h.clockState(clock)).stageEscalations.map((e) => e.kind)).toEqual(['reminder']);

  // Friday 09:00: the follow-up call.
  const callAt = sent.plus({ days: 2, hours: -1 });
  await advanceTo(h, callAt.toJSDate());
  await h.sendClock(clock, { type: 'contact-made', actor: CASE_MANAGER, with: 'harbor-mat-clinic', method: 'phone' });

  // ii. Waiting on the provider to confirm: 3 business days after sending (Fri, Mon, Tue).
  const confirming = await h.waitForClock(clock, (s) => s.stage === 'confirm-appointment');
  await h.settle(clock);
  // The faxed referral and the call each disclosed the member to Harbor: two disclosure log rows, under the consent.
  expect(
    (await h.disclosures())
      .filter((d) => d.referralId === clockId)
      .map((d) => [d.providerId, d.recipient, d.consentId]),
  ).toEqual([
    ['harbor-mat-clinic', 'Harbor Medication-Assisted Treatment Clinic (fax)', 'C-1'],
    ['harbor-mat-clinic', 'Harbor Medication-Assisted Treatment Clinic (phone)', 'C-1'],
  ]);
  expect(confirming.waitingOn).toBe('partner');
  const appointmentDeadline = sent.plus({ days: 6 });
  expect(confirming.stageDeadline).toBe(appointmentDeadline.toUTC().toISO());
  expect(show(confirming.stageDeadline!)).toBe('Tue 10:00');

  const toMonitor = async () =>
    (await h.outbox()).filter((m) => m.referralId === clockId && m.audience === 'contract-monitor');
  // The director at deadline + 1 business day (Wednesday), the contract monitor at + 3 (Friday), not before.
  const monitorAt = appointmentDeadline.plus({ days: 3 });
  expect(monitorAt.toFormat('ccc HH:mm')).toBe('Fri 10:00');
  await advanceTo(h, monitorAt.minus({ minutes: 1 }).toJSDate());
  await h.settle(clock);
  expect(await toMonitor()).toEqual([]);
  let state = await h.clockState(clock);
  expect(state.escalationLevel).toBe(2);
  const director = (await h.outbox()).filter((m) => m.referralId === clockId && m.audience === 'clinic-director');
  expect(director).toHaveLength(1);
  expect(show(director[0]!.dueAt)).toBe('Wed 10:00');

  await advanceTo(h, monitorAt.plus({ minutes: 1 }).toJSDate());
  await h.settle(clock);
  state = await h.clockState(clock);
  expect(state.escalationLevel).toBe(3);
  expect(state.stage).toBe('confirm-appointment');
  const monitor = await toMonitor();
  expect(monitor).toHaveLength(1);
  expect(monitor[0]).toMatchObject({ channel: 'email', kind: 'escalation', to: 'gortiz@county.example.org' }); // Harbor's contract monitor
  expect(monitor[0]!.subject).toContain(`MAT referral ${clockId}`);
  expect(new Date(monitor[0]!.dueAt).getTime() - monitorAt.toMillis()).toBeGreaterThanOrEqual(0);
  expect(new Date(monitor[0]!.dueAt).getTime() - monitorAt.toMillis()).toBeLessThan(60_000);
  for (const secret of ['M-100234', '+17075550987', 'member.sample@example.org'])
    expect(monitor[0]!.text).not.toContain(secret);
  // The clinic director was not told twice: level 3 went to the monitor, because a partner is awaited.
  expect((await h.outbox()).filter((m) => m.referralId === clockId && m.audience === 'clinic-director')).toHaveLength(
    1,
  );

  // An appointment in the past is refused; the provider then confirms one next Monday.
  const now = DateTime.fromJSDate(await h.now(), { zone: ZONE });
  expect(
    await refusal(
      h.sendClock(clock, {
        type: 'appointment-confirmed',
        actor: partner('harbor-mat-clinic'),
        appointmentAt: now.minus({ hours: 1 }).toUTC().toISO()!,
      }),
    ),
  ).toBe('appointmentAt is in the past');
  expect((await h.clockState(clock)).appointment).toBeUndefined();
  const appointmentAt = now.plus({ days: 3 }).set({ hour: 9, minute: 30, second: 0, millisecond: 0 });
  await h.sendClock(clock, {
    type: 'appointment-confirmed',
    actor: partner('harbor-mat-clinic'),
    appointmentAt: appointmentAt.toUTC().toISO()!,
    location: 'Harbor MAT, Suite 2',
  });

  // iii. Transportation, settled by the appointment.
  const transport = await h.waitForClock(clock, (s) => s.stage === 'arrange-transportation');
  expect(transport.waitingOn).toBe('case-manager');
  expect(transport.stageDeadline).toBe(appointmentAt.toUTC().toISO());
  expect(transport.escalationLevel).toBe(0);
  expect(transport.appointment).toMatchObject({ at: appointmentAt.toUTC().toISO(), location: 'Harbor MAT, Suite 2' });

  await h.sendClock(clock, { type: 'transportation-settled', actor: CASE_MANAGER, how: 'arranged' });
  const final = await h.waitForClock(clock, (s) => s.stage === 'done');
  expect(final).toMatchObject({ outcome: 'completed', metOnTime: true, transportation: 'arranged' });
  expect(stages(final)).toEqual([
    'refer-for-mat',
    'follow-up-call',
    'confirm-appointment',
    'arrange-transportation',
    'done',
  ]);

  // Seed 004: one draft per action, in the county's format.
  const notes = (await h.notes()).filter((n) => n.subjectId === clockId);
  expect(notes).toHaveLength(4);
  const byAction = (action: string) => {
    const found = notes.filter((n) => n.action === action);
    expect(found).toHaveLength(1);
    return found[0]!;
  };
  for (const n of notes) expectCountyFormat(n);
  // Staff's documentation lands verbatim.
  expect(byAction('MAT referral sent')).toMatchObject({
    authorId: 'cm-alvarez',
    documentationStart: sentAt.minus({ minutes: 20 }).toUTC().toISO(),
    documentationEnd: sentAt.toUTC().toISO(),
    intervention:
      'DOCUMENTATION TIME: 9:40 AM - 10:00 AM\nFaxed the MAT referral and the signed release to Harbor MAT intake.',
    response: 'Member agreed to start buprenorphine induction.',
    referrals: 'Harbor Medication-Assisted Treatment Clinic',
    followUp: 'Call Harbor intake tomorrow to confirm receipt.',
  });
  // Without documentation, the draft says what happened, timed at the action.
  const call = byAction('MAT referral follow-up call to harbor-mat-clinic');
  expect(call).toMatchObject({
    authorId: 'cm-alvarez',
    intervention:
      'DOCUMENTATION TIME: 9:00 AM - 9:00 AM\nMade the follow-up phone call to harbor-mat-clinic about the medication-assisted treatment referral.',
    response: 'See intervention section above.',
    referrals: '',
    followUp: 'Confirm the scheduled appointment and assist with transportation.',
  });
  expect(Math.abs(new Date(call.documentationEnd).getTime() - callAt.toMillis())).toBeLessThan(60_000);
  expect(byAction('MAT appointment confirmed')).toMatchObject({
    authorId: 'harbor-mat-clinic',
    followUp: 'Assist with coordinating transportation to the appointment.',
  });
  expect(byAction('transportation to MAT appointment')).toMatchObject({
    authorId: 'cm-alvarez',
    intervention: expect.stringContaining('Offered assistance with transportation to the appointment: arranged.'),
    followUp: 'Confirm the member attended.',
  });
});

test('a referral sent after 24 hours completes late; an appointment confirmed early skips the call stage', async () => {
  const monday = await advanceToNext(h, 1, 14);
  const clock = await h.startClock(
    clockRequest('mat-referral', {
      requestedAt: monday.toISOString(),
      providerId: 'harbor-mat-clinic',
      partTwo: true,
      consents: [consentFor([{ providerId: 'harbor-mat-clinic' }])],
    }),
  );
  await h.waitForClock(clock, (s) => s.stage === 'refer-for-mat');
  await h.advance(25 * 3_600_000);
  await h.sendClock(clock, { type: 'referral-sent', actor: CASE_MANAGER, method: 'secure-email' });
  const calling = await h.waitForClock(clock, (s) => s.stage === 'follow-up-call');
  expect(calling.metOnTime).toBe(false);
  // The provider confirms before the call was logged: the call stage is answered.
  const appointmentAt = new Date((await h.now()).getTime() + 2 * 86_400_000).toISOString();
  await h.sendClock(clock, { type: 'appointment-confirmed', actor: partner('harbor-mat-clinic'), appointmentAt });
  await h.waitForClock(clock, (s) => s.stage === 'arrange-transportation');
  await h.sendClock(clock, { type: 'transportation-settled', actor: CASE_MANAGER, how: 'not-needed' });
  const final = await h.waitForClock(clock, (s) => s.stage === 'done');
  expect(final.outcome).toBe('completed-late');
});
