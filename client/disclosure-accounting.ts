/**
 * The accounting of disclosures a member may ask for (45 CFR 164.528; 42 CFR 2.24 for Part 2
 * records): each disclosure of their records the product made or staff recorded, with its date,
 * the recipient, what was disclosed, why, and under which consent. One reading for the CLI, the
 * staff page, the JSON API and the printed letter. The county lists every disclosure, including
 * those for treatment, which the HIPAA accounting may leave out: Part 2 asks for them.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import {
  DbDisclosureLog,
  type DisclosureLog,
  type DisclosurePurpose,
  type DisclosureRecord,
} from '../activities/disclosure-log';
import { findPlan, findProvider, type Directory } from '../domain/directory';
import { appDbUrl, openAppDb, type AppDb } from '../infra/app-db/open-app-db';
import { loadChannelConfig } from '../infra/channel-config';
import type { RuntimeConfig } from '../infra/config';
import { loadDirectory, loadPolicy } from '../infra/config-files';
import { parseInput } from './parse-input';
import { InvalidInputError } from './service-errors';
import { memberKnown } from '../infra/app-db/known-members';

/** 45 CFR 164.528(a)(1): the six years before the request, unless the member asks for less. */
const DEFAULT_YEARS = 6;

/** Dates are county calendar days, both ends included. */
const AccountingRequest = z
  .object({
    memberId: z.string().trim().min(1).max(100),
    from: z.iso.date().optional(),
    to: z.iso.date().optional(),
  })
  .strict()
  .refine((r) => !r.from || !r.to || r.from <= r.to, { path: ['to'], message: 'must not be before from' });

const PURPOSES: Record<DisclosurePurpose, string> = {
  'referral-packet': 'Referral to a new level of care (referral packet)',
  'discharge-summary': 'Discharge summary for the receiving provider',
  'residential-admission-notice': 'Residential admission notice to the managed care plan',
  'residential-discharge-notice': 'Residential discharge notice to the managed care plan',
  'care-coordination-contact': 'Care coordination contact',
};

interface AccountedDisclosure {
  disclosedAt: string;
  recipientId: string;
  /** The provider's or plan's name, then where it went. */
  recipient: string;
  categories: string[];
  purpose: string;
  consentId: string | null;
  /** The transfer or coordination clock it belongs to (staff follow it there). */
  referralId: string;
}

export interface DisclosureAccounting {
  memberId: string;
  /** The period, as county calendar days (both included), and the zone they are read in. */
  from: string;
  to: string;
  timeZone: string;
  disclosures: AccountedDisclosure[];
}

async function disclosureAccounting(
  log: DisclosureLog,
  known: (memberId: string) => Promise<boolean>,
  directory: Directory,
  timeZone: string,
  input: unknown,
  now: Date,
): Promise<DisclosureAccounting> {
  const request = parseInput(AccountingRequest, input);
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');
  const to = request.to ? DateTime.fromISO(request.to, { zone: timeZone }) : today;
  const from = request.from ? DateTime.fromISO(request.from, { zone: timeZone }) : to.minus({ years: DEFAULT_YEARS });
  const records = await log.forMember(request.memberId, from.toJSDate(), to.plus({ days: 1 }).toJSDate());
  if (records.length === 0 && !(await known(request.memberId)))
    throw new InvalidInputError([
      { field: 'memberId', message: 'no referral or disclosure on record for this member id' },
    ]);
  return {
    memberId: request.memberId,
    from: from.toISODate()!,
    to: to.toISODate()!,
    timeZone,
    disclosures: records.map((r) => accounted(r, directory)),
  };
}

function accounted(r: DisclosureRecord, directory: Directory): AccountedDisclosure {
  const name = findProvider(directory, r.providerId)?.name ?? findPlan(directory, r.providerId)?.name ?? r.providerId;
  return {
    disclosedAt: r.disclosedAt,
    recipientId: r.providerId,
    // Contacts staff recorded already read "Name (phone)".
    recipient: r.recipient.startsWith(name) ? r.recipient : `${name} (${r.recipient})`,
    categories: r.categories,
    purpose: PURPOSES[r.purpose] ?? r.purpose,
    consentId: r.consentId,
    referralId: r.referralId,
  };
}

export interface AccountingReader {
  read(input: unknown, now: Date): Promise<DisclosureAccounting>;
  close(): Promise<void>;
}

/**
 * Reads accountings from the app database, opened on first use (the CLI's `--help` needs none);
 * with `opened`, through that database, which the caller closes.
 */
export function openAccountings(config: RuntimeConfig, opened?: AppDb): AccountingReader {
  let db: Promise<AppDb> | undefined = opened && Promise.resolve(opened);
  const directory = loadDirectory(config.REFERRALS_DIRECTORY_FILE);
  const timeZone = loadPolicy(config.REFERRALS_POLICY_FILE).calendar.timeZone;
  return {
    async read(input, now) {
      // Bad input is refused before any database is looked for.
      parseInput(AccountingRequest, input);
      db ??= openAppDb(appDbUrl(loadChannelConfig().APP_DATABASE_URL, config.REFERRALS_DATA_DIR));
      const appDb = await db;
      const known = (memberId: string) => memberKnown(appDb, memberId);
      return disclosureAccounting(new DbDisclosureLog(appDb), known, directory, timeZone, input, now);
    },
    async close() {
      if (db && !opened)
        await db.then(
          (d) => d.destroy(),
          () => undefined,
        );
    },
  };
}

/** A disclosure's date and time as the county reads it. */
export const localTime = (iso: string, timeZone: string): string =>
  DateTime.fromISO(iso, { zone: timeZone }).toFormat('yyyy-MM-dd HH:mm');
