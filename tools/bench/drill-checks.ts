/**
 * What every drill checks afterwards: each transfer reached its expected outcome, no message went
 * out twice (from the send ledger), and no worker slot stayed stuck (a fresh transfer still runs
 * its first activities promptly on the same worker).
 */
import { sql } from 'kysely';
import type { TransferService } from '../../client/transfer-service';
import type { TransferState } from '../../domain/state';
import { appDbUrl, openAppDb } from '../../infra/app-db/open-app-db';
import { loadChannelConfig } from '../../infra/channel-config';
import { benchRequest } from './simulated-people';
import { sleep } from './pool';

export interface LedgerCounts {
  rows: number;
  sent: number;
  /** Left pending by a crash mid-send: never resent automatically (activities/courier.ts). */
  inDoubt: number;
  /** Sent after an earlier attempt failed before reaching the provider. */
  retriedAfterFailure: number;
  /** Keys recorded sent more than once: must be 0 (the key is the table's primary key). */
  sentTwice: number;
}

/** Reads the send ledger: how many messages, and whether any went out twice. */
export async function ledgerCounts(env: NodeJS.ProcessEnv, dataDir: string): Promise<LedgerCounts> {
  const db = await openAppDb(appDbUrl(loadChannelConfig(env).APP_DATABASE_URL, dataDir));
  try {
    const row = await db
      .selectFrom('send_ledger')
      .select([
        sql<number>`count(*)::int`.as('rows'),
        sql<number>`count(*) filter (where state = 'sent')::int`.as('sent'),
        sql<number>`count(*) filter (where state = 'pending')::int`.as('inDoubt'),
        sql<number>`count(*) filter (where state = 'sent' and attempts > 1)::int`.as('retriedAfterFailure'),
        sql<number>`(count(*) - count(distinct key))::int`.as('sentTwice'),
      ])
      .executeTakeFirstOrThrow();
    return row;
  } finally {
    await db.destroy();
  }
}

export function outcomeProblems(finals: TransferState[], expected: string): string[] {
  return finals
    .filter((s) => s.outcome !== expected)
    .map((s) => `${s.referralId} ended ${s.outcome ?? s.stage}, expected ${expected}`);
}

/** A transfer started after the drill reaches its first wait within `withinMs`: slots are free. */
export async function slotsFree(service: TransferService, withinMs = 30_000): Promise<boolean> {
  const { referralId } = await service.startTransfer(benchRequest());
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    const state = await service.getTransfer(referralId).catch(() => undefined);
    if (state?.consentNeeded !== null && state?.consentNeeded !== undefined) {
      await service.withdraw(referralId, 'drill probe', { role: 'case-manager', id: 'cm-alvarez' });
      return true;
    }
    await sleep(500);
  }
  return false;
}

/** Message-IDs the ledger records as sent by email (packets, escalations, tasks): each must have reached the SMTP server. */
export async function sentEmailMessageIds(env: NodeJS.ProcessEnv, dataDir: string): Promise<string[]> {
  const db = await openAppDb(appDbUrl(loadChannelConfig(env).APP_DATABASE_URL, dataDir));
  try {
    const rows = await db
      .selectFrom('send_ledger')
      .select('provider_message_id')
      .where('channel', '<>', 'sms')
      .where('state', '=', 'sent')
      .execute();
    return rows.map((r) => r.provider_message_id).filter((id): id is string => id !== null);
  } finally {
    await db.destroy();
  }
}
