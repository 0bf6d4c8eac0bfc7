/** Both services on one lazy Temporal connection: what the CLI and the web app use. */
import type { Client } from '@temporalio/client';
import type { RuntimeConfig } from '../infra/config';
import { loadDirectory } from '../infra/config-files';
import { ClockService, type ClockServiceDeps } from './clock-service';
import { TransferService } from './transfer-service';
import { lazyTemporal } from './workflow-calls';

export function openServices(
  config: RuntimeConfig,
  options: Pick<ClockServiceDeps, 'logger' | 'now'> = {},
): { transfers: TransferService; clocks: ClockService; temporal: () => Promise<Client>; close(): Promise<void> } {
  const { temporal, close } = lazyTemporal(config);
  const deps = { config, directory: loadDirectory(config.REFERRALS_DIRECTORY_FILE), temporal, ...options };
  return { transfers: new TransferService(deps), clocks: new ClockService(deps), temporal, close };
}
