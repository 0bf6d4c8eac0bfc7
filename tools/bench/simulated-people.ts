/**
 * Simulated staff, partner and member: they answer a transfer through the same TransferService
 * the CLI and web app use. Each step waits until the transfer is ready for it (polling the
 * state the service returns), then sends its event.
 */
import type { TransferService } from '../../client/transfer-service';
import type { Actor } from '../../domain/events';
import type { TransferState } from '../../domain/state';
import { TransferRequest, type TransferRequestInput } from '../../domain/transfer';
import sampleTransfer from '../../fixtures/sample-transfer.json';
import { consentFor } from '../../test/support/consents';
import { CallTimes } from './call-times';

/** The plan too: the residential discharge notice then goes to it at once (Part 2). */
const benchConsent = consentFor([{ providerId: 'bayside-outpatient' }, { providerId: 'partnership-health-plan' }], {
  consentId: 'C-bench',
});
import { sleep } from './pool';

const CASE_MANAGER: Actor = { role: 'case-manager', id: 'cm-alvarez' };
const PARTNER: Actor = { role: 'partner', id: 'bayside-outpatient' };
const POLL_MS = 500;
/**
 * The drills' on-call manager (`referrals repair`): called to a transfer nobody can read for 30 s,
 * or one that reads but has not moved for 30 s (the refused-cancel loop completes every other
 * workflow task, so queries still answer while the transfer goes nowhere).
 */
const ON_CALL: Actor = { role: 'manager', id: 'on-call' };
const CALL_ON_CALL_EVERY = 30;
const STALLED_MS = 30_000;

/** The sample referral (fixtures/sample-transfer.json): its member's chart is complete, so the packet assembles at once. */
export function benchRequest(): TransferRequestInput {
  return { ...TransferRequest.parse(sampleTransfer), reason: 'Bench transfer.' };
}

interface Step {
  /** True when the transfer waits for this answer and has not had it yet. */
  due(s: TransferState): boolean;
  event(): Record<string, unknown>;
}

function happyPath(appointmentLeadMs: number): Step[] {
  return [
    {
      due: (s) => s.stage === 'inform-member' && s.consentNeeded !== null && !s.memberInformedAt,
      event: () => ({ type: 'member-informed', actor: CASE_MANAGER, concernsAddressed: true }),
    },
    {
      due: (s) => s.stage === 'obtain-consent' && s.consents.length === 0,
      event: () => ({ type: 'consent-recorded', actor: CASE_MANAGER, consent: benchConsent }),
    },
    {
      due: (s) => s.stage === 'send-packet' && s.requestSentAt !== undefined && !s.acknowledgedAt,
      event: () => ({ type: 'packet-acknowledged', actor: PARTNER }),
    },
    {
      due: (s) => s.stage === 'confirm-scheduled' && !s.appointment,
      event: () => ({
        type: 'appointment-scheduled',
        actor: PARTNER,
        appointmentAt: new Date(Date.now() + appointmentLeadMs).toISOString(),
      }),
    },
    {
      due: (s) => s.stage === 'warm-handoff' && !s.handoffArrangedAt,
      event: () => ({ type: 'handoff-arranged', actor: CASE_MANAGER, introductions: true, transportation: 'arranged' }),
    },
    {
      due: (s) => s.stage === 'confirm-attendance' && !s.attendedAt,
      event: () => ({ type: 'attendance-confirmed', actor: PARTNER }),
    },
    {
      due: (s) => s.stage === 'close-episode' && !s.episodeClosedAt,
      event: () => ({
        type: 'episode-closed',
        actor: CASE_MANAGER,
        dischargeSummaryCompleted: true,
        otherProvidersInformed: true,
      }),
    },
  ];
}

/** Starts one transfer and answers it to the end; resolves to its final state. */
export async function driveTransfer(
  service: TransferService,
  appointmentLeadMs: number,
  resilient = false,
  calls = new CallTimes(),
  repaired?: string[],
): Promise<TransferState> {
  const { referralId } = await retrying(resilient, () =>
    calls.time('start', () => service.startTransfer(benchRequest())),
  );
  return answerTransfer(service, referralId, appointmentLeadMs, resilient, calls, repaired);
}

/**
 * Answers whatever the transfer waits for, from wherever it is, until it ends. Resumable: the
 * next answer is chosen from the state. `resilient` (drills) retries through a worker or server
 * outage; a refused event (an answer that landed before the outage) just re-reads the state.
 * With `repaired`, a transfer unreadable for a while gets the on-call manager's `repair` (it only
 * acts on one whose tasks keep failing in a way a reset cures); the ids it reset are added to `repaired`.
 */
async function answerTransfer(
  service: TransferService,
  referralId: string,
  appointmentLeadMs: number,
  resilient = false,
  calls = new CallTimes(),
  repaired?: string[],
): Promise<TransferState> {
  const steps = happyPath(appointmentLeadMs);
  const onCall =
    repaired &&
    (async () => {
      const { outcome } = await service.repair(referralId, ON_CALL).catch(() => ({ outcome: undefined }));
      if (outcome) repaired.push(referralId);
    });
  const read = () =>
    retrying(
      resilient,
      () => calls.time('read', () => service.getTransfer(referralId)),
      `reading transfer ${referralId}`,
      onCall,
    );
  let state = await read();
  // Every step of the happy path finishes in a few seconds on the bench policy (the appointment
  // is --appointment-lead-ms ahead), so a timeline that has not grown for 30 s is stalled.
  let progress = { entries: state.timeline.length, at: Date.now() };
  while (state.stage !== 'done') {
    const step = steps.find((s) => s.due(state));
    if (step) {
      try {
        state = await calls.time('event', () => service.sendEvent(referralId, step.event()));
        continue;
      } catch (err) {
        if (!resilient) throw err;
      }
    }
    await sleep(POLL_MS);
    state = await read();
    if (state.timeline.length !== progress.entries) progress = { entries: state.timeline.length, at: Date.now() };
    else if (onCall && Date.now() - progress.at >= STALLED_MS) {
      await onCall();
      progress.at = Date.now();
    }
  }
  return state;
}

async function retrying<T>(
  resilient: boolean,
  call: () => Promise<T>,
  what = 'starting a transfer',
  stillFailing?: () => Promise<void>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!resilient) throw err;
      // A drill that gives up says which transfer and the server's reason, not only the SDK's wrapper.
      if (attempt >= 600)
        throw new Error(`${what}: still failing after ${attempt} attempts: ${reasonOf(err)}`, { cause: err });
      if (stillFailing && attempt % CALL_ON_CALL_EVERY === 0) await stillFailing();
      await sleep(1_000);
    }
  }
}

function reasonOf(err: unknown): string {
  const messages: string[] = [];
  for (
    let e = err as { message?: string; details?: string; cause?: unknown } | undefined;
    e && messages.length < 4;
    e = e.cause as typeof e
  ) {
    messages.push(e.details ?? e.message ?? String(e));
  }
  return messages.join(' <- ');
}
