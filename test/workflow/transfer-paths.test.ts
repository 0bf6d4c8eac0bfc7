import { REFERRAL_STAGES } from '../../domain/stages';
import type { TimelineEntry } from '../../domain/state';
import { closeTheEpisode, driveTo, informAndConsent } from '../support/drive';
import { eventually } from '../support/eventually';
import {
  CASE_MANAGER,
  consentFor,
  EventRefused,
  MEMBER,
  partner,
  sampleRequest,
  useTransferHarness,
} from '../support/transfer-harness';

const DAY = 86_400_000;
const h = useTransferHarness();

/** Not Part 2, not sequestered, to a provider inside the plan and the shared EHR. */
const inPlanRequest = () =>
  sampleRequest({ partTwo: false, fromLevelOfCare: 'asam-2.1', receivingProviderId: 'bayside-outpatient' });

test('consent not needed: inside the plan and the shared EHR the packet goes out without one', async () => {
  const handle = await h.start(inPlanRequest());
  const state = await driveTo(h, handle, 'send-packet');
  expect(state.consentNeeded).toBe(false);
  expect(state.timeline.some((t) => t.kind === 'stage' && t.stage === 'obtain-consent')).toBe(false);
  const disclosures = (await h.disclosures()).filter((d) => d.referralId === state.referralId);
  expect(disclosures).toEqual([expect.objectContaining({ providerId: 'bayside-outpatient', consentId: null })]);
});

test('consent declined ends the transfer; nothing was disclosed and the case manager is told', async () => {
  const handle = await h.start(sampleRequest());
  const state = await driveTo(h, handle, 'obtain-consent');
  await h.send(handle, {
    type: 'consent-declined',
    actor: CASE_MANAGER,
    reason: 'Member does not want records shared.',
  });
  const final = await handle.result();
  expect(final.outcome).toBe('consent-declined');
  expect((await h.disclosures()).filter((d) => d.referralId === state.referralId)).toEqual([]);
  expect(
    (await h.outbox()).some(
      (m) => m.referralId === state.referralId && m.kind === 'outcome' && m.audience === 'case-manager',
    ),
  ).toBe(true);
});

test('a partner declines, staff choose another provider the consent covers by class, and that one links the member', async () => {
  const handle = await h.start(sampleRequest());
  await informAndConsent(h, handle, [{ providerClass: 'county-sud-outpatient' }]);
  await h.send(handle, {
    type: 'referral-declined',
    actor: partner('bayside-outpatient'),
    reason: 'No capacity this month.',
  });
  let state = await h.waitFor(
    handle,
    (s) => s.waitingOn === 'case-manager' && s.stage === 'confirm-scheduled',
    'staff to choose',
  );
  expect(state.partnerDecline?.providerId).toBe('bayside-outpatient');

  await h.send(handle, {
    type: 'provider-chosen',
    actor: CASE_MANAGER,
    providerId: 'redwood-iop',
    reason: 'Has openings',
  });
  state = await h.waitFor(
    handle,
    (s) => s.receivingProviderId === 'redwood-iop' && s.requestSentAt !== undefined,
    'the packet to the new provider',
  );
  expect(state.providerChanges).toBe(1);
  expect(state.partnerDecline).toBeUndefined();
  state = await driveTo(h, handle, 'close-episode');
  await closeTheEpisode(h, handle);
  const final = await handle.result();
  expect(final.outcome).toBe('linked');
  const sent = (await h.disclosures())
    .filter((d) => d.referralId === state.referralId)
    .map((d) => `${d.purpose}->${d.providerId}`);
  expect(sent).toEqual([
    'referral-packet->bayside-outpatient',
    'referral-packet->redwood-iop',
    'discharge-summary->redwood-iop',
  ]);
});

test('a new provider the consent does not name waits for a new consent before anything is sent to it', async () => {
  const handle = await h.start(sampleRequest());
  const state = await driveTo(h, handle, 'confirm-scheduled');
  await h.send(handle, {
    type: 'provider-chosen',
    actor: CASE_MANAGER,
    providerId: 'harbor-mat-clinic',
    reason: 'Member needs MAT',
  });
  const waiting = await h.waitFor(
    handle,
    (s) => s.receivingProviderId === 'harbor-mat-clinic' && s.stage === 'obtain-consent',
  );
  expect(waiting.waitingOn).toBe('member');
  expect(
    (await h.disclosures()).filter((d) => d.referralId === state.referralId && d.providerId === 'harbor-mat-clinic'),
  ).toEqual([]);
  await h.send(handle, {
    type: 'consent-recorded',
    actor: CASE_MANAGER,
    consent: consentFor([{ providerId: 'harbor-mat-clinic' }], { consentId: 'C-2' }),
  });
  await h.waitFor(handle, (s) => s.requestSentAt !== undefined);
  const harbor = (await h.disclosures()).filter(
    (d) => d.referralId === state.referralId && d.providerId === 'harbor-mat-clinic',
  );
  expect(harbor).toEqual([expect.objectContaining({ consentId: 'C-2' })]);
  await h.send(handle, { type: 'withdrawn', actor: CASE_MANAGER, reason: 'test done' });
  await handle.result();
});

