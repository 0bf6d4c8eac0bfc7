/** `npm run web`: the web app alone, against a running Temporal and worker. */
import { loadRuntimeConfig } from '../infra/config';
import { createLogger } from '../infra/logger';
import { loadWebSettings } from '../infra/web-settings';
import { startWebApp } from './run';

async function main(): Promise<void> {
  const config = loadRuntimeConfig();
  const logger = createLogger(config.LOG_LEVEL, 'web');
  const web = await startWebApp(config, loadWebSettings(), logger);
  logger.info({ url: web.url, passwordsFile: web.passwordsFile }, 'web app listening');
  const stop = () => void web.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
