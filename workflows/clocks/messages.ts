/** The messages every coordination clock takes, shared by the workflows and their clients. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ClockEvent } from '../../domain/clocks/events';
import type { ClockState } from '../../domain/clocks/state';

export const submitClockEvent = defineUpdate<ClockState, [ClockEvent]>('submitClockEvent');
export const clockEventSignal = defineSignal<[ClockEvent]>('clockEventSignal');
export const getClockState = defineQuery<ClockState>('getClockState');