test('no-shows return to scheduling until the allowed reschedules are used, then the member is lost to follow-up', async () => {
  const handle = await h.start(sampleRequest(), { allowedReschedules: 2 });
  let state = await driveTo(h, handle, 'confirm-attendance');
  for (let noShow = 1; noShow <= 2; noShow++) {
    await h.send(handle, { type: 'no-show', actor: partner('bayside-outpatient') });
    state = await h.waitFor(
      handle,
      (s) => s.stage === 'confirm-scheduled' && s.noShows === noShow,
      `reschedule ${noShow}`,
    );
    expect(state.appointment).toBeUndefined();
    state = await driveTo(h, handle, 'confirm-attendance');
  }
  await h.send(handle, { type: 'no-show', actor: partner('bayside-outpatient') });
  const final = await handle.result();
  expect(final.outcome).toBe('lost-to-follow-up');
  expect(final.noShows).toBe(3);
  expect(
    final.timeline.filter((t: TimelineEntry) => t.kind === 'stage' && t.stage === 'confirm-scheduled'),
  ).toHaveLength(3);
});

test('consent revoked after sending: no later disclosure, partner reminders withheld, the case manager told', async () => {
  const handle = await h.start(sampleRequest());
  const state = await driveTo(h, handle, 'confirm-scheduled');
  await h.send(handle, { type: 'consent-revoked', actor: MEMBER, consentId: state.consents[0]!.consentId });
  // The partner's reminder at half the deadline becomes a task for the case manager.
  const halfway = (new Date(state.stageStartedAt).getTime() + new Date(state.stageDeadline!).getTime()) / 2;
  await h.advance(halfway - (await h.now()).getTime() + 60_000);
  await h.waitFor(handle, (s) => s.escalationLevel >= 1);
  // The task goes out by an activity after the state shows the escalation: wait for it.
  const mine = await eventually('the withheld-contact task', async () => {
    const sent = (await h.outbox()).filter((m) => m.referralId === state.referralId);
    return sent.some((m) => m.kind === 'partner-contact-withheld') ? sent : undefined;
  });
  expect(mine.some((m) => m.kind === 'consent-revoked' && m.audience === 'case-manager')).toBe(true);
  const revokedAt = (await h.state(handle)).consents[0]!.revokedAt!;
  const afterRevocation = mine.filter((m) => m.audience === 'partner' && m.dueAt >= revokedAt);
  expect(afterRevocation).toEqual([]);
  // The partner still answers; at closing, the discharge summary is not sent.
  const appointmentAt = new Date((await h.now()).getTime() + DAY);
  await h.send(handle, {
    type: 'appointment-scheduled',
    actor: partner('bayside-outpatient'),
    appointmentAt: appointmentAt.toISOString(),
  });
  await driveTo(h, handle, 'close-episode');
  await closeTheEpisode(h, handle);
  const final = await handle.result();
  expect(final.outcome).toBe('linked');
  expect((await h.disclosures()).filter((d) => d.referralId === state.referralId).map((d) => d.purpose)).toEqual([
    'referral-packet',
  ]);
});

test.each(REFERRAL_STAGES)('staff can withdraw at %s, with a reason', async (stage) => {
  const request =
    stage === 'assemble-packet'
      ? sampleRequest({ member: { memberId: 'M-100871', phone: '+17075550123' } })
      : sampleRequest();
  const handle = await h.start(request);
  const state = await driveTo(h, handle, stage);
  expect(state.stage).toBe(stage);
  await h.send(handle, { type: 'withdrawn', actor: CASE_MANAGER, reason: 'Member moved out of county' });
  const final = await handle.result();
  expect(final).toMatchObject({ outcome: 'withdrawn', outcomeReason: 'Member moved out of county', stage: 'done' });
  const stages = final.timeline.flatMap((t: TimelineEntry) => (t.kind === 'stage' ? [t.stage] : []));
  expect(stages.at(-2)).toBe(stage);
});

