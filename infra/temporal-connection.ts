/** Connection options for client and worker alike, from the runtime configuration. */
import { readFileSync } from 'node:fs';
import type { RuntimeConfig } from './config';

export interface ConnectionSettings {
  address: string;
  tls?: { clientCertPair?: { crt: Buffer; key: Buffer }; serverNameOverride?: string } | boolean;
  apiKey?: string;
}

export function connectionSettings(c: RuntimeConfig): ConnectionSettings {
  const mtls =
    c.TEMPORAL_TLS_CERT_PATH && c.TEMPORAL_TLS_KEY_PATH
      ? { clientCertPair: { crt: readFileSync(c.TEMPORAL_TLS_CERT_PATH), key: readFileSync(c.TEMPORAL_TLS_KEY_PATH) } }
      : undefined;
  const useTls = c.TEMPORAL_TLS || Boolean(mtls) || Boolean(c.TEMPORAL_API_KEY);
  return {
    address: c.TEMPORAL_ADDRESS,
    tls: useTls ? { ...mtls, serverNameOverride: c.TEMPORAL_TLS_SERVER_NAME } : undefined,
    apiKey: c.TEMPORAL_API_KEY,
  };
}
