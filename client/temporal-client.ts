/** The Temporal client for everything outside the worker, from the runtime configuration. */
import { Client, Connection } from '@temporalio/client';
import type { RuntimeConfig } from '../infra/config';
import { referralsDataConverter } from '../infra/data-converter';
import { loadKeyRing } from '../infra/key-ring';
import { connectionSettings } from '../infra/temporal-connection';
import { TemporalUnavailableError } from './service-errors';

export interface TemporalClientHandle {
  client: Client;
  close(): Promise<void>;
}

export async function connectTemporalClient(config: RuntimeConfig): Promise<TemporalClientHandle> {
  // Keys first: without them nothing may be sent, and the error names the setting.
  const dataConverter = referralsDataConverter(loadKeyRing(config));
  let connection: Connection;
  try {
    connection = await Connection.connect(connectionSettings(config));
  } catch (err) {
    // The gRPC error says little to a person at a terminal; say where we tried.
    throw new TemporalUnavailableError(
      `cannot reach Temporal at ${config.TEMPORAL_ADDRESS}: ${(err as Error).message}`,
    );
  }
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
  return { client, close: () => connection.close() };
}
