/**
 * What the staff list and `GET /api/transfers` share: filters and a page from the query string, a
 * search by member name or id through the member index, one visibility call for the page and one
 * database query for whom its rows are about. Starting a transfer from the web records whom it is
 * for in the same index, so it can be found by name at once.
 */
import { Member } from '../domain/transfer';
import type { MemberOfTransfer } from '../infra/app-db/member-index';
import type { TransferRow } from '../client/transfer-list';
import type { WebContext } from './context';
import { field } from './form-body';

export type StaffRow = TransferRow & { member: MemberOfTransfer | null };

export interface TransferQuery {
  stage?: string;
  waitingOn?: string;
  provider?: string;
  stuck: boolean;
  /** Include ended transfers (linked, declined, withdrawn, lost to follow-up). */
  all: boolean;
  outcome?: string;
  startedFrom?: string;
  startedTo?: string;
  /** A member's name (every word, any case) or member id. */
  member?: string;
  pageSize?: string;
  pageToken?: string;
}

const on = (v: string | undefined) => v === 'on' || v === 'true';

export function transferQuery(query: unknown): TransferQuery {
  const f = (k: string) => field(query, k);
  return {
    stage: f('stage'),
    waitingOn: f('waitingOn'),
    provider: f('provider'),
    stuck: on(f('stuck')),
    all: on(f('all')) || f('status') === 'all',
    outcome: f('outcome'),
    startedFrom: f('startedFrom'),
    startedTo: f('startedTo'),
    member: f('member'),
    pageSize: f('pageSize'),
    pageToken: f('pageToken'),
  };
}

export async function findTransfers(
  ctx: WebContext,
  q: TransferQuery,
): Promise<{ rows: StaffRow[]; nextPageToken: string | null }> {
  const referralIds = q.member === undefined ? undefined : await ctx.members.search(q.member);
  const { rows, nextPageToken } = await ctx.service.listTransferPage(
    {
      stage: q.stage as never,
      waitingOn: q.waitingOn as never,
      provider: q.provider,
      stuck: q.stuck,
      status: q.all ? 'all' : undefined,
      outcome: q.outcome as never,
      startedFrom: q.startedFrom,
      startedTo: q.startedTo,
      referralIds,
    },
    { pageSize: q.pageSize as never, pageToken: q.pageToken },
  );
  const members = await ctx.members.membersOf(rows.filter((r) => r.kind === 'transfer').map((r) => r.id));
  return { rows: rows.map((r) => ({ ...r, member: members.get(r.id) ?? null })), nextPageToken };
}

/** Starts a transfer and records whom it is for; the sweep records it later if this process stops first. */
export async function startTransfer(
  ctx: WebContext,
  input: unknown,
): Promise<{ referralId: string; workflowId: string }> {
  const started = await ctx.service.startTransfer(input);
  const member = Member.safeParse((input as { member?: unknown }).member);
  if (member.success)
    await ctx.members
      .record(started.referralId, member.data)
      .catch((err: unknown) =>
        ctx.logger.warn({ referralId: started.referralId, errName: (err as Error).name }, 'member index not written'),
      );
  return started;
}
