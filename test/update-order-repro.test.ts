/**
 * The SDK behaviour the transfer was redesigned around (docs/crash-safety.md), pinned against the
 * installed @temporalio packages with the minimal reproduction (tools/repro-update-order): after a
 * worker is killed, an Update that joins the workflow task of a retried activity's completion is
 * recorded in an order its replay disagrees with, when reads by query come in meanwhile. The same
 * event sent as a signal, as transfers and clocks now take every event, replays cleanly.
 * If the first test fails after an SDK upgrade, the SDK has fixed it: say so in the docs.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { reproduce } from '../tools/repro-update-order/run';

const WORKFLOWS = 20;

// Replaying each history logs a worker's life at INFO.
beforeAll(() => Runtime.install({ logger: new DefaultLogger('WARN') }));

test('with Updates and reads by query, a worker kill leaves histories that fail to replay', async () => {
  const [withReads] = await reproduce(WORKFLOWS, 'update', [true], false);
  // The order depends on timing: the completion and the Update must meet in one task. Whenever they did, replay failed.
  expect(withReads).toMatchObject({ replayFailed: withReads!.completionBeforeUpdateInOneTask });
  expect(withReads!.replayFailed).toBeGreaterThan(0);
}, 240_000);

test('with signals and the same reads, every history replays after the kill', async () => {
  const [withReads] = await reproduce(WORKFLOWS, 'signal', [true]);
  expect(withReads).toMatchObject({ replayFailed: 0, stuckAfterRestart: 0 });
}, 240_000);
