/** One line for each entry of a coordination clock's timeline: the CLI's `clock show` and the staff page. */
import type { ClockTimelineEntry } from '../domain/clocks/state';
import { waitingTimelineLine } from './cli/render-transfer';

export function clockTimelineLine(entry: ClockTimelineEntry, showDeadline?: (iso: string) => string): string {
  switch (entry.kind) {
    case 'event':
      return `${entry.event.type} by ${entry.event.actor.role}:${entry.event.actor.id}${entry.via === 'webhook' ? ' (webhook)' : ''}`;
    case 'note-drafted':
      return `progress note drafted (${entry.action})`;
    default:
      return waitingTimelineLine(entry, showDeadline);
  }
}
