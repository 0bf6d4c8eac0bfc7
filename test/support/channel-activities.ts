/**
 * The real activities over real channels, outside Temporal: the same functions the worker runs,
 * called directly, with an in-memory app database (PGlite) and the fixture EHR.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import pino from 'pino';
import { createActivities } from '../../activities';
import { createEmailChannel } from '../../activities/channels/email-channel';
import { createSmsChannel, type TwilioClientOptions } from '../../activities/channels/sms-channel';
import { ChannelCourier } from '../../activities/courier';
import { DbDisclosureLog } from '../../activities/disclosure-log';
import { FixtureEhr } from '../../activities/ehr-adapter';
import { PartnerLinks } from '../../activities/partner-links';
import type { Notice } from '../../domain/notices';
import { MemberContacts } from '../../infra/app-db/member-contacts';
import type { AppDb } from '../../infra/app-db/open-app-db';
import { openTestDb } from './app-db';
import { SendLedger } from '../../infra/app-db/send-ledger';
import { loadChannelConfig } from '../../infra/channel-config';
import { loadDirectory } from '../../infra/config-files';
import { CalendarSettings } from '../../domain/policy';

const ROOT = path.resolve(__dirname, '../..');
/** Signs the packet email's partner links, so tests can check them. */
export const testPartnerLinks = new PartnerLinks(Buffer.alloc(32, 7), 'http://web.test', 24);
export const directory = loadDirectory(path.join(ROOT, 'config', 'directory.json'));

export async function channelActivities(
  env: NodeJS.ProcessEnv,
  opts: { ledger?: (db: AppDb) => SendLedger; twilio?: TwilioClientOptions } = {},
) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'referrals-channels-'));
  const ehrDir = path.join(dataDir, 'ehr');
  cpSync(path.join(ROOT, 'fixtures', 'ehr'), ehrDir, { recursive: true });
  const { db, drop } = await openTestDb();
  const config = loadChannelConfig(env);
  const email = createEmailChannel(config, path.join(dataDir, 'mailbox'));
  const sms = createSmsChannel(config, path.join(dataDir, 'sms'), opts.twilio);
  const contacts = new MemberContacts(db);
  const ledger = opts.ledger?.(db) ?? new SendLedger(db);
  const disclosures = new DbDisclosureLog(db);
  const logger = pino({ level: 'silent' });
  const activities = createActivities({
    directory,
    ehr: new FixtureEhr(ehrDir, dataDir),
    outbox: new ChannelCourier({ ledger, contacts, email, sms, logger }),
    disclosures,
    temporalUiUrl: 'http://localhost:8233',
    partnerLinks: testPartnerLinks,
    namespace: 'default',
    webUrl: 'http://web.test',
    calendar: CalendarSettings.parse({ timeZone: 'America/Los_Angeles' }),
    logger,
  });
  return {
    activities,
    db,
    contacts,
    ledger,
    disclosures,
    dataDir,
    async close() {
      email.close();
      await drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const ROUTING = {
  referralId: 'R-7K3M9Q2XWD',
  sendingProgramId: 'north-county-residential',
  caseManagerId: 'cm-alvarez',
  receivingProviderId: 'bayside-outpatient',
  managedCarePlanId: 'partnership-health-plan',
};

export function memberReminder(
  overrides: Partial<Notice> = {},
  member: Partial<NonNullable<Notice['member']>> = {},
): Notice {
  return {
    key: `R-7K3M9Q2XWD/member/appointment-reminder/2026-12-02T18:00:00.000Z-1`,
    audience: 'member',
    kind: 'appointment-reminder',
    routing: ROUTING,
    member: {
      memberId: 'M-100234',
      phone: '+17075550987',
      email: 'member.sample@example.org',
      language: 'en',
      timeZone: 'America/Los_Angeles',
      contactPreferences: ['sms', 'email'],
      ...member,
    },
    facts: { appointmentAt: '2026-12-02T18:00:00.000Z' },
    dueAt: '2026-11-30T18:00:00.000Z',
    ...overrides,
  };
}

export function escalation(level: 2 | 3): Notice {
  return {
    key: `R-7K3M9Q2XWD/escalation/send-packet/${level}`,
    audience: level === 2 ? 'clinic-director' : 'contract-monitor',
    kind: 'escalation',
    routing: ROUTING,
    facts: {
      stage: 'send-packet',
      waitingOn: 'partner',
      waitingSince: '2026-11-16T17:00:00.000Z',
      deadline: '2026-11-17T17:00:00.000Z',
      level,
      escalateTo: level === 2 ? 'clinic-director' : 'contract-monitor',
      waitedBusinessDays: 4,
    },
    dueAt: '2026-11-20T17:00:00.000Z',
  };
}

/**
 * A provider's failed send, as the courier lets it out: the error (the SDK logs the whole object
 * on each failed attempt) and the ledger's failed row must not hold the recipient's contact.
 */
export async function expectFailedSendWithout(
  c: Awaited<ReturnType<typeof channelActivities>>,
  key: string,
  err: unknown,
  contact: string,
): Promise<void> {
  expect(err).toBeInstanceOf(Error);
  expect(inspect(err, { depth: 10, showHidden: true })).not.toContain(contact);
  const row = await c.ledger.get(key);
  expect(row).toMatchObject({ state: 'failed' });
  expect(JSON.stringify(row)).not.toContain(contact);
}