describe('invalid events are rejected with a reason and change nothing', () => {
  test.each([
    [
      'an appointment in the past',
      'confirm-scheduled',
      { type: 'appointment-scheduled', actor: partner('bayside-outpatient'), appointmentAt: '2020-01-01T10:00:00Z' },
      /appointmentAt is in the past/,
    ],
    [
      'an event that does not fit the stage',
      'inform-member',
      { type: 'attendance-confirmed', actor: partner('bayside-outpatient') },
      /does not fit the inform-member stage/,
    ],
    [
      'a partner answering for another provider',
      'send-packet',
      { type: 'packet-acknowledged', actor: partner('redwood-iop') },
      /not with that provider/,
    ],
    [
      'a consent for another member',
      'obtain-consent',
      {
        type: 'consent-recorded',
        actor: CASE_MANAGER,
        consent: consentFor([{ providerId: 'bayside-outpatient' }], { memberId: 'M-999' }),
      },
      /consent.memberId/,
    ],
    [
      'a withdrawal without a reason',
      'inform-member',
      { type: 'withdrawn', actor: CASE_MANAGER, reason: ' ' },
      /reason: a reason is required/,
    ],
    [
      'a member recording consent',
      'obtain-consent',
      { type: 'consent-recorded', actor: MEMBER, consent: consentFor([{ providerId: 'bayside-outpatient' }]) },
      /the member may not send consent-recorded/,
    ],
    [
      'an expired consent',
      'obtain-consent',
      {
        type: 'consent-recorded',
        actor: CASE_MANAGER,
        consent: consentFor([{ providerId: 'bayside-outpatient' }], { expiration: { date: '2021-01-01T00:00:00Z' } }),
      },
      /expiration has already passed/,
    ],
    [
      'a consent without the right-to-revoke notice',
      'obtain-consent',
      {
        type: 'consent-recorded',
        actor: CASE_MANAGER,
        consent: { ...consentFor([{ providerId: 'bayside-outpatient' }]), toldOfRightToRevoke: false },
      },
      /consent.toldOfRightToRevoke: the member must be told/,
    ],
  ] as const)('%s', async (_name, stage, event, reason) => {
    const handle = await h.start(sampleRequest());
    await driveTo(h, handle, stage);
    const before = await h.state(handle);
    const error = await h.send(handle, event as never).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EventRefused);
    expect((error as EventRefused).message).toMatch(reason);
    expect(await h.state(handle)).toEqual(before);
    await h.send(handle, { type: 'withdrawn', actor: CASE_MANAGER, reason: 'test done' });
  });
});

test('a missing EHR element becomes a task; once staff add it and say so, the packet completes', async () => {
  const handle = await h.start(
    sampleRequest({
      partTwo: false,
      member: { memberId: 'M-100871', email: 'm@example.org', contactPreferences: ['email'] },
    }),
  );
  await driveTo(h, handle, 'assemble-packet');
  const state = await h.waitFor(handle, (s) => (s.packet?.missing.length ?? 0) > 0);
  expect(state.packet?.missing).toEqual(['risk-assessments', 'recent-service-notes']);
  // The task goes out by an activity after the state shows what is missing: wait for it.
  const task = await eventually('the missing-documents task', async () =>
    (await h.outbox()).find((m) => m.referralId === state.referralId && m.kind === 'missing-documents'),
  );
  expect(task.text).toMatch(/risk-assessments, recent-service-notes/);
  await h.addEhrDocuments('M-100871', ['risk-assessments', 'recent-service-notes']);
  await h.send(handle, { type: 'documents-ready', actor: CASE_MANAGER });
  const after = await h.waitFor(handle, (s) => s.stage !== 'assemble-packet');
  expect(after.packet?.missing).toEqual([]);
  await h.send(handle, { type: 'withdrawn', actor: CASE_MANAGER, reason: 'test done' });
});

test('a provider chosen before the packet goes out simply becomes the recipient', async () => {
  const handle = await h.start(sampleRequest({ partTwo: false }));
  await h.waitFor(handle, (s) => s.consentNeeded === false);
  await h.send(handle, {
    type: 'provider-chosen',
    actor: CASE_MANAGER,
    providerId: 'harbor-mat-clinic',
    reason: 'Closer to home',
  });
  const state = await h.waitFor(handle, (s) => s.receivingProviderId === 'harbor-mat-clinic');
  expect(state).toMatchObject({ stage: 'inform-member', consentNeeded: true });
  const unknown = await h
    .send(handle, { type: 'provider-chosen', actor: CASE_MANAGER, providerId: 'no-such-provider', reason: 'x' })
    .catch((e: unknown) => e);
  expect(unknown).toBeInstanceOf(EventRefused);
  expect((unknown as EventRefused).message).toMatch(/unknown provider/);
  await h.send(handle, { type: 'withdrawn', actor: CASE_MANAGER, reason: 'test done' });
});

test('member replies arrive as signals; a reply that does not fit is noted, not applied', async () => {
  const handle = await h.start(sampleRequest());
  await driveTo(h, handle, 'warm-handoff');
  await h.signal(handle, { type: 'appointment-confirmed-by-member', actor: MEMBER });
  await h.signal(handle, { type: 'no-show', actor: MEMBER });
  const state = await h.waitFor(handle, (s) => s.timeline.some((t) => t.kind === 'ignored-event'));
  expect(state.appointment?.memberConfirmedAt).toBeDefined();
  expect(state.noShows).toBe(0);
  await h.send(handle, { type: 'withdrawn', actor: CASE_MANAGER, reason: 'test done' });
});
