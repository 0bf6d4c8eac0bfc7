/**
 * The web API as the CLI uses it: every everyday command acts as the person whose personal API
 * token it presents (issued by an admin on the Access page), so the actor of each event is that
 * person and nobody else. The service's errors come back as the same error classes, so the CLI
 * keeps its messages and exit codes.
 */
import { z } from 'zod';
import type { ClockState } from '../domain/clocks/state';
import type { TransferState } from '../domain/state';
import { parseEnvironment } from '../infra/config';
import { WebSettings } from '../infra/web-settings';
import type { DisclosureAccounting } from './disclosure-accounting';
import type { ReportTable } from './reports/report-table';
import {
  ClockEventRejectedError,
  ClockNotFoundError,
  EventRejectedError,
  InvalidInputError,
  TemporalUnavailableError,
  TransferNotFoundError,
  type FieldProblem,
} from './service-errors';
import type { TransferSummary } from './transfer-service';
import type { TransferRow } from './transfer-list';

const ApiSettings = z.object({
  /** The web app; defaults to where `npm start` serves it. */
  REFERRALS_API_URL: z.url().optional(),
  REFERRALS_API_TOKEN: z.string().trim().min(1).optional(),
});

/** The web app refused the person (no token, a revoked one, or a role that may not do this). */
export class ApiRefusedError extends Error {
  override name = 'ApiRefusedError';
}

/** The web app could not be reached, or answered in a way the CLI does not expect. */
export class ApiUnavailableError extends Error {
  override name = 'ApiUnavailableError';
}

interface Problem {
  error?: string;
  reason?: string;
  problems?: FieldProblem[];
}

type Query = Record<string, string | undefined>;

export class ApiClient {
  constructor(
    private readonly base: string,
    private readonly token: string | undefined,
  ) {}

  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): ApiClient {
    const s = parseEnvironment(ApiSettings, env);
    const base = s.REFERRALS_API_URL ?? parseEnvironment(WebSettings, env).REFERRALS_WEB_PUBLIC_URL;
    return new ApiClient(base.replace(/\/+$/, ''), s.REFERRALS_API_TOKEN);
  }

  startTransfer = (input: unknown) => this.call<{ referralId: string }>('POST', '/api/transfers', input);
  sendEvent = (id: string, event: Record<string, unknown>) =>
    this.call<TransferState>('POST', `/api/transfers/${this.segment(id)}/events`, event, { id, type: event.type });
  withdraw = (id: string, reason: string) =>
    this.call<TransferState>(
      'POST',
      `/api/transfers/${this.segment(id)}/withdraw`,
      { reason },
      { id, type: 'withdrawn' },
    );
  getTransfer = (id: string) =>
    this.call<TransferState>('GET', `/api/transfers/${this.segment(id)}`, undefined, { id });
  summarizeTransfer = (id: string) =>
    this.call<TransferSummary & { timeZone: string }>('GET', `/api/transfers/${this.segment(id)}/summary`, undefined, {
      id,
    });
  /** Every page of the list: a terminal or a script wants them all. */
  listTransfers = async (q: Query): Promise<TransferRow[]> => {
    const rows: TransferRow[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.call<{ transfers: TransferRow[]; nextPageToken: string | null }>(
        'GET',
        `/api/transfers${queryString({ ...q, pageSize: '200', pageToken })}`,
      );
      rows.push(...page.transfers);
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken);
    return rows;
  };
  stuckTransfers = (asOf?: string) => this.call<TransferRow[]>('GET', `/api/transfers/stuck${queryString({ asOf })}`);

  startClock = (input: unknown) => this.call<{ clockId: string }>('POST', '/api/clocks', input);
  sendClockEvent = (id: string, event: Record<string, unknown>) =>
    this.call<ClockState>('POST', `/api/clocks/${this.segment(id)}/events`, event, {
      id,
      type: event.type,
      clock: true,
    });
  getClock = (id: string) =>
    this.call<ClockState>('GET', `/api/clocks/${this.segment(id)}`, undefined, { id, clock: true });
  listClocks = (q: Query) => this.call<TransferRow[]>('GET', `/api/clocks${queryString(q)}`);

  disclosures = (q: Query) => this.call<DisclosureAccounting>('GET', `/api/disclosures${queryString(q)}`);
  report = (name: string, q: Query) =>
    this.call<ReportTable>('GET', `/api/reports/${this.segment(name)}${queryString({ ...q, format: 'json' })}`);

  private segment = (value: string) => encodeURIComponent(value);

  private async call<T>(
    method: string,
    path: string,
    body?: unknown,
    about: { id?: string; type?: unknown; clock?: boolean } = {},
  ): Promise<T> {
    if (!this.token)
      throw new ApiRefusedError('no API token: ask an admin for one (Access page) and set REFERRALS_API_TOKEN');
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (err) {
      throw new ApiUnavailableError(`cannot reach the web app at ${this.base} (${(err as Error).message})`);
    }
    const text = await res.text();
    const json = text ? (JSON.parse(text) as unknown) : null;
    if (res.ok) return json as T;
    const p = (json ?? {}) as Problem;
    const id = about.id ?? '';
    const type = String(about.type ?? '');
    switch (res.status) {
      case 400:
        throw new InvalidInputError(p.problems ?? [{ field: '(input)', message: p.error ?? 'not valid' }]);
      case 401:
        throw new ApiRefusedError('the API token is not valid or was revoked: ask an admin for a new one');
      case 403:
        throw new ApiRefusedError(`refused: ${p.error ?? 'your role does not allow this'}`);
      case 404:
        throw about.clock ? new ClockNotFoundError(id) : new TransferNotFoundError(id);
      case 409:
        throw about.clock
          ? new ClockEventRejectedError(id, type, p.reason ?? p.error ?? '')
          : new EventRejectedError(id, type, p.reason ?? p.error ?? '');
      case 503:
        throw new TemporalUnavailableError(p.error ?? 'the web app cannot reach Temporal');
      default:
        throw new ApiUnavailableError(`the web app answered ${res.status}: ${p.error ?? text.slice(0, 200)}`);
    }
  }
}

function queryString(q: Query): string {
  const entries = Object.entries(q).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '');
  return entries.length ? `?${new URLSearchParams(entries).toString()}` : '';
}
