/**
 * The embedded default channel: every outgoing message is written to a local outbox folder,
 * one file per business key. Creating the file is atomic and exclusive, so a retried or
 * replayed send with the same key records (and will send) exactly once.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

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
  attachments?: { name: string; content: unknown }[];
}

export class LocalOutbox {
  constructor(private readonly dir: string) {}

  /** 'sent' the first time a key is seen, 'duplicate' after. */
  async deliver(message: OutboundMessage): Promise<'sent' | 'duplicate'> {
    return writeOnce(this.dir, message.key, { ...message, recordedAt: new Date().toISOString() });
  }

  async list(): Promise<OutboundMessage[]> {
    return readAll<OutboundMessage>(this.dir, (m) => m.dueAt);
  }
}

export async function writeOnce(dir: string, key: string, record: unknown): Promise<'sent' | 'duplicate'> {
  await mkdir(dir, { recursive: true });
  try {
    await writeFile(path.join(dir, `${encodeURIComponent(key)}.json`), JSON.stringify(record, null, 2), { flag: 'wx' });
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
  const items = await Promise.all(names.filter((n) => n.endsWith('.json')).map(async (n) => JSON.parse(await readFile(path.join(dir, n), 'utf8')) as T));
  return items.sort((a, b) => orderBy(a).localeCompare(orderBy(b)));
}
