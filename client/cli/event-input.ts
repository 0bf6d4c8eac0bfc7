/** Builds an event for the service from the `event` command's type, --json/--file, flags and --as. */
import { TransitionEvent, type EventType } from '../../domain/events';
import { InvalidInputError } from '../service-errors';
import { applyFieldFlags, givenFlags } from './field-flags';
import { EVENT_FLAGS, parseActor } from './event-flags';
import { baseObject } from './json-input';

export interface EventCommandOptions extends Record<string, unknown> {
  as: string;
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
  const fields = [...eventFields(type), 'sentAt'];
  const stray = givenFlags(opts, EVENT_FLAGS).filter((f) => !fields.includes(f.path[0] ?? ''));
  if (stray.length > 0) {
    const takes = eventFields(type).join(', ') || 'no fields';
    throw new InvalidInputError(
      stray.map((f) => ({ field: f.option.long ?? f.path.join('.'), message: `${type} takes ${takes}` })),
    );
  }
  return { ...applyFieldFlags(baseObject(opts), opts, EVENT_FLAGS), type, actor: parseActor(opts.as) };
}
