/**
 * The messages a transfer and a coordination clock both take, one set each, shared by the
 * workflows and every client (CLI, web, webhooks, tests). Events arrive only as a signal: its
 * place in the history fixes when the workflow takes it, so a replay after a worker crash meets
 * each event where the first run did (docs/crash-safety.md). A sender that waits for the answer
 * asks `check` first, sends the signal with an event id, and reads `outcome` back.
 */
import { defineQuery, defineSignal, type QueryDefinition, type SignalDefinition } from '@temporalio/workflow';

/** What became of one event a sender named by its id. */
export type EventOutcome<S> =
  | { status: 'unknown' }
  | { status: 'pending' }
  | { status: 'refused'; reason: string }
  | { status: 'accepted'; state: S };

export interface EventMessages<E, S> {
  /** The event, with the sender's id when it waits for the outcome; webhooks send none. */
  event: SignalDefinition<[E, string?]>;
  /** Why the event would be refused now (null: it fits); refusals never reach the history. */
  check: QueryDefinition<string | null, [unknown]>;
  outcome: QueryDefinition<EventOutcome<S>, [string]>;
  state: QueryDefinition<S>;
}

export function defineEventMessages<E, S>(names: {
  event: string;
  check: string;
  outcome: string;
  state: string;
}): EventMessages<E, S> {
  return {
    event: defineSignal<[E, string?]>(names.event),
    check: defineQuery<string | null, [unknown]>(names.check),
    outcome: defineQuery<EventOutcome<S>, [string]>(names.outcome),
    state: defineQuery<S>(names.state),
  };
}
