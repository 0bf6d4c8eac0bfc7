/**
 * What signed-in staff present, kept in the app database so any web process can end it at once:
 * browser sessions (the cookie holds a random secret) and the CLI's personal API tokens. Only a
 * SHA-256 digest of each secret is stored, so a copy of the database opens no session; each row
 * also has a public id, which is what the admin page shows and revokes. The role is the one the
 * person had when they signed in or the token was issued.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AppDb } from './open-app-db';

const digest = (secret: string): string => createHash('sha256').update(secret).digest('base64url');
const newSecret = (): string => randomBytes(32).toString('base64url');
const newId = (prefix: string): string => `${prefix}-${randomBytes(6).toString('base64url')}`;

export interface Holder {
  userId: string;
  role: string;
}

export interface StaffSessionRow extends Holder {
  id: string;
  startedAt: string;
  expiresAt: string;
}

export class StaffSessionStore {
  constructor(private readonly db: AppDb) {}

  /** A new session; returns the secret for its cookie. */
  async start(holder: Holder, hours: number, now = new Date()): Promise<{ id: string; secret: string }> {
    const secret = newSecret();
    const id = newId('s');
    await this.db
      .insertInto('staff_sessions')
      .values({
        id,
        secret_digest: digest(secret),
        user_id: holder.userId,
        role: holder.role,
        started_at: now.toISOString(),
        expires_at: new Date(now.getTime() + hours * 3_600_000).toISOString(),
      })
      .execute();
    return { id, secret };
  }

  /** The live session holding this secret, or null (unknown, ended or expired). */
  async find(secret: string, now = new Date()): Promise<StaffSessionRow | null> {
    const row = await this.db
      .selectFrom('staff_sessions')
      .selectAll()
      .where('secret_digest', '=', digest(secret))
      .where('expires_at', '>', now.toISOString())
      .executeTakeFirst();
    return row ? sessionRow(row) : null;
  }

  async endBySecret(secret: string): Promise<void> {
    await this.db.deleteFrom('staff_sessions').where('secret_digest', '=', digest(secret)).execute();
  }

  /** Ends one session by its public id; false if there was none. */
  async end(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('staff_sessions').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  /** Live sessions, newest first; expired rows are trimmed on the way. */
  async list(now = new Date()): Promise<StaffSessionRow[]> {
    await this.db.deleteFrom('staff_sessions').where('expires_at', '<=', now.toISOString()).execute();
    const rows = await this.db.selectFrom('staff_sessions').selectAll().orderBy('started_at', 'desc').execute();
    return rows.map(sessionRow);
  }
}

const sessionRow = (r: { id: string; user_id: string; role: string; started_at: string; expires_at: string }) => ({
  id: r.id,
  userId: r.user_id,
  role: r.role,
  startedAt: r.started_at,
  expiresAt: r.expires_at,
});

export interface ApiTokenRow extends Holder {
  id: string;
  label: string;
  issuedBy: string;
  issuedAt: string;
  revokedAt: string | null;
}

/** The token a person holds: `rft_<id>_<secret>`; the id alone opens nothing. */
const TOKEN = /^rft_(t-[A-Za-z0-9_-]{8})_([A-Za-z0-9_-]{43})$/;

export class ApiTokenStore {
  constructor(private readonly db: AppDb) {}

  async issue(
    holder: Holder,
    label: string,
    issuedBy: string,
    now = new Date(),
  ): Promise<{ id: string; token: string }> {
    const id = newId('t');
    const secret = newSecret();
    await this.db
      .insertInto('api_tokens')
      .values({
        id,
        secret_digest: digest(secret),
        user_id: holder.userId,
        role: holder.role,
        label,
        issued_by: issuedBy,
        issued_at: now.toISOString(),
        revoked_at: null,
      })
      .execute();
    return { id, token: `rft_${id}_${secret}` };
  }

  /** Whose live token this is, or null (malformed, unknown or revoked). */
  async holderOf(token: string): Promise<Holder | null> {
    const match = TOKEN.exec(token);
    if (!match) return null;
    const row = await this.db
      .selectFrom('api_tokens')
      .select(['user_id', 'role'])
      .where('id', '=', match[1]!)
      .where('secret_digest', '=', digest(match[2]!))
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return row ? { userId: row.user_id, role: row.role } : null;
  }

  /** Revokes a token by its id; false if there was no live one. */
  async revoke(id: string, now = new Date()): Promise<boolean> {
    const result = await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: now.toISOString() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async list(): Promise<ApiTokenRow[]> {
    const rows = await this.db.selectFrom('api_tokens').selectAll().orderBy('issued_at', 'desc').execute();
    return rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      role: r.role,
      label: r.label,
      issuedBy: r.issued_by,
      issuedAt: r.issued_at,
      revokedAt: r.revoked_at,
    }));
  }
}
