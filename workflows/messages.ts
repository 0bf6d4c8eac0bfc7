/** The messages a transfer workflow takes (workflows/event-messages.ts). */
import type { TransitionEvent } from '../domain/events';
import type { TransferState } from '../domain/state';
import { defineEventMessages } from './event-messages';

export const transferMessages = defineEventMessages<TransitionEvent, TransferState>({
  event: 'eventSignal',
  check: 'checkEvent',
  outcome: 'eventOutcome',
  state: 'getState',
});
