/**
 * Structured logs with ids, never member information. Redaction is a second line of defence:
 * code logs referral ids and directory ids only, and these paths catch mistakes.
 */
import pino from 'pino';

const REDACT_PATHS = [
  'member',
  '*.member',
  'phone',
  '*.phone',
  'email',
  '*.email',
  'to',
  '*.to',
  'reason',
  '*.reason',
  'note',
  '*.note',
  'consent',
  '*.consent',
  'body',
  '*.body',
  'text',
  '*.text',
  'args',
  '*.args',
];

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', name = 'referrals'): pino.Logger {
  return pino({ name, level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}
