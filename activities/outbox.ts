/**
 * The local outbox, a `Courier` that writes every outgoing message to a folder as JSON, one file
 * per business key. Creating the file is atomic and exclusive, so a retried or replayed send with
 * the same key records exactly once. The workflow tests read it; the worker uses `ChannelCourier`
 * (courier.ts), whose fallbacks without credentials are the mailbox and SMS folders.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileInFolder } from '../infra/folder-file';
import type { ReplyContext } from '../infra/app-db/member-contacts';
import type { ReferralPacket } from './referral-packet';

export interface OutboundMessage {
  key: string;
  referralId: string;
  channel: 'sms' | 'email' | 'task';
  audience: string;
  kind: string;
  to: string;
  subject?: string;
  text: string;
  /** Workflow time at which the message was due. */
  dueAt: string;
  /** Partner disclosures: the packet, rendered as a PDF attachment by the email channel. */
  packet?: ReferralPacket;
  /** Member SMS: who a reply to this number concerns (recorded so a C reply finds the transfer). */
  replyContext?: ReplyContext;
}

export class LocalOutbox {
  constructor(private readonly dir: string) {}

  /** 'sent' the first time a key is seen, 'duplicate' after. */
  async deliver(message: OutboundMessage): Promise<'sent' | 'duplicate'> {
    return writeOnce(this.dir, message.key, { ...message, recordedAt: new Date().toISOString() });
  }
}

export async function writeOnce(dir: string, key: string, record: unknown): Promise<'sent' | 'duplicate'> {
  try {
    await writeFileInFolder(dir, `${encodeURIComponent(key)}.json`, JSON.stringify(record, null, 2), 'wx');
    return 'sent';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return 'duplicate';
    throw err;
  }
}

export async function readAll<T>(dir: string, orderBy: (t: T) => string): Promise<T[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const items = await Promise.all(
    names
      .filter((n) => n.endsWith('.json'))
      .map(async (n) => JSON.parse(await readFile(path.join(dir, n), 'utf8')) as T),
  );
  return items.sort((a, b) => orderBy(a).localeCompare(orderBy(b)));
}
