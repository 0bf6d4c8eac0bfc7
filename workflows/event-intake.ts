/**
 * How events reach a transfer or a coordination clock, one way for both (workflows/event-messages.ts).
 * Each event is a signal, taken one at a time in history order: a replay after a crash takes it at
 * the same point, whatever queries the restarted worker answered meanwhile. A misfit is noted in
 * the timeline and, when the sender named the event, given back as the refusal it waits for.
 */
import * as wf from '@temporalio/workflow';
import type { z } from 'zod';
import { describeIssues } from '../domain/validation';
import type { EventMessages, EventOutcome } from './event-messages';

/** What the timeline of a transfer and of a clock both hold for an event that did not fit. */
interface IgnoredEvent {
  at: string;
  kind: 'ignored-event';
  type: string;
  reason: string;
}

/** How an accepted event arrived: from a sender waiting for the answer, or from a webhook. */
export type EventSource = 'call' | 'webhook';

export interface EventIntake<E extends { type: string }, S> {
  messages: EventMessages<E, S>;
  schema: z.ZodType<E>;
  state: S & { timeline: (IgnoredEvent | object)[] };
  /** Why the event does not fit at `at`; null when it does. */
  whyRejected(event: E, at: Date): string | null;
  /** Events that need the sender to wait for the answer (a lookup first): refused from webhooks. */
  callOnly?: E['type'][];
  /** Work done before the event is recorded, such as looking up a provider; its ApplicationFailure refuses the event. */
  prepare?(event: E): Promise<void>;
  accept(event: E, source: EventSource): void;
  /** Outcomes a run continued as new carries over, so a sender still reads back its event's. */
  carriedOutcomes?: CarriedOutcomes;
}

/** What became of each named event, latest last: the part a run passes to the one it continues as. */
export type CarriedOutcomes = [string, 'pending' | { reason: string } | 'accepted'][];

/** Outcomes of named events, the latest kept: a sender reads its own back within seconds. */
const OUTCOMES_KEPT = 50;

/** Returns the outcomes to carry if the run continues as new. */
export function listenForEvents<E extends { type: string }, S>(intake: EventIntake<E, S>): () => CarriedOutcomes {
  const outcomes = new Map(intake.carriedOutcomes ?? []);
  const remember = (eventId: string | undefined, outcome: 'pending' | { reason: string } | 'accepted') => {
    if (!eventId) return;
    outcomes.set(eventId, outcome);
    if (outcomes.size > OUTCOMES_KEPT) outcomes.delete(outcomes.keys().next().value!);
  };

  const whyNot = (raw: unknown, source: EventSource, at: (event: E) => Date = () => new Date()): string | null => {
    const parsed = intake.schema.safeParse(raw);
    if (!parsed.success) return describeIssues(parsed.error);
    if (source === 'webhook' && intake.callOnly?.includes(parsed.data.type))
      return `${parsed.data.type} needs a sender that waits for the answer`;
    return intake.whyRejected(parsed.data, at(parsed.data));
  };
  /**
   * A query sees the workflow's time as of its last task, which may lag the sender's: `check`
   * judges at the later of the two. It only advises; the signal is judged again at its own time.
   */
  const checkTime = (event: E): Date => {
    const sentAt = Date.parse(String((event as { sentAt?: unknown }).sentAt));
    return new Date(Math.max(Date.now(), Number.isNaN(sentAt) ? 0 : sentAt));
  };

  const take = async (raw: unknown, eventId: string | undefined): Promise<void> => {
    const source: EventSource = eventId ? 'call' : 'webhook';
    let why = whyNot(raw, source);
    if (!why) {
      const event = intake.schema.parse(raw);
      try {
        await intake.prepare?.(event);
        intake.accept(event, source);
        remember(eventId, 'accepted');
        return;
      } catch (err) {
        if (!(err instanceof wf.ApplicationFailure)) throw err;
        why = err.message;
      }
    }
    const ignored: IgnoredEvent = {
      at: new Date().toISOString(),
      kind: 'ignored-event',
      type: String((raw as { type?: unknown })?.type),
      reason: why,
    };
    intake.state.timeline.push(ignored);
    remember(eventId, { reason: why });
  };

  // One event at a time, in the order the history holds them: a lookup in `prepare` never lets a later event overtake.
  let queue = Promise.resolve();
  wf.setHandler(intake.messages.event, (raw, eventId) => {
    if (eventId && outcomes.has(eventId)) return; // the sender retried: the event was already taken
    remember(eventId, 'pending');
    queue = queue.then(() => take(raw, eventId));
  });
  wf.setHandler(intake.messages.check, (raw) => whyNot(raw, 'call', checkTime));
  wf.setHandler(intake.messages.outcome, (eventId): EventOutcome<S> => {
    const outcome = outcomes.get(eventId);
    if (outcome === undefined) return { status: 'unknown' };
    if (outcome === 'pending') return { status: 'pending' };
    if (outcome === 'accepted') return { status: 'accepted', state: intake.state };
    return { status: 'refused', reason: outcome.reason };
  });
  wf.setHandler(intake.messages.state, () => intake.state);
  return () => [...outcomes];
}
