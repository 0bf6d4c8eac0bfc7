/**
 * Schema migrations, plain SQL that PGlite and PostgreSQL both run. Append new ones; never edit
 * one that has shipped (the migrator records names and refuses a changed history).
 */
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

const MIGRATIONS: Record<string, Migration> = {
  '001-channels': {
    async up(db: Kysely<unknown>) {
      await sql`
        create table send_ledger (
          key text primary key,
          referral_id text not null,
          channel text not null,
          state text not null check (state in ('pending', 'sent', 'failed')),
          provider_message_id text,
          attempts integer not null default 1,
          started_at text not null,
          finished_at text,
          last_error text
        )`.execute(db);
      await sql`
        create table opt_outs (
          phone text primary key,
          opted_out boolean not null,
          keyword text not null,
          changed_at text not null
        )`.execute(db);
      await sql`
        create table member_phones (
          phone text not null,
          referral_id text not null,
          member_id text not null,
          program_id text not null,
          recorded_at text not null,
          primary key (phone, referral_id)
        )`.execute(db);
      await sql`
        create table sms_status_events (
          message_sid text not null,
          status text not null,
          error_code text,
          received_at text not null,
          primary key (message_sid, status)
        )`.execute(db);
      await sql`
        create table sms_message_status (
          message_sid text primary key,
          status text not null,
          rank integer not null,
          error_code text,
          updated_at text not null
        )`.execute(db);
      await sql`
        create table disclosures (
          id serial primary key,
          key text not null unique,
          referral_id text not null,
          provider_id text not null,
          recipient text not null,
          purpose text not null,
          categories text not null,
          consent_id text,
          disclosed_at text not null
        )`.execute(db);
    },
  },
  '002-member-phone-language': {
    async up(db: Kysely<unknown>) {
      await sql`alter table member_phones add column language text, add column case_manager_id text`.execute(db);
    },
  },
  // The accounting of disclosures is asked for by member (45 CFR 164.528, 42 CFR 2.24).
  '003-disclosure-member': {
    async up(db: Kysely<unknown>) {
      await sql`alter table disclosures add column member_id text`.execute(db);
      await sql`create index disclosures_by_member on disclosures (member_id, disclosed_at)`.execute(db);
    },
  },
  '004-revoked-sessions': {
    async up(db: Kysely<unknown>) {
      await sql`create table revoked_sessions (sid text primary key, expires_at text not null)`.execute(db);
    },
  },
  // The reporting store (docs/reports.md): one row per transfer, rebuildable from Temporal.
  '005-report-transfers': {
    async up(db: Kysely<unknown>) {
      await sql`
        create table report_transfers (
          referral_id text primary key,
          member_id text,
          started_at text not null,
          sending_program text not null,
          receiving_provider text not null,
          case_manager text not null,
          seen text not null,
          record jsonb not null
        )`.execute(db);
      await sql`create index report_transfers_by_start on report_transfers (started_at)`.execute(db);
      await sql`create index report_transfers_by_member on report_transfers (member_id)`.execute(db);
      await sql`
        create table report_clocks (
          clock_id text primary key,
          started_at text not null,
          sending_program text not null,
          case_manager text not null,
          seen text not null,
          record jsonb not null
        )`.execute(db);
      await sql`create index report_clocks_by_start on report_clocks (started_at)`.execute(db);
    },
  },
  // Sessions kept on the server (sign-out and an admin end one at once) and the CLI's personal
  // API tokens; both stored as SHA-256 digests of what the holder presents.
  '006-staff-sessions-api-tokens': {
    async up(db: Kysely<unknown>) {
      await sql`drop table revoked_sessions`.execute(db);
      await sql`
        create table staff_sessions (
          id text primary key,
          secret_digest text not null unique,
          user_id text not null,
          role text not null,
          started_at text not null,
          expires_at text not null
        )`.execute(db);
      await sql`
        create table api_tokens (
          id text primary key,
          secret_digest text not null unique,
          user_id text not null,
          role text not null,
          label text not null,
          issued_by text not null,
          issued_at text not null,
          revoked_at text
        )`.execute(db);
    },
  },
  // Who each transfer is for, so signed-in staff can find a member by name (docs/web.md).
  '007-transfer-members': {
    async up(db: Kysely<unknown>) {
      await sql`
        create table transfer_members (
          referral_id text primary key,
          member_id text not null,
          name text,
          date_of_birth text,
          recorded_at text not null
        )`.execute(db);
      await sql`create index transfer_members_by_member on transfer_members (member_id)`.execute(db);
    },
  },
};

export const migrationProvider: MigrationProvider = { getMigrations: async () => MIGRATIONS };
