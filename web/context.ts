/** What the web routes share: the one transfer service and the clock service, the directory, and the web's own keys. */
import type pino from 'pino';
import type { PartnerLinks } from '../activities/partner-links';
import type { ClockService } from '../client/clock-service';
import type { AccountingReader } from '../client/disclosure-accounting';
import type { ReportReader } from '../client/reports/open-reports';
import type { TransferService } from '../client/transfer-service';
import type { Directory } from '../domain/directory';
import type { StaffAccounts } from './accounts';
import type { Sessions } from './session';
import type { OidcSettings } from './oidc-sign-in';
import type { MemberIndex } from '../infra/app-db/member-index';
import { temporalUiWorkflowUrl } from '../domain/links';
import type { TwilioWebhookDeps } from '../client/webhooks/twilio-webhooks';

export interface WebContext {
  service: TransferService;
  /** The coordination clocks (seed 003): the JSON API only. */
  clocks: ClockService;
  /** Members' accountings of disclosures, from the app database. */
  accountings: AccountingReader;
  /** Managers' reports, from the reporting store in the app database. */
  reports: ReportReader;
  directory: Directory;
  accounts: StaffAccounts;
  /** Set when the county's identity provider signs staff in (web/oidc-sign-in.ts). */
  oidc?: OidcSettings;
  sessions: Sessions;
  /** Whom each transfer is for: staff search by name, and the names on the list. */
  members: MemberIndex;
  /** Signs the session and CSRF cookies, and keys the CSRF tokens. */
  keys: { session: Buffer; csrf: Buffer };
  /** Cookies only over HTTPS: set when the public URL is https. */
  secureCookies: boolean;
  partnerLinks: PartnerLinks;
  /** The county's time zone: date-and-time inputs are read in it, and times shown in it. */
  timeZone: string;
  temporalUiUrl: string;
  namespace: string;
  logger: pino.Logger;
  /** Set when Twilio is configured: member replies and status callbacks. */
  twilioWebhooks?: TwilioWebhookDeps;
  now?: () => Date;
}

export const workflowUiLink = (ctx: WebContext, workflowId: string): string =>
  temporalUiWorkflowUrl(ctx.temporalUiUrl, ctx.namespace, workflowId);
