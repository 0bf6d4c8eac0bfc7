/**
 * `start-dev --search-attribute` only applies when the server creates the namespace, so a data file
 * from an older release keeps an older list. ensureSearchAttributes closes that gap.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_FLAGS } from '../domain/search-attributes';
import {
  assertNoLeftoverServer,
  customSearchAttributes,
  ensureSearchAttributes,
  startDevServer,
  waitUntilReady,
  type DevServerOptions,
  placementIn,
} from '../scripts/dev-server';
import { ensureTemporalCli } from '../scripts/temporal-binaries';
import { freePort, freePorts } from './support/npm-start';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'referrals-dev-server-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pidFile = (): string => path.join(dir, 'temporal-server.pid');

async function withServer(searchAttributes: string[], fn: (c: Connection) => Promise<void>): Promise<void> {
  const [port, uiPort] = (await freePorts(2)) as [number, number];
  const options: DevServerOptions = {
    cliPath: ensureTemporalCli(),
    ...placementIn(dir, port, uiPort),
    pidFile: pidFile(),
    searchAttributes,
  };
  const server = startDevServer(options);
  try {
    const connection = await waitUntilReady({
      address: server.address,
      namespace: 'default',
      exited: server.exited,
      logFile: options.logFile,
    });
    try {
      await fn(connection);
    } finally {
      await connection.close();
    }
  } finally {
    await server.stop();
  }
}

test('a data file with an older list of search attributes gets the missing ones, which then persist', async () => {
  const older = SEARCH_ATTRIBUTE_FLAGS.slice(0, 3);
  await withServer(older, async (c) => {
    expect(Object.keys(await customSearchAttributes(c, 'default')).sort()).toEqual(
      older.map((f) => f.split('=')[0]).sort(),
    );
  });

  await withServer(SEARCH_ATTRIBUTE_FLAGS, async (c) => {
    // The flags alone do not add them to an existing namespace...
    expect(Object.keys(await customSearchAttributes(c, 'default'))).toHaveLength(older.length);
    // ...so start.ts does.
    const added = await ensureSearchAttributes(c, 'default', SEARCH_ATTRIBUTE_FLAGS);
    expect(added.sort()).toEqual(
      SEARCH_ATTRIBUTE_FLAGS.slice(3)
        .map((f) => f.split('=')[0])
        .sort(),
    );
    expect(await ensureSearchAttributes(c, 'default', SEARCH_ATTRIBUTE_FLAGS)).toEqual([]);
  });

  await withServer(SEARCH_ATTRIBUTE_FLAGS, async (c) => {
    expect(Object.keys(await customSearchAttributes(c, 'default'))).toHaveLength(SEARCH_ATTRIBUTE_FLAGS.length);
    // A name registered with another type is a conflict to report, not to paper over.
    await expect(ensureSearchAttributes(c, 'default', ['Outcome=Int'])).rejects.toThrow(
      /Outcome .* expected INDEXED_VALUE_TYPE_INT/,
    );
  });
});

test('the SQLite file is kept in write-ahead-log mode (one append per commit, not a rollback journal)', async () => {
  await withServer([], async () => {
    expect(existsSync(path.join(dir, 'temporal.sqlite-wal'))).toBe(true);
  });
  // The file header's read and write format versions are 2 for WAL and 1 for a rollback journal.
  const header = readFileSync(path.join(dir, 'temporal.sqlite')).subarray(18, 20);
  expect([...header]).toEqual([2, 2]);
});

test('waitUntilReady gives up with the address and the log file when nothing answers', async () => {
  const port = await freePort();
  await expect(
    waitUntilReady({
      address: `127.0.0.1:${port}`,
      namespace: 'default',
      timeoutMs: 1500,
      logFile: '/x/temporal-server.log',
    }),
  ).rejects.toThrow(new RegExp(`127\\.0\\.0\\.1:${port} did not answer within 1500 ms .*see /x/temporal-server.log`));
});

test('a server left running is reported with its pid; a stale pid file is cleared', async () => {
  await withServer([], async () => {
    expect(() => assertNoLeftoverServer(pidFile())).toThrow(/still running\. Stop it with: kill \d+/);
  });
  expect(existsSync(pidFile())).toBe(false);

  // A pid now used by another program (this test runner) is not a dev server.
  writeFileSync(pidFile(), `${process.pid}\n`);
  expect(() => assertNoLeftoverServer(pidFile())).not.toThrow();
  expect(existsSync(pidFile())).toBe(false);
});
