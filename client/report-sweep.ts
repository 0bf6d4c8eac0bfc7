/**
 * Keeps the reporting store up to date from Temporal. One list call (search attributes) shows
 * every transfer's status, stage, waiting-on and escalation level; only the transfers whose
 * figures changed since their record was saved are read (their result once ended, else a
 * query). A rebuild clears the store and reads every transfer, open and closed.
 */
import type { Logger } from 'pino';
import { reportRecordOf, type ReportFacts } from '../domain/report-record';
import type { CalendarSettings } from '../domain/policy';
import type { ReportStore } from '../infra/app-db/report-store';
import type { TransferRow } from './transfer-list';
import type { TransferService } from './transfer-service';

export interface SweepResult {
  transfers: number;
  saved: number;
  failed: number;
}

export async function sweepReports(
  service: Pick<TransferService, 'listTransfers' | 'getTransfer'>,
  store: ReportStore,
  calendar: CalendarSettings,
  options: { rebuild?: boolean; logger?: Logger } = {},
): Promise<SweepResult> {
  if (options.rebuild) await store.clear();
  const rows = await service.listTransfers({ status: 'all' });
  const seen = await store.seen();
  let saved = 0;
  let failed = 0;
  for (const row of rows) {
    const now = seenOf(row);
    if (seen.get(row.referralId) === now) continue;
    try {
      const state = await service.getTransfer(row.referralId);
      await store.save(reportRecordOf(state, factsOf(row), calendar), now);
      saved++;
    } catch (err) {
      // A transfer that cannot be read now (a worker down, a failed run) is tried again next sweep.
      failed++;
      options.logger?.warn({ referralId: row.referralId, errName: (err as Error).name }, 'report record not read');
    }
  }
  return { transfers: rows.length, saved, failed };
}

/** What the list shows that a report record depends on; the same value means nothing to read. */
function seenOf(row: TransferRow): string {
  return [row.status, row.stage, row.waitingOn, row.escalationLevel, row.provider, row.outcome].join('|');
}

function factsOf(row: TransferRow): ReportFacts {
  return {
    workflowId: row.workflowId,
    sendingProgram: row.sendingProgram ?? '',
    caseManager: row.caseManager ?? '',
    levelOfCare: row.levelOfCare ?? '',
    urgency: row.urgency === 'urgent' ? 'urgent' : 'routine',
    startedAt: row.startedAt,
    endedAt: row.closedAt,
  };
}
