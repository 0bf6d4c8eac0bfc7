/**
 * The app database's tables, as the query layer sees them. One schema for the embedded PGlite
 * file and for PostgreSQL; `migrations.ts` creates it.
 */
import type { Generated, JSONColumnType } from 'kysely';
import type { ReportRecord } from '../../domain/report-record';
import type { ClockReportRecord } from '../../domain/clocks/report-record';

interface SendLedgerTable {
  /** The business key (Notice.key / disclose key): at most one delivery per key. */
  key: string;
  referral_id: string;
  channel: string;
  /** pending: the provider call may have happened; sent: it did; failed: it did not (retry may send). */
  state: 'pending' | 'sent' | 'failed';
  provider_message_id: string | null;
  attempts: number;
  started_at: string;
  finished_at: string | null;
  last_error: string | null;
}

interface OptOutTable {
  phone: string;
  opted_out: boolean;
  keyword: string;
  changed_at: string;
}

/** Which member's transfer a phone number was last reminded about: how a C reply finds it. */
interface MemberPhoneTable {
  phone: string;
  referral_id: string;
  member_id: string;
  program_id: string;
  recorded_at: string;
  /** The member's language ('en' or 'es'), for keyword replies; null on rows from before it was kept. */
  language: string | null;
  /** Who gets a task when this number opts out or sends an ambiguous reply. */
  case_manager_id: string | null;
}

interface SmsStatusEventTable {
  message_sid: string;
  status: string;
  error_code: string | null;
  received_at: string;
}

interface SmsMessageStatusTable {
  message_sid: string;
  status: string;
  /** Position in Twilio's status order: an update only ever raises it. */
  rank: number;
  error_code: string | null;
  updated_at: string;
}

interface DisclosureTable {
  key: string;
  referral_id: string;
  provider_id: string;
  recipient: string;
  purpose: string;
  categories: string;
  consent_id: string | null;
  disclosed_at: string;
  /** Null only on rows written before the member was kept. */
  member_id: string | null;
  id: Generated<number>;
}

interface StaffSessionTable {
  id: string;
  secret_digest: string;
  user_id: string;
  role: string;
  started_at: string;
  expires_at: string;
}

interface TransferMemberTable {
  referral_id: string;
  member_id: string;
  name: string | null;
  date_of_birth: string | null;
  recorded_at: string;
}

interface ApiTokenTable {
  id: string;
  secret_digest: string;
  user_id: string;
  role: string;
  label: string;
  issued_by: string;
  issued_at: string;
  revoked_at: string | null;
}

interface ReportTransferTable {
  referral_id: string;
  /** Whose transfer: only for finding a member's records (the accounting of disclosures), never in a report. */
  member_id: string | null;
  started_at: string;
  sending_program: string;
  receiving_provider: string;
  case_manager: string;
  /** What the list showed when the record was read (status, stage, waiting on, level): a change means read again. */
  seen: string;
  record: JSONColumnType<ReportRecord>;
}

interface ReportClockTable {
  clock_id: string;
  started_at: string;
  sending_program: string;
  case_manager: string;
  seen: string;
  record: JSONColumnType<ClockReportRecord>;
}

export interface AppDatabase {
  send_ledger: SendLedgerTable;
  opt_outs: OptOutTable;
  member_phones: MemberPhoneTable;
  sms_status_events: SmsStatusEventTable;
  sms_message_status: SmsMessageStatusTable;
  disclosures: DisclosureTable;
  staff_sessions: StaffSessionTable;
  api_tokens: ApiTokenTable;
  transfer_members: TransferMemberTable;
  report_transfers: ReportTransferTable;
  report_clocks: ReportClockTable;
}
