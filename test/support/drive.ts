/**
 * Takes a transfer through its stages as staff, partner and member would, from wherever it is,
 * and stops when it reaches the stage asked for.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { ReferralStage } from '../../domain/stages';
import type { Consent } from '../../domain/consent';
import type { TransferState } from '../../domain/state';
import { CASE_MANAGER, consentFor, partner, type TransferHarness } from './transfer-harness';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export async function driveTo(
  h: TransferHarness,
  handle: WorkflowHandle,
  target: ReferralStage,
): Promise<TransferState> {
  let state = await h.waitFor(handle, (s) => s.consentNeeded !== null, 'the provider lookup');
  for (let step = 0; step < 20; step++) {
    if (state.stage === 'done') throw new Error(`transfer ended (${state.outcome}) before ${target}`);
    if (state.stage === target && (target !== 'send-packet' || state.requestSentAt)) return state;
    const provider = partner(state.receivingProviderId);
    const before = state.timeline.length;
    switch (state.stage) {
      case 'inform-member':
        await h.send(handle, { type: 'member-informed', actor: CASE_MANAGER, concernsAddressed: true });
        break;
      case 'assemble-packet':
        break; // the packet assembles itself when the chart is complete
      case 'obtain-consent':
        await h.send(handle, {
          type: 'consent-recorded',
          actor: CASE_MANAGER,
          consent: consentFor([{ providerId: state.receivingProviderId }], {
            consentId: `C-drive-${state.providerChanges}`,
          }),
        });
        break;
      case 'send-packet':
        if (!state.requestSentAt) {
          // The packet waits for business hours: let the night, weekend or holiday pass, an hour at a time.
          for (let i = 0; i < 24 * 7 && !(await h.state(handle)).requestSentAt; i++) await h.advance(HOUR);
          state = await h.waitFor(handle, (s) => s.requestSentAt !== undefined, 'the packet to go out');
          continue;
        }
        await h.send(handle, { type: 'packet-acknowledged', actor: provider });
        break;
      case 'confirm-scheduled': {
        const appointmentAt = new Date((await h.now()).getTime() + 3 * DAY);
        await h.send(handle, {
          type: 'appointment-scheduled',
          actor: provider,
          appointmentAt: appointmentAt.toISOString(),
        });
        break;
      }
      case 'warm-handoff':
        await h.advance(new Date(state.appointment!.at).getTime() - (await h.now()).getTime() + 60_000);
        break;
      case 'confirm-attendance':
        await h.send(handle, { type: 'attendance-confirmed', actor: provider });
        break;
      case 'close-episode':
        throw new Error(`cannot drive past close-episode to ${target}`);
    }
    state = await h.waitFor(
      handle,
      (s) => s.timeline.length > before && (s.stage !== state.stage || s.requestSentAt !== state.requestSentAt),
      `progress from ${state.stage}`,
    );
  }
  throw new Error(`did not reach ${target}`);
}

/**
 * Steps i to iv as staff record them: the member informed, then a consent naming `recipients`.
 * Resolves once the packet is out.
 */
export async function informAndConsent(
  h: TransferHarness,
  handle: WorkflowHandle,
  recipients: Consent['recipients'],
): Promise<TransferState> {
  await h.waitFor(handle, (s) => s.consentNeeded !== null);
  await h.send(handle, { type: 'member-informed', actor: CASE_MANAGER, concernsAddressed: true });
  await h.waitFor(handle, (s) => s.stage === 'obtain-consent');
  await h.send(handle, { type: 'consent-recorded', actor: CASE_MANAGER, consent: consentFor(recipients) });
  return h.waitFor(handle, (s) => s.requestSentAt !== undefined);
}

/** Step viii: staff close the episode, the discharge summary done and the other providers told. */
export async function closeTheEpisode(h: TransferHarness, handle: WorkflowHandle): Promise<TransferState> {
  return h.send(handle, {
    type: 'episode-closed',
    actor: CASE_MANAGER,
    dischargeSummaryCompleted: true,
    otherProvidersInformed: true,
  });
}

/** Step vi as the case manager records it: introductions made, transportation arranged. */
export async function arrangeHandoff(h: TransferHarness, handle: WorkflowHandle): Promise<TransferState> {
  await h.waitFor(handle, (s) => s.stage === 'warm-handoff');
  return h.send(handle, {
    type: 'handoff-arranged',
    actor: CASE_MANAGER,
    introductions: true,
    transportation: 'arranged',
  });
}
