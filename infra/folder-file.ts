/**
 * Writes a file into a folder that may not exist yet. The folder is created only when the write
 * finds it missing: the catchers and the draft outbox write on every send, and a `mkdir` before
 * each write was 3% of a busy worker's main thread (docs/performance.md).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export async function writeFileInFolder(
  dir: string,
  name: string,
  data: string | Uint8Array,
  flag: 'w' | 'wx' = 'w',
): Promise<void> {
  const file = path.join(dir, name);
  try {
    await writeFile(file, data, { flag });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    await mkdir(dir, { recursive: true });
    await writeFile(file, data, { flag });
  }
}
