/**
 * The codec server's wire format: `{ "payloads": [...] }` with payloads in protobuf's JSON form
 * (metadata values and data base64-encoded), as the Temporal UI and CLI send them.
 */
import type { Payload } from '@temporalio/common';
import { z } from 'zod';

/** Far above what one UI page decodes at once, far below what could tie up the server. */
const MAX_PAYLOADS_PER_REQUEST = 1000;

const Base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'expected base64');

export const PayloadJson = z.object({ metadata: z.record(z.string(), Base64).optional(), data: Base64.optional() });
export type PayloadJson = z.infer<typeof PayloadJson>;

export const PayloadsBody = z.object({ payloads: z.array(PayloadJson).max(MAX_PAYLOADS_PER_REQUEST) });

export function fromJson(p: PayloadJson): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(p.data ?? '', 'base64'),
  };
}

export function toJson(p: Payload): PayloadJson {
  return {
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')]),
    ),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  };
}
