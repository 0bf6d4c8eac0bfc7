/** The visibility query behind `referrals list`: filters become clauses, and only checked values get in. */
import path from 'node:path';
import { transferListQuery } from '../client/transfer-list';
import { InvalidInputError } from '../client/service-errors';
import { stuckQuery } from '../domain/search-attributes';
import { loadDirectory } from '../infra/config-files';

const directory = loadDirectory(path.resolve(__dirname, '..', 'config', 'directory.json'));
const now = () => new Date('2026-12-01T17:00:00Z');

test('filters become clauses on the custom search attributes, running transfers by default', () => {
  expect(transferListQuery(directory, { stage: 'send-packet', waitingOn: 'partner', provider: 'redwood-iop' }, now)).toBe(
    'WorkflowType = "levelOfCareTransition" AND ExecutionStatus = "Running" AND ReferralStage = "send-packet" AND WaitingOn = "partner" AND ReceivingProvider = "redwood-iop"',
  );
});

test('asking for ended transfers (stage done, or --all) drops the running clause', () => {
  expect(transferListQuery(directory, { stage: 'done' }, now)).toBe('WorkflowType = "levelOfCareTransition" AND ReferralStage = "done"');
  expect(transferListQuery(directory, { status: 'all' }, now)).toBe('WorkflowType = "levelOfCareTransition"');
});

test('stuck uses the managers\' saved query, as of the given time or now', () => {
  const asOf = new Date('2026-11-30T00:00:00Z');
  expect(transferListQuery(directory, { stuck: true, asOf, waitingOn: 'partner' }, now)).toBe(`${stuckQuery(asOf)} AND WaitingOn = "partner"`);
  expect(transferListQuery(directory, { stuck: true }, now)).toBe(stuckQuery(now()));
});

test.each([
  ['stage', { stage: 'send-packet" OR WorkflowId != "' }],
  ['waitingOn', { waitingOn: 'partner" OR 1=1' }],
  ['provider', { provider: 'bayside-outpatient" OR ReceivingProvider != "' }],
  ['provider', { provider: 'not-in-directory' }],
])('a %s filter outside the domain values is refused by name', (field, filters) => {
  let error: unknown;
  try {
    transferListQuery(directory, filters as never, now);
  } catch (err) {
    error = err;
  }
  expect(error).toBeInstanceOf(InvalidInputError);
  expect((error as InvalidInputError).problems.map((p) => p.field)).toEqual([field]);
});
