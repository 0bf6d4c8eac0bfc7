/**
 * Rules for messages to members: quiet hours (across midnight and daylight-saving changes),
 * frequency caps, reply keywords, Spanish templates, and no health information in any template.
 */
import { DateTime } from 'luxon';
import {
  MEMBER_LANGUAGES,
  MEMBER_NOTICE_KINDS,
  renderForMember,
  SMS_REPLY_KINDS,
  smsReply,
} from '../../activities/templates';
import { outsideQuietHours } from '../../domain/calendar';
import { HEALTH_INFORMATION_FIELDS, healthInformationValues } from '../../domain/health-information';
import { defaultPolicy } from '../../domain/policy';
import { withinReminderCaps } from '../../domain/reminder-caps';
import { replyIntent } from '../../domain/sms-keywords';
import type { TransitionInput } from '../../domain/transfer';
import { directory, memberReminder } from '../support/channel-activities';

const LA = 'America/Los_Angeles';
const la = (iso: string) => DateTime.fromISO(iso, { zone: LA }).toJSDate();
const show = (d: Date) => DateTime.fromJSDate(d, { zone: LA }).toFormat('ccc yyyy-LL-dd HH:mm ZZZZ');
const quiet = (iso: string) => show(outsideQuietHours(la(iso), LA, '21:00', '08:00'));

describe('quiet hours, 21:00 to 08:00 in the member zone', () => {
  test('across midnight: late evening and small hours wait for 08:00; the edges are exact', () => {
    expect(quiet('2026-12-01T20:59')).toBe('Tue 2026-12-01 20:59 PST');
    expect(quiet('2026-12-01T21:00')).toBe('Wed 2026-12-02 08:00 PST');
    expect(quiet('2026-12-01T23:59')).toBe('Wed 2026-12-02 08:00 PST');
    expect(quiet('2026-12-02T00:00')).toBe('Wed 2026-12-02 08:00 PST');
    expect(quiet('2026-12-02T07:59')).toBe('Wed 2026-12-02 08:00 PST');
    expect(quiet('2026-12-02T08:00')).toBe('Wed 2026-12-02 08:00 PST');
  });

  test('across the daylight-saving changes the morning is still 08:00 local', () => {
    // Spring forward, Sunday 2026-03-08 at 02:00: the night is an hour shorter.
    expect(quiet('2026-03-07T23:00')).toBe('Sun 2026-03-08 08:00 PDT');
    expect(
      outsideQuietHours(la('2026-03-07T23:00'), LA, '21:00', '08:00').getTime() - la('2026-03-07T23:00').getTime(),
    ).toBe(8 * 3600_000);
    // Fall back, Sunday 2026-11-01 at 02:00: an hour longer.
    expect(quiet('2026-10-31T22:00')).toBe('Sun 2026-11-01 08:00 PST');
    expect(
      outsideQuietHours(la('2026-10-31T22:00'), LA, '21:00', '08:00').getTime() - la('2026-10-31T22:00').getTime(),
    ).toBe(11 * 3600_000);
  });
});

describe('frequency caps: 1 a day, 3 a week (defaults)', () => {
  const caps = {
    perDay: defaultPolicy().memberMessages.remindersPerDay,
    perWeek: defaultPolicy().memberMessages.remindersPerWeek,
  };
  test('the defaults are DESIGN.md numbers', () => expect(caps).toEqual({ perDay: 1, perWeek: 3 }));
  test('a second reminder the same member day is over the cap; the next day is not', () => {
    const sent = [la('2026-12-01T09:00')];
    expect(withinReminderCaps(la('2026-12-01T20:30'), sent, caps, LA)).toBe(false);
    expect(withinReminderCaps(la('2026-12-02T08:00'), sent, caps, LA)).toBe(true);
  });
  test('the day is the member day, not the UTC day', () => {
    // 20:00 in Los Angeles on Dec 1 is already Dec 2 in UTC.
    expect(withinReminderCaps(la('2026-12-01T20:00'), [la('2026-12-01T09:00')], caps, LA)).toBe(false);
  });
  test('a fourth reminder within 7 days is over the cap; on the 8th day it is allowed', () => {
    const sent = [la('2026-12-01T09:00'), la('2026-12-03T09:00'), la('2026-12-05T09:00')];
    expect(withinReminderCaps(la('2026-12-07T09:00'), sent, caps, LA)).toBe(false);
    expect(withinReminderCaps(la('2026-12-08T09:00'), sent, caps, LA)).toBe(true);
  });
});

