/**
 * What managers see in the Temporal UI: search attributes (ids, stage names, dates only) and
 * the current-details line. Only changed attributes are upserted, to keep history short.
 */
import * as wf from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { SA } from '../domain/search-attributes';
import type { TransferState } from '../domain/state';
import type { TransitionInput } from '../domain/transfer';

export class Visibility {
  private readonly published = new Map<string, string>();

  publish(wanted: SearchAttributeUpdatePair[], currentDetails: string): void {
    const changed = wanted.filter((pair) => {
      const text = JSON.stringify(pair.value);
      if (this.published.get(pair.key.name) === text) return false;
      this.published.set(pair.key.name, text);
      return true;
    });
    if (changed.length) wf.upsertSearchAttributes(changed);
    wf.setCurrentDetails(currentDetails);
  }
}

export function transferAttributes(state: TransferState, input: TransitionInput): SearchAttributeUpdatePair[] {
  return [
    { key: SA.ReferralStage, value: state.stage },
    { key: SA.WaitingOn, value: state.waitingOn },
    { key: SA.StageDeadline, value: state.stageDeadline ? new Date(state.stageDeadline) : null },
    { key: SA.EscalationLevel, value: state.escalationLevel },
    { key: SA.ReceivingProvider, value: state.receivingProviderId },
    { key: SA.SendingProgram, value: input.sendingProgramId },
    { key: SA.CaseManager, value: input.caseManagerId },
    { key: SA.LevelOfCare, value: input.toLevelOfCare },
    { key: SA.Urgency, value: input.urgency },
    { key: SA.Outcome, value: state.stage === 'done' ? (state.outcome ?? null) : null },
  ] as SearchAttributeUpdatePair[];
}
