/**
 * `npm install` hook: provisions the Temporal CLI and the time-skipping test server once, and the
 * UI server when Go is at hand (without it, `npm start` falls back to the dev server's own UI).
 */
import { ensureTemporalCli, ensureTestServer, ensureUiServer } from './temporal-binaries';

for (const ensure of [ensureTemporalCli, ensureTestServer]) {
  process.stdout.write(`temporal binary ready: ${ensure()}\n`);
}
try {
  process.stdout.write(`temporal UI server ready: ${ensureUiServer()}\n`);
} catch (err) {
  process.stdout.write(
    `temporal UI server not installed (${(err as Error).message}); npm start will use the dev server's UI\n`,
  );
}
