/**
 * `npm run codec-key`: prints a new payload encryption key (id and 32 random bytes, base64) to add
 * to the key ring. It is printed, not stored: put it where the county keeps secrets.
 */
import { generateKey } from '../infra/key-ring';

const { id, base64 } = generateKey();
process.stdout.write(
  `${id}:${base64}\n\n` +
    `Add it to the ring (keep the old keys) and make it active:\n` +
    `  REFERRALS_CODEC_KEYS=<old entries>,${id}:<the key above>\n` +
    `  REFERRALS_CODEC_ACTIVE_KEY_ID=${id}\n` +
    `or, in a key file: "keys": { ..., "${id}": "<the key above>" }, "activeKeyId": "${id}"\n`,
);
