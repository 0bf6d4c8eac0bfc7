/**
 * Replays stored histories (test/histories/, made by `npm run record-histories`) against the
 * current workflow code: a change that would break transfers already running fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';

const DIR = path.join(__dirname, '..', 'histories');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

test('there are stored histories to replay', () => {
  expect(files.length).toBeGreaterThanOrEqual(5);
});

test.each(files)('%s replays without nondeterminism', async (file) => {
  const history = temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(path.join(DIR, file), 'utf8')));
  await Worker.runReplayHistory(
    { workflowBundle: { codePath: process.env.REFERRALS_WORKFLOW_BUNDLE! } },
    history,
    file,
  );
});
