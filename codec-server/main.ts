/** `npm run codec-server`: the codec server alone, beside a Temporal cluster's UI. */
import { ConfigError, loadRuntimeConfig } from '../infra/config';
import { createLogger } from '../infra/logger';
import { startCodecServer } from './run';
import { loadCodecServerSettings } from './settings';

async function main(): Promise<void> {
  const config = loadRuntimeConfig();
  const logger = createLogger(config.LOG_LEVEL, 'codec-server');
  const server = await startCodecServer(config, loadCodecServerSettings(), logger);
  logger.info({ url: server.url }, 'codec server listening; set it as the Temporal UI codec endpoint');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void server.close());
}

main().catch((err: unknown) => {
  // Configuration errors read as instructions; anything else is a bug, where the stack helps.
  process.stderr.write(
    `${err instanceof Error ? (err instanceof ConfigError ? err.message : err.stack) : String(err)}\n`,
  );
  process.exit(1);
});
