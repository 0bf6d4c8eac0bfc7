/** Seed 003 I.7.a: a SUD crisis service is followed up within 24 hours with the member's other providers and the plan. */
import { DateTime } from 'luxon';
import { advanceToNext, clockRequest, ZONE, callRefusal } from '../../support/clock-requests';
import { CASE_MANAGER, consentFor, useTransferHarness } from '../../support/transfer-harness';
import { expectCountyFormat } from '../../support/note-drafts';

const h = useTransferHarness();

test('due 24 clock hours after the crisis; a provider needing consent is refused until it is recorded; done only when every provider and the plan are contacted', async () => {
  // Saturday evening: the 24 hours run through Sunday, no business calendar involved.
  const crisisAt = await advanceToNext(h, 6, 19, 30);
  const clock = await h.startClock(
    clockRequest('crisis-follow-up', {
      crisisAt: crisisAt.toISOString(),
      providerIds: ['bayside-outpatient', 'harbor-mat-clinic'],
      managedCarePlanId: 'partnership-health-plan',
      partTwo: true,
      // Part 2 records: Bayside's consent is on file; Harbor (outside the plan and the shared EHR) has none.
      consents: [consentFor([{ providerId: 'bayside-outpatient' }], { consentId: 'C-bayside' })],
    }),
  );
  const clockId = clock.workflowId.replace(/^clock-/, '');
  const due = DateTime.fromJSDate(crisisAt, { zone: ZONE }).plus({ hours: 24 });

  const started = await h.waitForClock(clock, (s) => s.stage === 'follow-up-providers', 'the follow-up stage');
  expect(started.stageDeadline).toBe(due.toUTC().toISO());
  expect(started.dueAt).toBe(due.toUTC().toISO());
  expect(DateTime.fromISO(started.stageDeadline!, { zone: ZONE }).toFormat('ccc HH:mm')).toBe('Sun 19:30');
  expect(started.waitingOn).toBe('case-manager');

  // The task lists each provider and the plan, and marks the one that needs consent first.
  await h.settle(clock);
  const tasks = (await h.outbox()).filter(
    (m) => m.referralId === clockId && m.audience === 'case-manager' && m.kind === 'stage-request',
  );
  expect(tasks).toHaveLength(1);
  expect(tasks[0]!.channel).toBe('task');
  const lines = tasks[0]!.text.split('\n').filter((l) => l.startsWith('  - '));
  // Part 2: the plan, like Harbor, may hear of the crisis only once a consent names it.
  expect(lines).toEqual([
    '  - bayside-outpatient',
    "  - harbor-mat-clinic (record the member's signed consent naming them first)",
    "  - partnership-health-plan (record the member's signed consent naming them first)",
  ]);
  for (const secret of ['M-100234', '+17075550987', 'member.sample@example.org'])
    expect(tasks[0]!.text).not.toContain(secret);

  // Bayside: consent on file, accepted.
  const afterBayside = await h.sendClock(clock, {
    type: 'contact-made',
    actor: CASE_MANAGER,
    with: 'bayside-outpatient',
    method: 'phone',
  });
  expect(afterBayside.contacts.map((c) => c.with)).toEqual(['bayside-outpatient']);

  // Harbor: refused, naming consent; nothing recorded.
  const why = await callRefusal(h, clock, 'harbor-mat-clinic');
  expect(why).toMatch(/consent/);
  expect(why).toContain('harbor-mat-clinic');
  expect((await h.clockState(clock)).contacts.map((c) => c.with)).toEqual(['bayside-outpatient']);

  // Someone not on the list: refused, naming the field.
  const notListed = await callRefusal(h, clock, 'redwood-iop');
  expect(notListed).toMatch(/^with: redwood-iop is not one of /);

  // The member's consent naming Harbor is recorded: now the contact is accepted.
  await h.sendClock(clock, {
    type: 'consent-recorded',
    actor: CASE_MANAGER,
    consent: consentFor([{ providerId: 'harbor-mat-clinic' }], { consentId: 'C-harbor' }),
  });
  const afterHarbor = await h.sendClock(clock, {
    type: 'contact-made',
    actor: CASE_MANAGER,
    with: 'harbor-mat-clinic',
    method: 'secure-email',
  });
  expect(afterHarbor.contacts.map((c) => c.with)).toEqual(['bayside-outpatient', 'harbor-mat-clinic']);

  // Both providers contacted, the plan not yet: still waiting.
  await h.settle(clock);
  const partial = await h.clockState(clock);
  expect(partial.stage).toBe('follow-up-providers');
  expect(partial.metAt).toBeUndefined();

  expect(await callRefusal(h, clock, 'partnership-health-plan')).toContain(
    'no valid written consent names partnership-health-plan',
  );
  await h.sendClock(clock, {
    type: 'consent-recorded',
    actor: CASE_MANAGER,
    consent: consentFor([{ providerId: 'partnership-health-plan' }], { consentId: 'C-plan' }),
  });
  const last = await h.sendClock(clock, {
    type: 'contact-made',
    actor: CASE_MANAGER,
    with: 'partnership-health-plan',
    method: 'phone',
  });
  expect(last.contacts).toHaveLength(3);
  const final = await h.waitForClock(clock, (s) => s.stage === 'done');
  expect(final).toMatchObject({ outcome: 'completed', metOnTime: true, waitingOn: 'none' });
  expect(new Date(final.metAt!) <= new Date(final.dueAt)).toBe(true);

  // A progress note draft per contact, none for the consent or the refused attempts.
  const notes = (await h.notes()).filter((n) => n.subjectId === clockId);
  expect(notes.map((n) => n.action).sort()).toEqual([
    'crisis follow-up with bayside-outpatient',
    'crisis follow-up with harbor-mat-clinic',
    'crisis follow-up with partnership-health-plan',
  ]);
  for (const n of notes) {
    expectCountyFormat(n);
    expect(n.authorId).toBe('cm-alvarez');
    expect(n.intervention).toMatch(/\nFollowed up by /);
  }
  expect(notes.find((n) => n.action.endsWith('harbor-mat-clinic'))!.intervention).toContain(
    'by secure-email with harbor-mat-clinic',
  );

  // Each contact disclosed who the member is: one disclosure log row each, under the consent that allowed it.
  const logged = (await h.disclosures()).filter((d) => d.referralId === clockId);
  expect(new Set(logged.map((d) => d.memberId))).toEqual(new Set(['M-100234']));
  expect(logged.map((d) => [d.providerId, d.recipient, d.purpose, d.consentId])).toEqual([
    ['bayside-outpatient', 'Bayside Recovery Outpatient (ASAM 1.0) (phone)', 'care-coordination-contact', 'C-bayside'],
    [
      'harbor-mat-clinic',
      'Harbor Medication-Assisted Treatment Clinic (secure-email)',
      'care-coordination-contact',
      'C-harbor',
    ],
    ['partnership-health-plan', 'Partnership Health Plan (phone)', 'care-coordination-contact', 'C-plan'],
  ]);
});

