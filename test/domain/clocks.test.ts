/** The coordination clocks' pure rules: requests, calendar, note drafts and staff messages. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { renderForStaffOrPartner } from '../../activities/templates';
import { endOfCalendarDayAfter, endOfMonth, monthOf } from '../../domain/calendar';
import { CLOCK_KINDS, CLOCK_WORKFLOW_TYPES, residentialNoticeClockId, ClockId } from '../../domain/clocks/kinds';
import { ClockRequest } from '../../domain/clocks/requests';
import { defaultPolicy } from '../../domain/policy';
import { draftProgressNote } from '../../domain/progress-note';
import * as workflows from '../../workflows';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'clocks');
const cal = defaultPolicy().calendar;
const pt = (iso: string) => DateTime.fromISO(iso, { zone: 'America/Los_Angeles' }).toJSDate();

test('every clock kind runs as an exported workflow of its own', () => {
  for (const kind of CLOCK_KINDS)
    expect(typeof (workflows as Record<string, unknown>)[CLOCK_WORKFLOW_TYPES[kind]]).toBe('function');
  expect(new Set(Object.values(CLOCK_WORKFLOW_TYPES)).size).toBe(CLOCK_KINDS.length);
});

test('each kind has a sample request in fixtures/clocks that validates', () => {
  const files = readdirSync(FIXTURES);
  expect(files.sort()).toEqual(CLOCK_KINDS.map((k) => `${k}.json`).sort());
  for (const f of files)
    expect(ClockRequest.safeParse(JSON.parse(readFileSync(path.join(FIXTURES, f), 'utf8'))).success).toBe(true);
});

test('a bad request is refused with the field named', () => {
  const base = JSON.parse(readFileSync(path.join(FIXTURES, 'residential-notice.json'), 'utf8'));
  const noDate = ClockRequest.safeParse({ ...base, occurredAt: undefined });
  expect(noDate.success).toBe(false);
  expect(noDate.error!.issues[0]!.path).toEqual(['occurredAt']);
  const outpatient = ClockRequest.safeParse({ ...base, levelOfCare: 'asam-1.0' });
  expect(outpatient.error!.issues[0]).toMatchObject({
    path: ['levelOfCare'],
    message: 'expected a residential level of care',
  });
  const unknownKind = ClockRequest.safeParse({ ...base, kind: 'weekly-lunch' });
  expect(unknownKind.error!.issues[0]!.path).toEqual(['kind']);
});

test("a transfer's residential notices have ids derived from the referral id", () => {
  expect(residentialNoticeClockId('R-7K3M9Q2XWD', 'discharge')).toBe('C-7K3M9Q2XWD-discharge');
  expect(ClockId.safeParse('C-7K3M9Q2XWD-discharge').success).toBe(true);
  expect(ClockId.safeParse('C-7K3M9Q2XWD-lunch').success).toBe(false);
});

test('90 calendar days from enrollment ends with the 90th day, county time', () => {
  expect(endOfCalendarDayAfter('2026-12-01', 90, cal).toISOString()).toBe(pt('2027-03-01T23:59:59.999').toISOString());
});

test('a month of plan coordination is due at the first instant of the next county month, across DST too', () => {
  expect(endOfMonth('2026-12', cal).toISOString()).toBe(pt('2027-01-01T00:00:00').toISOString());
  expect(endOfMonth('2027-03', cal).toISOString()).toBe('2027-04-01T07:00:00.000Z'); // PDT
  expect(monthOf(new Date('2027-01-01T07:59:00Z'), cal)).toBe('2026-12'); // still Dec 31 in California
});

test('a progress note draft has the fields seed 004 lists, staff words first', () => {
  const note = draftProgressNote(
    {
      key: 'C-1/note-1',
      subjectId: 'C-1',
      memberId: 'M-1',
      programId: 'p',
      authorId: 'cm-alvarez',
      action: 'crisis follow-up with bayside-outpatient',
      narrative: 'System words.',
      followUp: 'System follow-up.',
      at: '2026-12-07T23:50:00Z',
      documentation: {
        startedAt: '2026-12-07T23:35:00Z',
        endedAt: '2026-12-07T23:45:00Z',
        narrative: 'Called the outpatient counselor.',
        response: 'Member agreed.',
      },
    },
    'America/Los_Angeles',
  );
  expect(note).toMatchObject({
    status: 'Draft',
    serviceCode: 'Care Coordination',
    documentationStart: '2026-12-07T23:35:00Z',
    documentationEnd: '2026-12-07T23:45:00Z',
    presentation: 'See intervention section below.',
    intervention: 'DOCUMENTATION TIME: 3:35 PM - 3:45 PM\nCalled the outpatient counselor.',
    response: 'Member agreed.',
    referrals: '',
    followUp: 'System follow-up.',
  });
});

test("a clock's task names the clock and lists whom to contact", () => {
  const r = renderForStaffOrPartner(
    {
      key: 'k',
      audience: 'case-manager',
      kind: 'stage-request',
      dueAt: '2026-12-06T06:30:00Z',
      routing: {
        referralId: 'C-7K3M9Q2XWD',
        sendingProgramId: 'north-county-residential',
        caseManagerId: 'cm-alvarez',
        receivingProviderId: '',
        clock: { kind: 'crisis-follow-up', workflowId: 'clock-C-7K3M9Q2XWD' },
      },
      facts: {
        stage: 'follow-up-providers',
        deadline: '2026-12-07T06:30:00Z',
        items: ['bayside-outpatient', 'partnership-health-plan'],
      },
    },
    {
      programName: 'North County Residential Treatment (ASAM 3.5)',
      programPublicName: 'North County Care Team',
      helpPhone: '+17075550100',
      staffUrl: 'http://ui/clock-C-7K3M9Q2XWD',
      partnerActions: '',
      lateParty: 'case manager Rosa Alvarez',
      planMember: '',
      timeZone: 'America/Los_Angeles',
    },
  );
  expect(r.subject).toBe(
    "Crisis follow-up C-7K3M9Q2XWD: please follow up after a crisis service with the member's other providers and the plan",
  );
  expect(r.text).toContain('  - bayside-outpatient\n  - partnership-health-plan');
  expect(r.text).toContain('Open the task: http://ui/clock-C-7K3M9Q2XWD');
});
