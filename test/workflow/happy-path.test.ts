import { SA } from '../../domain/search-attributes';
import { eventually } from '../support/eventually';
import { arrangeHandoff, closeTheEpisode } from '../support/drive';
import {
  CASE_MANAGER,
  consentFor,
  logLines,
  partner,
  sampleRequest,
  useTransferHarness,
} from '../support/transfer-harness';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const h = useTransferHarness();

test('a Part 2 residential discharge goes from informing the member to linked, with consent, reminders and the plan notice', async () => {
  const handle = await h.start(sampleRequest());
  let state = await h.waitFor(handle, (s) => s.consentNeeded !== null);
  expect(state.stage).toBe('inform-member');
  expect(state.consentNeeded).toBe(true);

  state = await h.send(handle, { type: 'member-informed', actor: CASE_MANAGER, concernsAddressed: true });
  state = await h.waitFor(handle, (s) => s.stage === 'obtain-consent');
  expect(state.packet?.missing).toEqual([]);
  expect(state.stage).toBe('obtain-consent');
  expect(state.waitingOn).toBe('member');

  // Nothing reached the partner before consent.
  expect(await h.disclosures()).toEqual([]);
  await h.send(handle, {
    type: 'consent-recorded',
    actor: CASE_MANAGER,
    // Part 2: the consent names the plan too, so the residential discharge notice may name the member to it.
    consent: consentFor([{ providerId: 'bayside-outpatient' }, { providerId: 'partnership-health-plan' }]),
  });
  state = await h.waitFor(handle, (s) => s.requestSentAt !== undefined);
  expect(state.stage).toBe('send-packet');
  const [disclosure] = await h.disclosures();
  expect(disclosure).toMatchObject({ providerId: 'bayside-outpatient', purpose: 'referral-packet', consentId: 'C-1' });

  await h.send(handle, { type: 'packet-acknowledged', actor: partner('bayside-outpatient') });
  const appointmentAt = new Date((await h.now()).getTime() + 5 * DAY);
  appointmentAt.setUTCHours(18, 0, 0, 0); // 10:00 or 11:00 in Los Angeles
  await h.send(handle, {
    type: 'appointment-scheduled',
    actor: partner('bayside-outpatient'),
    appointmentAt: appointmentAt.toISOString(),
  });
  state = await arrangeHandoff(h, handle);
  expect(state.appointment?.withinStandard).toBe(true);

  await h.advance(appointmentAt.getTime() - (await h.now()).getTime() + HOUR);
  state = await h.waitFor(handle, (s) => s.stage === 'confirm-attendance');
  await h.send(handle, { type: 'attendance-confirmed', actor: partner('bayside-outpatient') });
  await h.waitFor(handle, (s) => s.stage === 'close-episode');
  await closeTheEpisode(h, handle);

  const final = await handle.result();
  expect(final.outcome).toBe('linked');
  expect(final.stage).toBe('done');

  const outbox = await h.outbox();
  const reminders = outbox.filter((m) => m.kind === 'appointment-reminder');
  expect(reminders).toHaveLength(2);
  for (const r of reminders) {
    expect(r.audience).toBe('member');
    expect(r.text).toMatch(/^You have an appointment on .* Reply C to confirm/);
  }
  // Sent by the residential notice clock the transfer starts as it ends: it may land just after the result.
  const planNotice = await eventually('the managed care plan notice', async () =>
    (await h.outbox()).find((m) => m.audience === 'managed-care-plan'),
  );
  expect(planNotice).toMatchObject({ kind: 'residential-discharge', to: 'bh-coordination@partnership.example.org' });
  expect(planNotice!.text).toContain('Plan member id (Medi-Cal CIN): 91234567A');
  const purposes = await eventually('the plan notice in the disclosure log', async () => {
    const logged = (await h.disclosures()).map((d) => d.purpose).sort();
    return logged.length === 3 ? logged : undefined;
  });
  expect(purposes).toEqual(['discharge-summary', 'referral-packet', 'residential-discharge-notice']);
  // Each is the member's to account for (the accounting of disclosures is asked for by member).
  expect(new Set((await h.disclosures()).map((d) => d.memberId))).toEqual(new Set(['M-100234']));

  const described = await handle.describe();
  expect(described.typedSearchAttributes.get(SA.ReferralStage)).toBe('done');
  expect(described.typedSearchAttributes.get(SA.Outcome)).toBe('linked');
  expect(described.typedSearchAttributes.get(SA.WaitingOn)).toBe('none');
});

test('the logs of a whole transfer hold ids, never the member or health information', async () => {
  const request = sampleRequest({
    member: {
      memberId: 'M-100234',
      phone: '+17075550987',
      email: 'member.sample@example.org',
      language: 'es',
      timeZone: 'America/Los_Angeles',
    },
  });
  const handle = await h.start(request);
  await h.send(handle, {
    type: 'member-informed',
    actor: CASE_MANAGER,
    concernsAddressed: true,
    note: 'Member worried about losing housing',
  });
  await h.waitFor(handle, (s) => s.stage === 'obtain-consent');
  await h.send(handle, {
    type: 'consent-recorded',
    actor: CASE_MANAGER,
    consent: consentFor([{ providerId: 'bayside-outpatient' }]),
  });
  await h.waitFor(handle, (s) => s.requestSentAt !== undefined);
  await h.advance(3 * DAY); // reminders and escalations log too
  await h.settle(handle);
  const referralId = (await h.state(handle)).referralId;
  const mine = logLines.filter((l) => l.includes(referralId));
  expect(mine.length).toBeGreaterThan(5);
  const secrets = [
    'M-100234',
    'Jordan Sample',
    '1984-03-12',
    '+17075550987',
    'member.sample@example.org',
    request.reason,
    'losing housing',
    'Continuity of care',
    'asam-',
  ];
  for (const line of logLines) for (const secret of secrets) expect(line).not.toContain(secret);
});
