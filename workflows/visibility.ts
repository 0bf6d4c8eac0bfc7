/**
 * What managers see in the Temporal UI: search attributes (ids, stage names, dates only) and
 * the current-details line. Only changed attributes are upserted, to keep history short.
 */
import * as wf from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { describeForManagers } from '../domain/details';
import { SA } from '../domain/search-attributes';
import type { TransferState } from '../domain/state';
import type { TransitionInput } from '../domain/transfer';

export class Visibility {
  private readonly published = new Map<string, string>();

  constructor(private readonly input: TransitionInput) {}

  publish(state: TransferState): void {
    const wanted: SearchAttributeUpdatePair[] = [
      { key: SA.ReferralStage, value: state.stage },
      { key: SA.WaitingOn, value: state.waitingOn },
      { key: SA.StageDeadline, value: state.stageDeadline ? new Date(state.stageDeadline) : null },
      { key: SA.EscalationLevel, value: state.escalationLevel },
      { key: SA.ReceivingProvider, value: state.receivingProviderId },
      { key: SA.SendingProgram, value: this.input.sendingProgramId },
      { key: SA.CaseManager, value: this.input.caseManagerId },
      { key: SA.LevelOfCare, value: this.input.toLevelOfCare },
      { key: SA.Urgency, value: this.input.urgency },
      { key: SA.Outcome, value: state.stage === 'done' ? (state.outcome ?? null) : null },
    ] as SearchAttributeUpdatePair[];
    const changed = wanted.filter((pair) => {
      const text = JSON.stringify(pair.value);
      if (this.published.get(pair.key.name) === text) return false;
      this.published.set(pair.key.name, text);
      return true;
    });
    if (changed.length) wf.upsertSearchAttributes(changed);
    wf.setCurrentDetails(describeForManagers(state, this.input.policy.calendar.timeZone));
  }
}
