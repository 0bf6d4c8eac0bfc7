/**
 * The bench's bare baseline copies a fixed shape (tools/bench/happy-path-shape.ts). Here the happy
 * path is driven as the bench drives it (its simulated people, its policy, the real dev server and
 * worker) and its recorded history must have that shape: a change to the transfer that adds or
 * drops activities, timers or upserts fails here until the shape is updated.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeBenchPolicy } from '../tools/bench/bench-policy';
import { HAPPY_PATH_SHAPE, recordedShape } from '../tools/bench/happy-path-shape';
import { driveTransfer } from '../tools/bench/simulated-people';
import { useFreshAppDb } from './support/app-db';
import { useDevServerStack } from './support/local-dev-server';

useFreshAppDb();
const policyDir = mkdtempSync(path.join(os.tmpdir(), 'referrals-bench-policy-'));
const stack = useDevServerStack('referrals-shape-', { REFERRALS_POLICY_FILE: writeBenchPolicy(policyDir) });

test("the bench's happy path records the shape its bare baseline copies", async () => {
  const stopWorker = await stack.runWorker();
  try {
    const ended = await driveTransfer(stack.service, 4_000);
    expect(ended.outcome).toBe('linked');
    const { shape } = await recordedShape(stack.env.client, ended.referralId);
    // One notice after the booking goes out or not as the case manager's handoff answer comes
    // before or after it: 12 or 13 activities (13 in 3 of 5 runs on an idle dev server).
    expect(shape.activities - HAPPY_PATH_SHAPE.activities).toBeGreaterThanOrEqual(0);
    expect(shape.activities - HAPPY_PATH_SHAPE.activities).toBeLessThanOrEqual(1);
    expect({ ...shape, activities: HAPPY_PATH_SHAPE.activities }).toEqual(HAPPY_PATH_SHAPE);
  } finally {
    await stopWorker();
  }
}, 120_000);

afterAll(() => rmSync(policyDir, { recursive: true, force: true }));
