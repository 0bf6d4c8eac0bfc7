/** The one data converter for worker, client, codec server and tests: encrypted payloads and failures. */
import type { DataConverter } from '@temporalio/common';
import type pino from 'pino';
import type { KeyRing } from './key-ring';
import { AesGcmPayloadCodec } from './payload-codec';

/** Also passed to bundleWorkflowCode when a worker runs a prebuilt bundle. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

export function referralsDataConverter(ring: KeyRing, logger?: pino.Logger): DataConverter {
  return { payloadCodecs: [referralsPayloadCodec(ring, logger)], failureConverterPath: FAILURE_CONVERTER_PATH };
}

export function referralsPayloadCodec(ring: KeyRing, logger?: pino.Logger): AesGcmPayloadCodec {
  return new AesGcmPayloadCodec(ring, {
    onMissingKey: (keyId) =>
      logger?.error(
        { keyId },
        'payload encryption key missing from the key ring: workflows needing it wait and retry until the key is added back',
      ),
  });
}