test('without Part 2 records, only a provider outside the plan or the shared EHR needs consent', async () => {
  const crisisAt = await advanceToNext(h, 3, 9);
  const clock = await h.startClock(
    clockRequest('crisis-follow-up', {
      crisisAt: crisisAt.toISOString(),
      providerIds: ['bayside-outpatient', 'redwood-iop'],
      managedCarePlanId: 'kaiser-health-plan',
      partTwo: false,
    }),
  );
  await h.waitForClock(clock, (s) => s.stage === 'follow-up-providers');
  // Bayside is in the plan and the shared EHR: no consent needed.
  await h.sendClock(clock, { type: 'contact-made', actor: CASE_MANAGER, with: 'bayside-outpatient', method: 'phone' });
  // Redwood is outside the shared EHR: refused until the member's consent is recorded.
  expect(await callRefusal(h, clock, 'redwood-iop')).toMatch(/consent/);
  await h.sendClock(clock, {
    type: 'consent-recorded',
    actor: CASE_MANAGER,
    consent: consentFor([{ providerId: 'redwood-iop' }]),
  });
  await h.sendClock(clock, { type: 'contact-made', actor: CASE_MANAGER, with: 'redwood-iop', method: 'phone' });
  expect((await h.clockState(clock)).stage).toBe('follow-up-providers'); // the plan is still owed its follow-up

  // A late contact with the plan completes it, late.
  await h.advance(25 * 3_600_000);
  await h.sendClock(clock, { type: 'contact-made', actor: CASE_MANAGER, with: 'kaiser-health-plan', method: 'fax' });
  const final = await h.waitForClock(clock, (s) => s.stage === 'done');
  expect(final).toMatchObject({ outcome: 'completed-late', metOnTime: false });
  expect(final.contacts.map((c) => c.with)).toEqual(['bayside-outpatient', 'redwood-iop', 'kaiser-health-plan']);
  // Without Part 2 the plan needs no consent: its row names none.
  const clockId = clock.workflowId.replace(/^clock-/, '');
  expect(
    (await h.disclosures()).filter((d) => d.referralId === clockId).map((d) => [d.providerId, d.consentId]),
  ).toEqual([
    ['bayside-outpatient', null],
    ['redwood-iop', 'C-1'],
    ['kaiser-health-plan', null],
  ]);
});
