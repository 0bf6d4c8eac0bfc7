/**
 * Encrypts every payload (inputs, results, events, memos, user metadata, encoded failures) with
 * AES-256-GCM before it reaches Temporal. Each payload gets a random 96-bit IV; the key id travels
 * in the payload's metadata so a rotated ring still finds the key that wrote it.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { KeyRing } from './key-ring';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ProtoPayload = temporal.api.common.v1.Payload;

/** The payload names a key the ring lacks: the message carries the key id only. */
export class MissingCodecKeyError extends Error {
  override name = 'MissingCodecKeyError';
  constructor(readonly keyId: string) {
    super(
      `payload encryption key "${keyId}" is not in the key ring; add it back to REFERRALS_CODEC_KEYS or the key file`,
    );
  }
}

export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
}

export interface PayloadCodecOptions {
  /** Told once per key id and minute, so a worker's log says which key to restore. */
  onMissingKey?: (keyId: string) => void;
}

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly lastReported = new Map<string, number>();

  constructor(
    private readonly ring: KeyRing,
    private readonly options: PayloadCodecOptions = {},
  ) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const keyId = this.ring.activeKeyId;
    const key = this.ring.keys.get(keyId)!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      // The key id is authenticated too, so a payload cannot be relabelled to another key.
      cipher.setAAD(Buffer.from(keyId));
      const plain = ProtoPayload.encode(payload).finish();
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from(keyId) },
        data: new Uint8Array(sealed),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      // Payloads not written by this codec (e.g. sent by a tool without it) pass through as they are.
      if (text(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload;
      const keyId = text(payload.metadata?.[KEY_ID_METADATA]);
      if (!keyId) throw new PayloadDecryptionError(`encrypted payload without "${KEY_ID_METADATA}" metadata`);
      const key = this.ring.keys.get(keyId);
      if (!key) {
        this.reportMissing(keyId);
        throw new MissingCodecKeyError(keyId);
      }
      const sealed = Buffer.from(payload.data ?? new Uint8Array());
      if (sealed.length < IV_BYTES + TAG_BYTES)
        throw new PayloadDecryptionError(`encrypted payload under key "${keyId}" is truncated`);
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(keyId));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      let plain: Buffer;
      try {
        plain = Buffer.concat([
          decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
          decipher.final(),
        ]);
      } catch {
        throw new PayloadDecryptionError(
          `encrypted payload failed authentication under key "${keyId}" (wrong key material or altered data)`,
        );
      }
      return ProtoPayload.decode(plain);
    });
  }

  private reportMissing(keyId: string): void {
    const now = Date.now();
    if (now - (this.lastReported.get(keyId) ?? 0) < 60_000) return;
    this.lastReported.set(keyId, now);
    this.options.onMissingKey?.(keyId);
  }
}

function text(bytes: Uint8Array | null | undefined): string | undefined {
  return bytes ? Buffer.from(bytes).toString('utf8') : undefined;
}