test.each([
  ['STOP', 'opt-out'],
  ['stopall', 'opt-out'],
  [' Unsubscribe ', 'opt-out'],
  ['cancel', 'opt-out'],
  ['END', 'opt-out'],
  ['quit.', 'opt-out'],
  ['START', 'opt-in'],
  ['yes', 'opt-in'],
  ['UNSTOP', 'opt-in'],
  ['HELP', 'help'],
  ['info', 'help'],
  ['c', 'confirm'],
  ['C!', 'confirm'],
  ['stop texting me about my appointment', 'other'],
  ['cc', 'other'],
])('reply %j means %s', (body, intent) => {
  expect(replyIntent(body).intent).toBe(intent);
});

const context = {
  programName: 'North County Residential Treatment (ASAM 3.5)',
  programPublicName: 'North County Care Team',
  helpPhone: '+17075550100',
  staffUrl: 'http://web.test/transfers/x',
  partnerActions: '',
  lateParty: '',
  planMember: '',
  timeZone: LA,
};

test('Spanish templates render in Spanish, with the date in Spanish', () => {
  const es = renderForMember(memberReminder({}, { language: 'es' }), context);
  expect(es.text).toBe(
    'Tiene una cita el mié 2 de dic a las 10:00. Responda C para confirmar, HELP para ayuda, STOP para no recibir mensajes.',
  );
  expect(es.subject).toBe('Mensaje de North County Care Team');
  expect(renderForMember(memberReminder({ kind: 'consent-request' }, { language: 'es' }), context).text).toMatch(
    /^North County Care Team: su equipo de atención necesita su firma/,
  );
});

test('no member template, in any language, carries a field marked as health information', () => {
  const input: TransitionInput = {
    referralId: 'R-7K3M9Q2XWD',
    member: {
      memberId: 'M-100234',
      name: 'Maria Lopez Garcia',
      dateOfBirth: '1984-03-09',
      phone: '+17075550987',
      email: 'member.sample@example.org',
      language: 'en',
      timeZone: LA,
      contactPreferences: ['sms'],
    },
    sendingProgramId: 'north-county-residential',
    caseManagerId: 'cm-alvarez',
    receivingProviderId: 'bayside-outpatient',
    fromLevelOfCare: 'asam-3.5',
    toLevelOfCare: 'asam-1.0',
    urgency: 'routine',
    partTwo: true,
    sequestered: true,
    reason: 'Step down to outpatient after opioid use disorder residential phase',
    managedCarePlanId: 'partnership-health-plan',
    policy: defaultPolicy(),
  };
  expect(HEALTH_INFORMATION_FIELDS).toEqual(
    expect.arrayContaining(['fromLevelOfCare', 'toLevelOfCare', 'reason', 'partTwo', 'sequestered']),
  );
  const forbidden = healthInformationValues(input, directory);
  const texts: { what: string; text: string }[] = [];
  for (const kind of MEMBER_NOTICE_KINDS) {
    for (const language of MEMBER_LANGUAGES) {
      const r = renderForMember(memberReminder({ kind }, { language }), context);
      texts.push(
        { what: `${kind}/${language} subject`, text: r.subject },
        { what: `${kind}/${language}`, text: r.text },
      );
    }
  }
  // The SMS replies too, for every program a member may hear from.
  for (const p of directory.programs) {
    for (const kind of SMS_REPLY_KINDS) {
      for (const language of [...MEMBER_LANGUAGES, undefined])
        texts.push({
          what: `${kind} reply ${p.id}/${language}`,
          text: smsReply(kind, language, p.publicName, p.helpPhone),
        });
    }
  }
  expect(texts).toHaveLength(
    MEMBER_NOTICE_KINDS.length * MEMBER_LANGUAGES.length * 2 +
      directory.programs.length * SMS_REPLY_KINDS.length * (MEMBER_LANGUAGES.length + 1),
  );
  for (const { what, text } of texts) {
    const found = forbidden.filter((value) => new RegExp(`(?<!\\w)${escape(value)}(?!\\w)`, 'i').test(text));
    expect({ what, found }).toEqual({ what, found: [] });
  }
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
