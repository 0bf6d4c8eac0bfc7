/**
 * The payload encryption keys: a ring of AES-256 keys by id, one of them active for new payloads.
 * Old keys stay in the ring so payloads written under them still decrypt after a rotation.
 * From REFERRALS_CODEC_KEYS / REFERRALS_CODEC_ACTIVE_KEY_ID, or else from a key file (the embedded
 * default: `npm start` creates one under the data folder). Errors name the variable or file.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { Aes256Key, KeyId, type CodecKeySettings } from './codec-key-settings';
import { ConfigError } from './config';

export interface KeyRing {
  activeKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

/** The key file: `{ "activeKeyId": "...", "keys": { "<id>": "<base64>" } }`. */
const KeyFile = z
  .object({ activeKeyId: KeyId, keys: z.record(KeyId, Aes256Key) })
  .refine((f) => f.activeKeyId in f.keys, { path: ['activeKeyId'], message: 'names no key in "keys"' });

export const keyFilePath = (s: CodecKeySettings, dataDir: string): string =>
  s.REFERRALS_CODEC_KEY_FILE ?? path.join(dataDir, 'codec-keys.json');

function keyRingFrom(s: CodecKeySettings, dataDir: string): KeyRing {
  if (s.REFERRALS_CODEC_KEYS) {
    const keys = s.REFERRALS_CODEC_KEYS;
    const activeKeyId = s.REFERRALS_CODEC_ACTIVE_KEY_ID ?? (keys.size === 1 ? [...keys.keys()][0]! : undefined);
    if (activeKeyId === undefined)
      throw new ConfigError(
        'Invalid configuration:\n  REFERRALS_CODEC_ACTIVE_KEY_ID: required when REFERRALS_CODEC_KEYS holds more than one key',
      );
    if (!keys.has(activeKeyId))
      throw new ConfigError(
        `Invalid configuration:\n  REFERRALS_CODEC_ACTIVE_KEY_ID: "${activeKeyId}" is not in REFERRALS_CODEC_KEYS`,
      );
    return { activeKeyId, keys };
  }
  const file = keyFilePath(s, dataDir);
  if (!existsSync(file)) {
    throw new ConfigError(
      `No payload encryption keys: set REFERRALS_CODEC_KEYS and REFERRALS_CODEC_ACTIVE_KEY_ID, or create ${file} (REFERRALS_CODEC_KEY_FILE); ` +
        '`npm start` creates one on its first run. See docs/encryption.md.',
    );
  }
  return readKeyFile(file, s.REFERRALS_CODEC_ACTIVE_KEY_ID);
}

function readKeyFile(file: string, activeOverride: string | undefined): KeyRing {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`Cannot read ${file}: ${(err as Error).message}`);
  }
  const parsed = KeyFile.safeParse(raw);
  if (!parsed.success) {
    // Never echo the file's values: they are keys.
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`Invalid ${file}:\n${lines.join('\n')}`);
  }
  const keys = new Map(Object.entries(parsed.data.keys));
  const activeKeyId = activeOverride ?? parsed.data.activeKeyId;
  if (!keys.has(activeKeyId))
    throw new ConfigError(
      `Invalid configuration:\n  REFERRALS_CODEC_ACTIVE_KEY_ID: "${activeKeyId}" is not in ${file}`,
    );
  return { activeKeyId, keys };
}

/** A fresh key id and key, as `npm run codec-key` prints and the embedded default stores. */
export function generateKey(now: Date = new Date()): { id: string; base64: string } {
  const stamp = now.toISOString().slice(0, 10).replace(/-/g, '');
  return { id: `k${stamp}-${randomBytes(3).toString('hex')}`, base64: randomBytes(32).toString('base64') };
}

/** Creates the key file with one new key (owner-only permissions) unless it exists. Returns whether it did. */
export function ensureKeyFile(file: string): boolean {
  if (existsSync(file)) return false;
  mkdirSync(path.dirname(file), { recursive: true });
  const { id, base64 } = generateKey();
  writeFileSync(file, `${JSON.stringify({ activeKeyId: id, keys: { [id]: base64 } }, null, 2)}\n`, {
    mode: 0o600,
    flag: 'wx',
  });
  return true;
}

/** The key ring the runtime configuration names. */
export const loadKeyRing = (config: CodecKeySettings & { REFERRALS_DATA_DIR: string }): KeyRing =>
  keyRingFrom(config, config.REFERRALS_DATA_DIR);
