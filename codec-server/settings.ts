/**
 * Settings of the codec server, validated at the edge; errors name the variable. The access token
 * comes from REFERRALS_CODEC_SERVER_TOKEN, or else from a token file (the embedded default:
 * `npm start` creates one under the data folder).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, parseEnvironment } from '../infra/config';

const port = z.coerce.number().int().min(1).max(65535);
const Token = z.string().trim().min(32, 'expected at least 32 characters');
/** An origin is scheme://host[:port], nothing more: CORS compares it exactly. */
const Origin = z
  .url()
  .refine((u) => new URL(u).origin === u.replace(/\/+$/, ''), 'expected an origin like http://localhost:8233 (no path)')
  .transform((u) => new URL(u).origin);

export const CodecServerSettings = z.object({
  REFERRALS_CODEC_SERVER_IP: z.ipv4().default('127.0.0.1'),
  REFERRALS_CODEC_SERVER_PORT: port.default(8234),
  /** The Temporal UI's origin(s), comma-separated; defaults to TEMPORAL_UI_URL's origin. */
  REFERRALS_CODEC_SERVER_UI_ORIGINS: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(Origin).min(1))
    .optional(),
  REFERRALS_CODEC_SERVER_TOKEN: Token.optional(),
  /** Read when REFERRALS_CODEC_SERVER_TOKEN is unset; defaults to codec-server-token in the data folder. */
  REFERRALS_CODEC_SERVER_TOKEN_FILE: z.string().min(1).optional(),
});
export type CodecServerSettings = z.infer<typeof CodecServerSettings>;

export function loadCodecServerSettings(env: NodeJS.ProcessEnv = process.env): CodecServerSettings {
  return parseEnvironment(CodecServerSettings, env);
}

export const tokenFilePath = (s: CodecServerSettings, dataDir: string): string =>
  s.REFERRALS_CODEC_SERVER_TOKEN_FILE ?? path.join(dataDir, 'codec-server-token');

export function codecServerToken(s: CodecServerSettings, dataDir: string): string {
  if (s.REFERRALS_CODEC_SERVER_TOKEN) return s.REFERRALS_CODEC_SERVER_TOKEN;
  const file = tokenFilePath(s, dataDir);
  if (!existsSync(file))
    throw new ConfigError(
      `No codec server token: set REFERRALS_CODEC_SERVER_TOKEN, or create ${file} (REFERRALS_CODEC_SERVER_TOKEN_FILE)`,
    );
  const parsed = Token.safeParse(readFileSync(file, 'utf8'));
  if (!parsed.success) throw new ConfigError(`Invalid ${file}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** Creates the token file (owner-only) unless it exists. Returns whether it did. */
export function ensureTokenFile(file: string): boolean {
  if (existsSync(file)) return false;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  return true;
}
