/** Seed 003 I.2.e: the problem list clock counts clock hours, weekends included. */
import { DateTime } from 'luxon';
import { advanceTo, advanceToNext, clockRequest, ZONE } from '../../support/clock-requests';
import { CASE_MANAGER, useTransferHarness } from '../../support/transfer-harness';

const h = useTransferHarness();

test('a change on Friday morning is due 72 clock hours later, on Monday morning; the director hears a business day after', async () => {
  const friday = await advanceToNext(h, 5, 10);
  const clock = await h.startClock(clockRequest('problem-list-update', { changedAt: friday.toISOString() }));
  const due = DateTime.fromJSDate(friday, { zone: ZONE }).plus({ hours: 72 });
  const started = await h.waitForClock(clock, (s) => s.stage === 'update-problem-list');
  expect(DateTime.fromISO(started.stageDeadline!, { zone: ZONE }).toFormat('ccc HH:mm')).toBe('Mon 10:00');
  expect(started.stageDeadline).toBe(due.toUTC().toISO());

  await advanceTo(h, new Date(due.toMillis() - 60_000));
  await h.settle(clock);
  expect((await h.clockState(clock)).stageEscalations.map((e) => e.kind)).toEqual(['reminder']);
  await advanceTo(h, due.plus({ minutes: 1 }).toJSDate());
  await h.settle(clock);
  expect((await h.clockState(clock)).stageEscalations.map((e) => e.kind)).toEqual(['reminder', 'reminder']);

  await advanceTo(h, due.plus({ days: 1, minutes: 1 }).toJSDate()); // Tuesday 10:01: one business day after
  await h.settle(clock);
  const escalated = await h.clockState(clock);
  expect(escalated.escalationLevel).toBe(2);
  const toDirector = (await h.outbox()).filter((m) => m.audience === 'clinic-director');
  expect(toDirector).toHaveLength(1);
  expect(toDirector[0]!.subject).toContain('Problem list update C-TEST');

  const done = await h.sendClock(clock, {
    type: 'problem-list-updated',
    actor: CASE_MANAGER,
    documentation: { narrative: 'Added housing instability to the problem list.' },
  });
  expect(done.problemListUpdatedAt).toBeDefined();
  const final = await h.waitForClock(clock, (s) => s.stage === 'done');
  expect(final.outcome).toBe('completed-late');
  expect(final.metOnTime).toBe(false);
  const notes = await h.notes();
  expect(notes).toHaveLength(1);
  expect(notes[0]).toMatchObject({
    status: 'Draft',
    serviceCode: 'Care Coordination',
    intervention: expect.stringContaining('Added housing instability'),
  });
});
