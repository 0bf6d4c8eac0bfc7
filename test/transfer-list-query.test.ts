/** The visibility query behind `referrals list`: filters become clauses, and only checked values get in. */
import path from 'node:path';
import { TypedSearchAttributes } from '@temporalio/common';
import { clockListQuery } from '../client/clock-list';
import { toTransferRow, transferListQuery } from '../client/transfer-list';
import { InvalidInputError } from '../client/service-errors';
import { stuckQuery } from '../domain/search-attributes';
import { loadDirectory } from '../infra/config-files';

const directory = loadDirectory(path.resolve(__dirname, '..', 'config', 'directory.json'));
const now = () => new Date('2026-12-01T17:00:00Z');

test('filters become clauses on the custom search attributes, running transfers by default', () => {
  expect(
    transferListQuery(directory, { stage: 'send-packet', waitingOn: 'partner', provider: 'redwood-iop' }, now),
  ).toBe(
    'WorkflowType = "levelOfCareTransition" AND ExecutionStatus = "Running" AND ReferralStage = "send-packet" AND WaitingOn = "partner" AND ReceivingProvider = "redwood-iop"',
  );
});

test('asking for ended transfers (stage done, or --all) drops the running clause', () => {
  expect(transferListQuery(directory, { stage: 'done' }, now)).toBe(
    'WorkflowType = "levelOfCareTransition" AND ReferralStage = "done"',
  );
  expect(transferListQuery(directory, { status: 'all' }, now)).toBe('WorkflowType = "levelOfCareTransition"');
});

test("stuck uses the managers' saved query, as of the given time or now", () => {
  const asOf = new Date('2026-11-30T00:00:00Z');
  expect(transferListQuery(directory, { stuck: true, asOf, waitingOn: 'partner' }, now)).toBe(
    `${stuckQuery(asOf)} AND WaitingOn = "partner"`,
  );
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

test('the stuck query covers transfers and every coordination clock', () => {
  expect(stuckQuery(new Date('2026-11-30T00:00:00Z'))).toBe(
    'WorkflowType IN ("levelOfCareTransition", "residentialPlanNotice", "crisisFollowUp", "medicationAssistedTreatmentReferral", "problemListUpdate", "newMemberScreening", "monthlyPlanCoordination")' +
      ' AND ExecutionStatus = "Running" AND (StageDeadline < "2026-11-30T00:00:00.000Z"' +
      ' OR TemporalReportedProblems IN ("category=WorkflowTaskFailed", "category=WorkflowTaskTimedOut"))',
  );
});

test('clock lists ask for the clock workflow types only, running by default', () => {
  expect(clockListQuery({ kind: 'problem-list-update' })).toBe(
    'WorkflowType = "problemListUpdate" AND ExecutionStatus = "Running"',
  );
  expect(clockListQuery({ status: 'all' })).toMatch(
    /^WorkflowType IN \("residentialPlanNotice", .*"monthlyPlanCoordination"\)$/,
  );
  expect(() => clockListQuery({ kind: 'x" OR 1=1' as never })).toThrow(InvalidInputError);
});

test('rows name a transfer by its referral id and a clock by its clock id, with their kinds', () => {
  const info = (workflowId: string, type: string) =>
    ({
      workflowId,
      type,
      status: { name: 'RUNNING' },
      typedSearchAttributes: new TypedSearchAttributes(),
      startTime: new Date('2026-11-30T00:00:00Z'),
      closeTime: undefined,
    }) as unknown as Parameters<typeof toTransferRow>[0];
  expect(toTransferRow(info('transition-R-7K3M9Q2XWD', 'levelOfCareTransition'))).toMatchObject({
    id: 'R-7K3M9Q2XWD',
    referralId: 'R-7K3M9Q2XWD',
    kind: 'transfer',
  });
  expect(toTransferRow(info('clock-C-7K3M9Q2XWD', 'problemListUpdate'))).toMatchObject({
    id: 'C-7K3M9Q2XWD',
    referralId: 'C-7K3M9Q2XWD',
    kind: 'problem-list-update',
  });
  expect(toTransferRow(info('clock-C-7K3M9Q2XWD-discharge', 'residentialPlanNotice'))).toMatchObject({
    id: 'C-7K3M9Q2XWD-discharge',
    kind: 'residential-notice',
  });
});
