/**
 * Local staff accounts, the embedded default: a JSON file of `{ id, role, passwordHash }` with
 * scrypt hashes. On first start `npm start` creates one account per role with a random password,
 * written once to a file beside it for the person setting up (never logged).
 */
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../infra/config';

export const StaffRole = z.enum(['intake', 'manager', 'admin']);
export type StaffRole = z.infer<typeof StaffRole>;

const Account = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,62}$/),
    role: StaffRole,
    passwordHash: z.string().startsWith('scrypt$'),
  })
  .strict();
const AccountsFile = z.object({ accounts: z.array(Account).min(1) }).strict();
export type StaffAccount = z.infer<typeof Account>;
export interface StaffUser {
  id: string;
  role: StaffRole;
}

export function hashPassword(password: string, salt = randomBytes(16)): string {
  return `scrypt$${salt.toString('base64url')}$${scryptSync(password, salt, 32).toString('base64url')}`;
}

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, length: number) => Promise<Buffer>;

/** On libuv's thread pool: a check takes about 50 ms, and must not stall every other request meanwhile. */
async function passwordMatches(password: string, stored: string): Promise<boolean> {
  const [, salt = '', hash = ''] = stored.split('$');
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), 32);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** A hash to compare against when the user is unknown, so timing does not reveal which ids exist. */
const DUMMY_HASH = hashPassword(randomBytes(16).toString('hex'));

export class StaffAccounts {
  constructor(private readonly accounts: StaffAccount[]) {}

  static fromFile(file: string): StaffAccounts {
    const parsed = AccountsFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success)
      throw new ConfigError(
        `Invalid ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    return new StaffAccounts(parsed.data.accounts);
  }

  async signIn(id: string, password: string): Promise<StaffUser | null> {
    const account = this.accounts.find((a) => a.id === id);
    const ok = await passwordMatches(password, account?.passwordHash ?? DUMMY_HASH);
    return ok && account ? { id: account.id, role: account.role } : null;
  }

  list(): StaffUser[] {
    return this.accounts.map((a) => ({ id: a.id, role: a.role }));
  }

  find(id: string): StaffUser | null {
    const account = this.accounts.find((a) => a.id === id);
    return account ? { id: account.id, role: account.role } : null;
  }
}

/** Creates the accounts file and its passwords file (owner-only) unless it exists. Returns the passwords file when it did. */
export function ensureAccountsFile(file: string): string | null {
  if (existsSync(file)) return null;
  mkdirSync(path.dirname(file), { recursive: true });
  const passwords = StaffRole.options.map((role) => ({
    id: role,
    role,
    password: randomBytes(12).toString('base64url'),
  }));
  const passwordsFile = `${file}.passwords`;
  writeFileSync(passwordsFile, passwords.map((p) => `${p.id} (${p.role}): ${p.password}`).join('\n') + '\n', {
    mode: 0o600,
  });
  const accounts = passwords.map((p) => ({ id: p.id, role: p.role, passwordHash: hashPassword(p.password) }));
  writeFileSync(file, JSON.stringify({ accounts }, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  return passwordsFile;
}
