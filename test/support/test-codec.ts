/**
 * The payload encryption keys of a test run. globalSetup puts a fresh ring in the environment
 * (REFERRALS_CODEC_KEYS), so every test file, worker and CLI process encrypts with the same keys,
 * and no key is ever committed.
 */
import { generateKey, loadKeyRing, type KeyRing } from '../../infra/key-ring';
import { CodecKeySettings } from '../../infra/codec-key-settings';

/** `REFERRALS_CODEC_KEYS` / `REFERRALS_CODEC_ACTIVE_KEY_ID` values holding one new key per id given. */
export function freshKeyEnv(ids: string[] = [generateKey().id], active: string = ids[0]!): Record<string, string> {
  const pairs = ids.map((id) => `${id}:${generateKey().base64}`);
  return { REFERRALS_CODEC_KEYS: pairs.join(','), REFERRALS_CODEC_ACTIVE_KEY_ID: active };
}

/** The codec variables of this run, to pass to child processes and configs that do not inherit them. */
export function codecEnv(): Record<string, string> {
  const { REFERRALS_CODEC_KEYS, REFERRALS_CODEC_ACTIVE_KEY_ID } = process.env;
  if (!REFERRALS_CODEC_KEYS || !REFERRALS_CODEC_ACTIVE_KEY_ID)
    throw new Error('globalSetup did not set REFERRALS_CODEC_KEYS');
  return { REFERRALS_CODEC_KEYS, REFERRALS_CODEC_ACTIVE_KEY_ID };
}

export function testKeyRing(env: Record<string, string> = codecEnv()): KeyRing {
  return loadKeyRing({ ...CodecKeySettings.parse(env), REFERRALS_DATA_DIR: '/nonexistent' });
}
