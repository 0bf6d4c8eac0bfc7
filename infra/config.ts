/**
 * Runtime configuration from environment variables, validated at the edge. The same worker
 * and client reach the embedded dev server, a Temporal cluster or Temporal Cloud by these alone.
 */
import path from 'node:path';
import { z } from 'zod';
import { MEMBER_ID_SYSTEM } from '../domain/fhir-referral';
import { CodecKeySettings } from './codec-key-settings';
import { allOrNone } from '../domain/validation';

const PROJECT_ROOT = path.resolve(__dirname, '..');
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const RuntimeConfig = z
  .object({
    TEMPORAL_ADDRESS: z
      .string()
      .regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port')
      .default('127.0.0.1:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TLS: flag.default(false),
    TEMPORAL_TLS_CERT_PATH: z.string().optional(),
    TEMPORAL_TLS_KEY_PATH: z.string().optional(),
    TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
    TEMPORAL_API_KEY: z.string().optional(),
    /** Where managers open a transfer; escalation emails link here. */
    TEMPORAL_UI_URL: z.url().default('http://localhost:8233'),
    REFERRALS_TASK_QUEUE: z.string().min(1).default('referrals'),
    /**
     * Workflows the worker keeps in memory (about 2.2 MB each, docs/performance.md); the rest are
     * replayed from history when their next event or timer comes. Bounds worker memory however
     * many transfers are open.
     */
    REFERRALS_MAX_CACHED_WORKFLOWS: z.coerce.number().int().positive().default(100),
    REFERRALS_DATA_DIR: z.string().default(path.join(PROJECT_ROOT, '.data')),
    REFERRALS_DIRECTORY_FILE: z.string().default(path.join(PROJECT_ROOT, 'config', 'directory.json')),
    REFERRALS_POLICY_FILE: z.string().default(path.join(PROJECT_ROOT, 'config', 'policy.json')),
    REFERRALS_EHR_DIR: z.string().default(path.join(PROJECT_ROOT, 'fixtures', 'ehr')),
    /** The EHR's FHIR R4 base URL; when set, the packet is read from it instead of the fixtures (docs/fhir.md). */
    REFERRALS_EHR_FHIR_URL: z.url().optional(),
    REFERRALS_EHR_FHIR_TOKEN: z.string().min(1).optional(),
    /** The identifier system under which the EHR's Patient carries the county's member id. */
    REFERRALS_EHR_FHIR_MEMBER_ID_SYSTEM: z.string().min(1).default(MEMBER_ID_SYSTEM),
    REFERRALS_EHR_FHIR_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
    /** How often each worker brings the reporting store up to date (docs/reports.md). */
    REFERRALS_REPORT_SWEEP_SECONDS: z.coerce.number().int().positive().default(60),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Payload encryption keys (docs/encryption.md). */
    ...CodecKeySettings.shape,
  })
  .superRefine((c, ctx) => {
    allOrNone(c, ['TEMPORAL_TLS_CERT_PATH', 'TEMPORAL_TLS_KEY_PATH'], ctx);
  });
export type RuntimeConfig = z.infer<typeof RuntimeConfig>;

/** Parses the environment; a bad value throws an error naming the variable. */
export function loadRuntimeConfig(env: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  return parseEnvironment(RuntimeConfig, env);
}

/**
 * Validates environment variables against a schema. The error names each variable and says what
 * is wrong with it, never its value (a bad token or key must not be echoed).
 */
export function parseEnvironment<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}
