/** Stops the app database global setup started, if it started one. */
import type { EmbeddedAppDb } from '../../infra/app-db/embedded-server';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { referralsTestDb?: EmbeddedAppDb }).referralsTestDb?.stop();
}
