/**
 * Staff sessions ended by signing out, kept until they would have expired: every web process
 * refuses their cookie, and a restart does not bring them back (web/session.ts).
 */
import type { AppDb } from './open-app-db';

export interface RevokedSessionStore {
  revoke(sid: string, until: Date): Promise<void>;
  /** Sessions revoked and not yet expired at `now`: session id → expiry (ms). */
  current(now: Date): Promise<Map<string, number>>;
}

export class DbRevokedSessions implements RevokedSessionStore {
  constructor(private readonly db: AppDb) {}

  async revoke(sid: string, until: Date): Promise<void> {
    await this.db
      .insertInto('revoked_sessions')
      .values({ sid, expires_at: until.toISOString() })
      .onConflict((oc) => oc.column('sid').doNothing())
      .execute();
  }

  async current(now: Date): Promise<Map<string, number>> {
    // Expired rows are of no more use: each reader trims them.
    await this.db.deleteFrom('revoked_sessions').where('expires_at', '<=', now.toISOString()).execute();
    const rows = await this.db.selectFrom('revoked_sessions').selectAll().execute();
    return new Map(rows.map((r) => [r.sid, Date.parse(r.expires_at)]));
  }
}
