/**
 * The environment variables that name the payload encryption keys, validated at the edge.
 * Part of the runtime configuration; infra/key-ring.ts turns them into a key ring.
 */
import { z } from 'zod';

export const KeyId = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected a key id of letters, digits, ".", "_" or "-" (at most 64)');
export const Aes256Key = z
  .string()
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'expected base64')
  .transform((b64) => Buffer.from(b64, 'base64'))
  .refine((key) => key.length === 32, 'expected 32 bytes (an AES-256 key), base64-encoded');

/** REFERRALS_CODEC_KEYS=`id:base64,id:base64` (base64 has neither ":" nor ","). */
const KeysVariable = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^[^:]+:[^:]+$/, 'expected id:base64 pairs separated by commas')).min(1))
  .transform((entries) => entries.map((e) => e.split(':') as [string, string]))
  .pipe(z.array(z.tuple([KeyId, Aes256Key])))
  .transform((pairs) => new Map(pairs));

export const CodecKeySettings = z.object({
  REFERRALS_CODEC_KEYS: KeysVariable.optional(),
  /** Required when REFERRALS_CODEC_KEYS holds more than one key. */
  REFERRALS_CODEC_ACTIVE_KEY_ID: KeyId.optional(),
  /** Read when REFERRALS_CODEC_KEYS is unset; defaults to codec-keys.json in the data folder. */
  REFERRALS_CODEC_KEY_FILE: z.string().min(1).optional(),
});
export type CodecKeySettings = z.infer<typeof CodecKeySettings>;
