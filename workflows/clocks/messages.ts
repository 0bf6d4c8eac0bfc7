/** The messages every coordination clock takes (workflows/event-messages.ts). */
import type { ClockEvent } from '../../domain/clocks/events';
import type { ClockState } from '../../domain/clocks/state';
import { defineEventMessages } from '../event-messages';

export const clockMessages = defineEventMessages<ClockEvent, ClockState>({
  event: 'clockEventSignal',
  check: 'checkClockEvent',
  outcome: 'clockEventOutcome',
  state: 'getClockState',
});
