/**
 * Keeps the reporting store up to date from Temporal. One list call (search attributes) shows
 * every transfer's and clock's status, stage, waiting-on and escalation level; only those whose
 * figures changed since their record was saved are read (their result once ended, else a query).
 * A rebuild clears the store and reads every one, open and closed. Each transfer read also
 * refreshes whom it is for in the member index (staff search by name).
 */
import type { Logger } from 'pino';
import { clockReportRecordOf } from '../domain/clocks/report-record';
import { reportRecordOf, type ReportFacts } from '../domain/report-record';
import type { ClockService } from './clock-service';
import type { CalendarSettings } from '../domain/policy';
import type { ReportStore } from '../infra/app-db/report-store';
import type { MemberIndex } from '../infra/app-db/member-index';
import type { TransferRow } from './transfer-list';
import type { TransferService } from './transfer-service';

export interface SweepResult {
  transfers: number;
  clocks: number;
  saved: number;
  failed: number;
}

export interface SweepSources {
  transfers: Pick<TransferService, 'listTransfers' | 'getTransfer'>;
  clocks: Pick<ClockService, 'listClocks' | 'getClock'>;
}

export async function sweepReports(
  sources: SweepSources,
  { reports: store, members }: { reports: ReportStore; members: MemberIndex },
  calendar: CalendarSettings,
  options: { rebuild?: boolean; logger?: Logger } = {},
): Promise<SweepResult> {
  // A rebuild reads every one again, whatever a worker's sweep saved since the store was cleared.
  if (options.rebuild) await store.clear();
  const result: SweepResult = { transfers: 0, clocks: 0, saved: 0, failed: 0 };
  const sweep = async (
    rows: TransferRow[],
    seen: Map<string, string>,
    save: (row: TransferRow, seen: string) => Promise<void>,
  ) => {
    for (const row of rows) {
      const now = seenOf(row);
      if (seen.get(row.id) === now) continue;
      try {
        await save(row, now);
        result.saved++;
      } catch (err) {
        // One that cannot be read now (a worker down, a failed run) is tried again next sweep.
        result.failed++;
        options.logger?.warn({ id: row.id, errName: (err as Error).name }, 'report record not read');
      }
    }
  };
  const transfers = await sources.transfers.listTransfers({ status: 'all' });
  result.transfers = transfers.length;
  await sweep(transfers, options.rebuild ? new Map() : await store.seen(), async (row, seen) => {
    const state = await sources.transfers.getTransfer(row.id);
    // Who it is for, for staff search; a transfer started outside the web app is found from here.
    await members.record(state.referralId, state.member);
    await store.save(reportRecordOf(state, factsOf(row), calendar), seen, state.member.memberId);
  });
  const clocks = latestRuns(await sources.clocks.listClocks({ status: 'all' }));
  result.clocks = clocks.length;
  await sweep(clocks, options.rebuild ? new Map() : await store.seenClocks(), async (row, seen) =>
    store.saveClock(
      clockReportRecordOf(await sources.clocks.getClock(row.id), {
        sendingProgram: row.sendingProgram ?? '',
        caseManager: row.caseManager ?? '',
        startedAt: row.startedAt,
        endedAt: row.closedAt,
      }),
      seen,
    ),
  );
  return result;
}

/**
 * A clock that continues as new each month lists once per run: keep its current run, with the
 * first run's start (the clock began then).
 */
function latestRuns(rows: TransferRow[]): TransferRow[] {
  const byId = new Map<string, TransferRow>();
  for (const row of rows) {
    const known = byId.get(row.id);
    if (!known) byId.set(row.id, row);
    else {
      const [first, last] = known.startedAt <= row.startedAt ? [known, row] : [row, known];
      byId.set(row.id, { ...last, startedAt: first.startedAt });
    }
  }
  return [...byId.values()];
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
