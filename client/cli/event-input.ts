/** Builds an event for the web API from the `event` command's type, --json/--file and flags; the API adds who sent it and when. */
import { TransitionEvent, type EventType } from '../../domain/events';
import { InvalidInputError } from '../service-errors';
import { applyFieldFlags, givenFlags } from './field-flags';
import { EVENT_FLAGS } from './event-flags';
import { baseObject } from './json-input';

export interface EventCommandOptions extends Record<string, unknown> {
  json?: string;
  file?: string;
}

/** The fields an event type carries besides its envelope (type, actor, sentAt). */
export function eventFields(type: EventType): string[] {
  const schema = TransitionEvent.options.find((o) => o.shape.type.value === type);
  return Object.keys(schema?.shape ?? {}).filter((k) => !['type', 'actor', 'sentAt'].includes(k));
}

export function eventInput(type: EventType, opts: EventCommandOptions): Record<string, unknown> {
  // A flag that does not belong to this event type is a mistake worth naming, not ignoring.
  const fields = eventFields(type);
  const stray = givenFlags(opts, EVENT_FLAGS).filter((f) => !fields.includes(f.path[0] ?? ''));
  if (stray.length > 0) {
    const takes = eventFields(type).join(', ') || 'no fields';
    throw new InvalidInputError(
      stray.map((f) => ({ field: f.option.long ?? f.path.join('.'), message: `${type} takes ${takes}` })),
    );
  }
  const base = baseObject(opts);
  const envelope = ['actor', 'sentAt'].filter((k) => k in base);
  if (envelope.length > 0)
    throw new InvalidInputError(
      envelope.map((k) => ({ field: k, message: 'not accepted: events are sent as the API token holder, now' })),
    );
  return { ...applyFieldFlags(base, opts, EVENT_FLAGS), type };
}
