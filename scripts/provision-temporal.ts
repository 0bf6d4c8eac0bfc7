/** `npm install` hook: provisions the Temporal CLI and the time-skipping test server once. */
import { ensureTemporalCli, ensureTestServer } from './temporal-binaries';

for (const ensure of [ensureTemporalCli, ensureTestServer]) {
  process.stdout.write(`temporal binary ready: ${ensure()}\n`);
}
