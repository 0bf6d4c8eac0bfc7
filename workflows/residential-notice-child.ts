/**
 * Seed 003 I.2.b.ix: a transfer leaving (or entering) residential treatment tells the managed care
 * plan through its own clock, a child workflow that outlives the transfer (parent close policy
 * ABANDON), so the 24-hour deadline and its escalation are tracked like any other clock's.
 */
import * as wf from '@temporalio/workflow';
import { clockWorkflowIdFor, residentialNoticeClockId } from '../domain/clocks/kinds';
import type { ConsentOnRecord } from '../domain/consent';
import type { TransitionInput } from '../domain/transfer';
import { residentialPlanNotice } from './clocks/residential-plan-notice';

/** Starts the notice clock; returns its id. The consents in force go with it (Part 2: one naming the plan lets the notice go at once). */
export async function startResidentialPlanNotice(
  input: TransitionInput & { managedCarePlanId: string },
  consents: ConsentOnRecord[],
  event: 'admission' | 'discharge',
  occurredAt: string,
): Promise<string> {
  const clockId = residentialNoticeClockId(input.referralId, event);
  await wf.startChild(residentialPlanNotice, {
    workflowId: clockWorkflowIdFor(clockId),
    parentClosePolicy: 'ABANDON',
    staticSummary: `Residential ${event} notice ${clockId} for transfer ${input.referralId}`,
    args: [
      {
        kind: 'residential-notice',
        clockId,
        member: input.member,
        programId: input.sendingProgramId,
        caseManagerId: input.caseManagerId,
        partTwo: input.partTwo,
        sequestered: input.sequestered,
        consents: consents
          .filter((c) => c.revokedAt === undefined)
          .map(({ revokedAt: _revoked, ...consent }) => consent),
        ...(input.plan ? { providers: [input.plan] } : {}),
        event,
        occurredAt,
        levelOfCare: event === 'discharge' ? input.fromLevelOfCare : input.toLevelOfCare,
        managedCarePlanId: input.managedCarePlanId,
        referralId: input.referralId,
        policy: input.policy,
      },
    ],
  });
  return clockId;
}
