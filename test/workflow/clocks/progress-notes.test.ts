/** Seed 004: one care coordination progress note draft per coordination action, in the county's format, marked Draft. */
import path from 'node:path';
import { DateTime } from 'luxon';
import pino from 'pino';
import { createActivities } from '../../../activities';
import { FileDisclosureLog } from '../../../activities/disclosure-log';
import { FixtureEhr } from '../../../activities/ehr-adapter';
import { LocalOutbox } from '../../../activities/outbox';
import { loadDirectory } from '../../../infra/config-files';
import { advanceTo, advanceToNext, clockRequest, ZONE } from '../../support/clock-requests';
import {
  CASE_MANAGER,
  consentFor,
  EventRefused,
  partner,
  sampleRequest,
  useTransferHarness,
} from '../../support/transfer-harness';
import { CalendarSettings } from '../../../domain/policy';
import { arrangeHandoff, closeTheEpisode, informAndConsent } from '../../support/drive';
import { expectCountyFormat } from '../../support/note-drafts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const h = useTransferHarness();

test('a transfer through the happy path leaves one draft per coordination action, each filed once', async () => {
  const handle = await h.start(sampleRequest());
  await informAndConsent(h, handle, [{ providerId: 'bayside-outpatient' }]);
  await h.send(handle, { type: 'packet-acknowledged', actor: partner('bayside-outpatient') });
  const appointmentAt = new Date((await h.now()).getTime() + 5 * DAY);
  appointmentAt.setUTCHours(18, 0, 0, 0);
  await h.send(handle, {
    type: 'appointment-scheduled',
    actor: partner('bayside-outpatient'),
    appointmentAt: appointmentAt.toISOString(),
  });
  await arrangeHandoff(h, handle);
  await h.settle(handle);
  await h.advance(appointmentAt.getTime() - (await h.now()).getTime() + HOUR);
  await h.waitFor(handle, (s) => s.stage === 'confirm-attendance');
  await h.send(handle, { type: 'attendance-confirmed', actor: partner('bayside-outpatient') });
  await h.waitFor(handle, (s) => s.stage === 'close-episode');
  await closeTheEpisode(h, handle);
  const final = await handle.result();
  expect(final.outcome).toBe('linked');

  const notes = (await h.notes()).filter((n) => n.subjectId === final.referralId);
  expect(notes.map((n) => n.action).sort()).toEqual(
    [
      'member informed of referral',
      'referral packet sent',
      'services scheduled confirmed',
      'warm handoff',
      'attendance confirmed',
      'episode closed',
      'discharge summary sent',
    ].sort(),
  );
  expect(new Set(notes.map((n) => n.key)).size).toBe(notes.length);
  for (const n of notes) expectCountyFormat(n);
  const byAction = Object.fromEntries(notes.map((n) => [n.action, n]));
  expect(byAction['member informed of referral']!.authorId).toBe('cm-alvarez');
  expect(byAction['attendance confirmed']!.authorId).toBe('bayside-outpatient');
  expect(byAction['referral packet sent']!.intervention).toContain('Sent the referral packet to bayside-outpatient');
  expect(byAction['warm handoff']!.intervention).toContain('introductions made; transportation arranged');

  // The activity runs again with the same key (a retry, a replay): the EHR keeps the one draft.
  const activities = createActivities({
    directory: loadDirectory(path.resolve(__dirname, '../../../config/directory.json')),
    ehr: new FixtureEhr(h.ehrDir, h.dataDir),
    outbox: new LocalOutbox(path.join(h.dataDir, 'outbox')),
    disclosures: new FileDisclosureLog(path.join(h.dataDir, 'disclosures')),
    temporalUiUrl: 'http://localhost:8233',
    namespace: 'default',
    webUrl: 'http://web.test',
    calendar: CalendarSettings.parse({ timeZone: ZONE }),
    logger: pino({ level: 'silent' }),
  });
  const first = byAction['member informed of referral']!;
  const again = await activities.draftProgressNote({
    key: first.key,
    subjectId: first.subjectId,
    memberId: first.memberId,
    programId: first.programId,
    authorId: first.authorId,
    action: first.action,
    narrative: 'A second run of the same action.',
    followUp: first.followUp,
    at: new Date().toISOString(),
  });
  expect(again).toBe('already-drafted');
  const after = (await h.notes()).filter((n) => n.subjectId === final.referralId);
  expect(after).toHaveLength(notes.length);
  expect(after.find((n) => n.key === first.key)).toEqual(first);
});

