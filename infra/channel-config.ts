/**
 * Configuration of the real channels and the app database, from environment variables and
 * validated at the edge (errors name the variable). With no SMTP host or no Twilio credentials
 * the matching channel goes to the local catcher folders instead: nothing is silently dropped.
 */
import { z } from 'zod';
import { allOrNone } from '../domain/validation';
import { parseEnvironment } from './config';

/** Where Twilio reaches us, under PUBLIC_BASE_URL (the HTTP server mounts the handlers here). */
export const TWILIO_WEBHOOK_PATHS = { sms: '/webhooks/twilio/sms', status: '/webhooks/twilio/status' } as const;

const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const ChannelConfig = z
  .object({
    SMTP_HOST: z.string().min(1).optional(),
    SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
    /** Implicit TLS (port 465). Otherwise STARTTLS, required unless SMTP_REQUIRE_TLS=false. */
    SMTP_SECURE: flag.default(false),
    SMTP_REQUIRE_TLS: flag.default(true),
    /** Only for test servers with self-signed certificates. */
    SMTP_TLS_REJECT_UNAUTHORIZED: flag.default(true),
    SMTP_USER: z.string().min(1).optional(),
    SMTP_PASSWORD: z.string().min(1).optional(),
    SMTP_FROM: z.email().default('referrals@county.example.org'),
    /** Right-hand side of the deterministic Message-IDs (`<hash@domain>`). */
    MESSAGE_ID_DOMAIN: z
      .string()
      .regex(/^[a-z0-9.-]+$/i, 'expected a domain name')
      .default('referrals.county.example.org'),
    TWILIO_ACCOUNT_SID: z
      .string()
      .regex(/^AC[0-9a-fA-F]{32}$/, 'expected an account SID like AC followed by 32 hex digits')
      .optional(),
    TWILIO_AUTH_TOKEN: z.string().min(16).optional(),
    TWILIO_FROM_NUMBER: z
      .string()
      .regex(/^\+[1-9]\d{7,14}$/, 'expected a phone number in E.164 form')
      .optional(),
    /** A Twilio-compatible API at another address (an egress proxy, or a test double); default: Twilio's own. */
    TWILIO_API_BASE_URL: z.url().optional(),
    /** Public base URL Twilio reaches us at: status callbacks and signature checks are built from it. */
    PUBLIC_BASE_URL: z.url().optional(),
    /** PostgreSQL for the app database; without it, the embedded PostgreSQL that `npm start` runs under the data folder. */
    APP_DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL')
      .optional(),
  })
  .superRefine((c, ctx) => {
    allOrNone(c, ['SMTP_USER', 'SMTP_PASSWORD'], ctx);
    allOrNone(c, ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_FROM_NUMBER'], ctx);
    if (c.TWILIO_ACCOUNT_SID && c.TWILIO_AUTH_TOKEN && c.TWILIO_FROM_NUMBER && !c.PUBLIC_BASE_URL)
      ctx.addIssue({
        code: 'custom',
        path: ['PUBLIC_BASE_URL'],
        message: 'required with Twilio: status callbacks and signature checks use it',
      });
  });
export type ChannelConfig = z.infer<typeof ChannelConfig>;

export function loadChannelConfig(env: NodeJS.ProcessEnv = process.env): ChannelConfig {
  return parseEnvironment(ChannelConfig, env);
}
