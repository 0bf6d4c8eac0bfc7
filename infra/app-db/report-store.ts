/**
 * The reporting store: one row per transfer and per coordination clock with its report record
 * (domain/report-record.ts, domain/clocks/report-record.ts). Saving is an upsert, so the sweep and
 * a rebuild may write the same one any number of times.
 */
import type { ClockReportRecord } from '../../domain/clocks/report-record';
import type { ReportRecord } from '../../domain/report-record';
import type { AppDb } from './open-app-db';

export interface ReportScope {
  /** Transfers started from this instant (inclusive) ... */
  from: Date;
  /** ... up to this one (exclusive). */
  to: Date;
  sendingProgram?: string;
  receivingProvider?: string;
  caseManager?: string;
}

export class ReportStore {
  constructor(private readonly db: AppDb) {}

  async save(record: ReportRecord, seen: string, memberId: string | null = null): Promise<void> {
    const row = {
      member_id: memberId,
      started_at: record.startedAt,
      sending_program: record.sendingProgram,
      receiving_provider: record.receivingProvider,
      case_manager: record.caseManager,
      seen,
      record: JSON.stringify(record),
    };
    await this.db
      .insertInto('report_transfers')
      .values({ referral_id: record.referralId, ...row })
      .onConflict((oc) => oc.column('referral_id').doUpdateSet(row))
      .execute();
  }

  /** Referral id → what the list showed when its record was last saved. */
  async seen(): Promise<Map<string, string>> {
    const rows = await this.db.selectFrom('report_transfers').select(['referral_id', 'seen']).execute();
    return new Map(rows.map((r) => [r.referral_id, r.seen]));
  }

  async records(scope: ReportScope): Promise<ReportRecord[]> {
    let q = this.db
      .selectFrom('report_transfers')
      .select('record')
      .where('started_at', '>=', scope.from.toISOString())
      .where('started_at', '<', scope.to.toISOString());
    if (scope.sendingProgram) q = q.where('sending_program', '=', scope.sendingProgram);
    if (scope.receivingProvider) q = q.where('receiving_provider', '=', scope.receivingProvider);
    if (scope.caseManager) q = q.where('case_manager', '=', scope.caseManager);
    const rows = await q.orderBy('started_at').orderBy('referral_id').execute();
    return rows.map((r) => r.record);
  }

  async saveClock(record: ClockReportRecord, seen: string): Promise<void> {
    const row = {
      started_at: record.startedAt,
      sending_program: record.sendingProgram,
      case_manager: record.caseManager,
      seen,
      record: JSON.stringify(record),
    };
    await this.db
      .insertInto('report_clocks')
      .values({ clock_id: record.clockId, ...row })
      .onConflict((oc) => oc.column('clock_id').doUpdateSet(row))
      .execute();
  }

  async seenClocks(): Promise<Map<string, string>> {
    const rows = await this.db.selectFrom('report_clocks').select(['clock_id', 'seen']).execute();
    return new Map(rows.map((r) => [r.clock_id, r.seen]));
  }

  /** Clocks started in the scope's period, for its program and case manager (clocks have no receiving provider). */
  async clockRecords(scope: ReportScope): Promise<ClockReportRecord[]> {
    let q = this.db
      .selectFrom('report_clocks')
      .select('record')
      .where('started_at', '>=', scope.from.toISOString())
      .where('started_at', '<', scope.to.toISOString());
    if (scope.sendingProgram) q = q.where('sending_program', '=', scope.sendingProgram);
    if (scope.caseManager) q = q.where('case_manager', '=', scope.caseManager);
    const rows = await q.orderBy('started_at').orderBy('clock_id').execute();
    return rows.map((r) => r.record);
  }

  async clear(): Promise<void> {
    await this.db.deleteFrom('report_transfers').execute();
    await this.db.deleteFrom('report_clocks').execute();
  }
}