test("staff's documentation on a clock event lands verbatim in the draft, with the documentation time in county time", async () => {
  const wednesday = DateTime.fromJSDate(await advanceToNext(h, 3, 14), { zone: ZONE });
  const clock = await h.startClock(
    clockRequest('problem-list-update', { changedAt: wednesday.set({ hour: 9 }).toJSDate().toISOString() }),
  );
  const started = await h.waitForClock(clock, (s) => s.stage === 'update-problem-list');
  await h.settle(clock);
  const documentation = {
    startedAt: wednesday.set({ hour: 11, minute: 30 }).toUTC().toISO()!,
    endedAt: wednesday.set({ hour: 12, minute: 10 }).toUTC().toISO()!,
    narrative:
      'Met with the member by phone to review the change in housing; added housing instability to the problem list with the member agreeing.',
    response: 'Member was engaged and agreed with the update.',
    referrals: 'Referred to the county housing navigation line.',
    followUp: 'Review housing goals at the next session; update the RSS plan.',
  };
  await h.sendClock(clock, { type: 'problem-list-updated', actor: CASE_MANAGER, documentation });
  await h.waitForClock(clock, (s) => s.stage === 'done');
  const notes = (await h.notes()).filter((n) => n.subjectId === started.clockId);
  expect(notes).toHaveLength(1);
  const note = notes[0]!;
  expectCountyFormat(note);
  expect(note).toMatchObject({
    key: `${started.clockId}/note-1`,
    authorId: 'cm-alvarez',
    documentationStart: documentation.startedAt,
    documentationEnd: documentation.endedAt,
    intervention: `DOCUMENTATION TIME: 11:30 AM - 12:10 PM\n${documentation.narrative}`,
    response: documentation.response,
    referrals: documentation.referrals,
    followUp: documentation.followUp,
    presentation: 'See intervention section below.',
  });
});

test('documentation that ends before it starts is rejected, naming endedAt, and drafts nothing', async () => {
  const wednesday = DateTime.fromJSDate(await advanceToNext(h, 3, 14), { zone: ZONE });
  const clock = await h.startClock(
    clockRequest('monthly-plan-coordination', {
      managedCarePlanId: 'partnership-health-plan',
      consents: [consentFor([{ providerId: 'partnership-health-plan' }])],
    }),
  );
  const started = await h.waitForClock(clock, (s) => s.stage === 'coordinate-with-plan');
  await h.settle(clock);
  const backwards = {
    startedAt: wednesday.set({ hour: 13 }).toUTC().toISO()!,
    endedAt: wednesday.set({ hour: 12 }).toUTC().toISO()!,
    narrative: 'Called the plan.',
  };

  const rejected = await h
    .sendClock(clock, {
      type: 'contact-made',
      actor: CASE_MANAGER,
      with: 'partnership-health-plan',
      method: 'phone',
      documentation: backwards,
    })
    .then(
      () => null,
      (err: unknown) => err,
    );
  expect(rejected).toBeInstanceOf(EventRefused);
  expect((rejected as EventRefused).message).toMatch(/documentation\.endedAt: endedAt is before startedAt/);
  // Sent as a signal, it is recorded as ignored, with the same reason.
  await h.signalClock(clock, {
    type: 'contact-made',
    actor: CASE_MANAGER,
    with: 'partnership-health-plan',
    method: 'phone',
    documentation: backwards,
  });
  let s = await h.waitForClock(clock, (x) => x.timeline.some((t) => t.kind === 'ignored-event'), 'the ignored signal');
  const ignored = s.timeline.find((t) => t.kind === 'ignored-event');
  expect(ignored).toMatchObject({ type: 'contact-made', reason: expect.stringContaining('endedAt') });
  await h.settle(clock);
  s = await h.clockState(clock);
  expect(s.contacts).toEqual([]);
  expect(s.notesDrafted).toBe(0);
  expect(s.metAt).toBeUndefined();
  expect((await h.notes()).filter((n) => n.subjectId === started.clockId)).toEqual([]);

  // Instants, not strings, are compared: 1 PM county time written with its offset is after noon written in UTC.
  const oneLocal = wednesday.set({ hour: 13 }).toISO()!; // …T13:00:00.000-08:00 (or -07:00)
  const noonUtc = wednesday.set({ hour: 12 }).toUTC().toISO()!; // …T20:00:00.000Z (or 19:00)
  const mixedBackwards = await h
    .sendClock(clock, {
      type: 'contact-made',
      actor: CASE_MANAGER,
      with: 'partnership-health-plan',
      method: 'phone',
      documentation: { ...backwards, startedAt: oneLocal, endedAt: noonUtc },
    })
    .then(
      () => null,
      (err: unknown) => err,
    );
  expect(mixedBackwards).toBeInstanceOf(EventRefused);
  expect((mixedBackwards as EventRefused).message).toMatch(/endedAt/);
  expect((await h.clockState(clock)).contacts).toEqual([]);

  // The same contact with its times the right way round (offsets mixed) is accepted and drafted.
  await advanceTo(h, wednesday.plus({ minutes: 30 }).toJSDate());
  await h.sendClock(clock, {
    type: 'contact-made',
    actor: CASE_MANAGER,
    with: 'partnership-health-plan',
    method: 'phone',
    documentation: { ...backwards, startedAt: noonUtc, endedAt: oneLocal },
  });
  await h.waitForClock(clock, (x) => x.notesDrafted === 1);
  await h.settle(clock);
  const notes = (await h.notes()).filter((n) => n.subjectId === started.clockId);
  expect(notes).toHaveLength(1);
  expect(notes[0]!.intervention).toBe('DOCUMENTATION TIME: 12:00 PM - 1:00 PM\nCalled the plan.');
});
