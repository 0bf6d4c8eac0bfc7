/**
 * The messages a transfer workflow takes. Shared by the workflow and every client (CLI, web, tests).
 * Events arrive as the `submitEvent` Update when the sender can wait for a validated answer, and
 * as the `eventSignal` signal from webhooks (member SMS replies) that cannot.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { TransitionEvent } from '../domain/events';
import type { TransferState } from '../domain/state';

export const submitEvent = defineUpdate<TransferState, [TransitionEvent]>('submitEvent');
export const eventSignal = defineSignal<[TransitionEvent]>('eventSignal');
export const getState = defineQuery<TransferState>('getState');
