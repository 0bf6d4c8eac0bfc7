/** The `start` command's flags: each fills one field of the transfer request (domain/transfer.ts). */
import { Option } from 'commander';
import { LevelOfCare, Urgency } from '../../domain/stages';
import type { FieldFlag } from './field-flags';

const list = (raw: string) =>
  raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export const START_FLAGS: readonly FieldFlag[] = [
  { option: new Option('--referral-id <id>', 'use this referral id instead of a new one'), path: ['referralId'] },
  {
    option: new Option('--member-id <id>', "the member's id in the EHR (never shown in ids or the UI)"),
    path: ['member', 'memberId'],
  },
  { option: new Option('--phone <e164>', "the member's mobile number, like +15105550123"), path: ['member', 'phone'] },
  { option: new Option('--email <address>', "the member's email address"), path: ['member', 'email'] },
  {
    option: new Option('--language <code>', 'language for messages to the member').choices(['en', 'es']),
    path: ['member', 'language'],
  },
  {
    option: new Option('--time-zone <iana>', "the member's time zone, like America/Los_Angeles"),
    path: ['member', 'timeZone'],
  },
  {
    option: new Option('--contact-preferences <list>', 'channels for member messages, like sms,email'),
    path: ['member', 'contactPreferences'],
    parse: list,
  },
  { option: new Option('--sending-program <id>', 'directory id of the sending program'), path: ['sendingProgramId'] },
  { option: new Option('--case-manager <id>', 'directory id of the primary case manager'), path: ['caseManagerId'] },
  {
    option: new Option('--receiving-provider <id>', 'directory id of the receiving provider'),
    path: ['receivingProviderId'],
  },
  {
    option: new Option('--from-level <level>', 'current level of care').choices(LevelOfCare.options),
    path: ['fromLevelOfCare'],
  },
  {
    option: new Option('--to-level <level>', 'new level of care').choices(LevelOfCare.options),
    path: ['toLevelOfCare'],
  },
  { option: new Option('--urgency <urgency>', 'routine or urgent').choices(Urgency.options), path: ['urgency'] },
  { option: new Option('--part-two', 'records include SUD treatment information (42 CFR Part 2)'), path: ['partTwo'] },
  { option: new Option('--no-part-two', 'records include no Part 2 information'), path: ['partTwo'] },
  { option: new Option('--sequestered', "the member's chart is sequestered"), path: ['sequestered'] },
  { option: new Option('--reason <text>', 'why the member is being referred'), path: ['reason'] },
  {
    option: new Option('--managed-care-plan <id>', "directory id of the member's managed care plan"),
    path: ['managedCarePlanId'],
  },
];
