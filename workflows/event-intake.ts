/**
 * How events reach a transfer or a coordination clock, one way for both: the Update when the
 * sender can wait for a validated answer (a misfit is refused with its reason, the state
 * untouched), the signal from webhooks that cannot (a misfit is noted in the timeline, not
 * thrown), and the query that reads the state.
 */
import type { QueryDefinition, SignalDefinition, UpdateDefinition } from '@temporalio/common';
import * as wf from '@temporalio/workflow';
import type { z } from 'zod';
import { describeIssues } from '../domain/validation';

/** What the timeline of a transfer and of a clock both hold for a signal that did not fit. */
interface IgnoredEvent {
  at: string;
  kind: 'ignored-event';
  type: string;
  reason: string;
}

export interface EventIntake<E extends { type: string }, S> {
  update: UpdateDefinition<S, [E]>;
  signal: SignalDefinition<[E]>;
  query: QueryDefinition<S>;
  schema: z.ZodType<E>;
  state: S & { timeline: (IgnoredEvent | object)[] };
  /** Why the event does not fit now; null when it does. */
  whyRejected(event: E): string | null;
  /** Events that need an answer the sender waits for (a lookup first): refused as signals. */
  updateOnly?: E['type'][];
  /** Work an Update does before the event is recorded, such as looking up a provider. */
  prepare?(event: E): Promise<void>;
  accept(event: E, via: 'update' | 'signal'): void;
}

export function listenForEvents<E extends { type: string }, S>(intake: EventIntake<E, S>): void {
  wf.setHandler(intake.query, () => intake.state);
  wf.setHandler(
    intake.update,
    async (raw) => {
      const event = intake.schema.parse(raw);
      await intake.prepare?.(event);
      intake.accept(event, 'update');
      return intake.state;
    },
    {
      validator: (raw) => {
        const parsed = intake.schema.safeParse(raw);
        if (!parsed.success) throw new Error(describeIssues(parsed.error));
        const why = intake.whyRejected(parsed.data);
        if (why) throw new Error(why);
      },
    },
  );
  wf.setHandler(intake.signal, (raw) => {
    const parsed = intake.schema.safeParse(raw);
    const why = !parsed.success
      ? describeIssues(parsed.error)
      : intake.updateOnly?.includes(parsed.data.type)
        ? `${parsed.data.type} must be sent as an update`
        : intake.whyRejected(parsed.data);
    if (why || !parsed.success) {
      const type = String((raw as { type?: unknown })?.type);
      const ignored: IgnoredEvent = {
        at: new Date().toISOString(),
        kind: 'ignored-event',
        type,
        reason: why ?? 'invalid',
      };
      intake.state.timeline.push(ignored);
      return;
    }
    intake.accept(parsed.data, 'signal');
  });
}
