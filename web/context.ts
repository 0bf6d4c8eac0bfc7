/** What the web routes share: the one transfer service and the clock service, the directory, and the web's own keys. */
import type pino from 'pino';
import type { PartnerLinks } from '../activities/partner-links';
import type { ClockService } from '../client/clock-service';
import type { TransferService } from '../client/transfer-service';
import type { Directory } from '../domain/directory';
import type { StaffAccounts } from './accounts';
import type { Sessions } from './session';

export interface WebContext {
  service: TransferService;
  /** The coordination clocks (seed 003): the JSON API only. */
  clocks: ClockService;
  directory: Directory;
  accounts: StaffAccounts;
  sessions: Sessions;
  partnerLinks: PartnerLinks;
  /** The county's time zone: date-and-time inputs are read in it, and times shown in it. */
  timeZone: string;
  temporalUiUrl: string;
  namespace: string;
  logger: pino.Logger;
  now?: () => Date;
}

export const workflowUiLink = (ctx: WebContext, workflowId: string): string =>
  `${ctx.temporalUiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(ctx.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
