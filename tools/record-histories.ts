/**
 * `npm run record-histories`: runs representative transfers on the time-skipping server and saves
 * their event histories under test/histories/. test/workflow/replay.test.ts replays them against
 * the current workflow code, so a change that would break transfers already running fails CI.
 * Once a county runs transfers, re-record only as docs/versioning.md says.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import globalSetup from '../test/support/global-setup';
import globalTeardown from '../test/support/global-teardown';
import { closeTheEpisode, driveTo } from '../test/support/drive';
import {
  CASE_MANAGER,
  consentFor,
  MEMBER,
  partner,
  sampleRequest,
  TransferHarness,
} from '../test/support/transfer-harness';
import { clockRequest } from '../test/support/clock-requests';

const OUT = path.join(__dirname, '..', 'test', 'histories');
const DAY = 86_400_000;
/** Readable JSON that History.fromObject reads back exactly (see test/workflow/replay.test.ts). */
export const HISTORY_JSON = { longs: String, enums: String, bytes: String } as const;

type Scenario = (h: TransferHarness) => Promise<WorkflowHandle>;

const scenarios: Record<string, Scenario> = {
  async 'linked-part2-residential'(h) {
    const handle = await h.start(sampleRequest());
    await driveTo(h, handle, 'close-episode');
    await closeTheEpisode(h, handle);
    return handle;
  },
  async 'partner-declined-then-other-provider'(h) {
    const handle = await h.start(sampleRequest());
    await driveTo(h, handle, 'confirm-scheduled');
    await h.send(handle, { type: 'referral-declined', actor: partner('bayside-outpatient'), reason: 'No capacity' });
    await h.waitFor(handle, (s) => s.waitingOn === 'case-manager');
    await h.send(handle, {
      type: 'provider-chosen',
      actor: CASE_MANAGER,
      providerId: 'harbor-mat-clinic',
      reason: 'MAT',
    });
    await driveTo(h, handle, 'close-episode');
    await closeTheEpisode(h, handle);
    return handle;
  },
  async 'silent-partner-escalated-then-withdrawn'(h) {
    const handle = await h.start(sampleRequest({ partTwo: false }));
    await driveTo(h, handle, 'send-packet');
    await h.advance(12 * DAY);
    await h.settle(handle);
    await h.send(handle, { type: 'withdrawn', actor: CASE_MANAGER, reason: 'Partner unresponsive' });
    return handle;
  },
  async 'no-shows-lost-to-follow-up'(h) {
    const handle = await h.start(sampleRequest(), { allowedReschedules: 1 });
    for (let i = 0; i < 2; i++) {
      await driveTo(h, handle, 'confirm-attendance');
      await h.send(handle, { type: 'no-show', actor: partner('bayside-outpatient') });
      await h.settle(handle);
    }
    return handle;
  },
  async 'consent-revoked-after-sending'(h) {
    const handle = await h.start(sampleRequest());
    const state = await driveTo(h, handle, 'confirm-scheduled');
    await h.send(handle, { type: 'consent-revoked', actor: MEMBER, consentId: state.consents[0]!.consentId });
    await h.signal(handle, { type: 'appointment-confirmed-by-member', actor: MEMBER });
    await h.advance(8 * DAY);
    await h.settle(handle);
    await h.send(handle, { type: 'withdrawn', actor: CASE_MANAGER, reason: 'Member revoked consent' });
    return handle;
  },
  // Coordination clocks (docs/clocks.md): one representative run of each.
  async 'clock-residential-notice-fax-confirmed'(h) {
    const clock = await h.startClock(
      clockRequest('residential-notice', {
        event: 'discharge',
        occurredAt: (await h.now()).toISOString(),
        levelOfCare: 'asam-3.5',
        managedCarePlanId: 'kaiser-health-plan',
        consents: [consentFor([{ providerId: 'kaiser-health-plan' }])],
      }),
    );
    await h.waitForClock(clock, (s) => s.waitingOn === 'case-manager');
    await h.sendClock(clock, { type: 'plan-confirmed', actor: CASE_MANAGER, method: 'fax' });
    return clock;
  },
  async 'clock-crisis-follow-up-with-consent'(h) {
    const clock = await h.startClock(
      clockRequest('crisis-follow-up', {
        crisisAt: (await h.now()).toISOString(),
        providerIds: ['bayside-outpatient'],
        managedCarePlanId: 'partnership-health-plan',
        consents: [consentFor([{ providerId: 'partnership-health-plan' }], { consentId: 'C-plan' })],
      }),
    );
    await h.waitForClock(clock, (s) => s.stage === 'follow-up-providers');
    await h.sendClock(clock, {
      type: 'contact-made',
      actor: CASE_MANAGER,
      with: 'partnership-health-plan',
      method: 'phone',
    });
    await h.advance(30 * 3_600_000);
    await h.settle(clock);
    await h.sendClock(clock, {
      type: 'consent-recorded',
      actor: CASE_MANAGER,
      consent: consentFor([{ providerId: 'bayside-outpatient' }]),
    });
    await h.sendClock(clock, {
      type: 'contact-made',
      actor: CASE_MANAGER,
      with: 'bayside-outpatient',
      method: 'phone',
      documentation: { narrative: 'Shared the relapse prevention plan as authorized.' },
    });
    return clock;
  },
  async 'clock-mat-referral-linked'(h) {
    const clock = await h.startClock(
      clockRequest('mat-referral', {
        requestedAt: (await h.now()).toISOString(),
        providerId: 'harbor-mat-clinic',
        consents: [consentFor([{ providerId: 'harbor-mat-clinic' }])],
      }),
    );
    await h.waitForClock(clock, (s) => s.stage === 'refer-for-mat');
    await h.sendClock(clock, { type: 'referral-sent', actor: CASE_MANAGER, method: 'fax' });
    await h.waitForClock(clock, (s) => s.stage === 'follow-up-call');
    await h.sendClock(clock, { type: 'contact-made', actor: CASE_MANAGER, with: 'harbor-mat-clinic', method: 'phone' });
    await h.waitForClock(clock, (s) => s.stage === 'confirm-appointment');
    await h.sendClock(clock, {
      type: 'appointment-confirmed',
      actor: partner('harbor-mat-clinic'),
      appointmentAt: new Date((await h.now()).getTime() + 2 * DAY).toISOString(),
    });
    await h.waitForClock(clock, (s) => s.stage === 'arrange-transportation');
    await h.sendClock(clock, { type: 'transportation-settled', actor: CASE_MANAGER, how: 'arranged' });
    return clock;
  },
  async 'clock-problem-list-late'(h) {
    const clock = await h.startClock(
      clockRequest('problem-list-update', { changedAt: (await h.now()).toISOString(), crisis: true }),
    );
    await h.advance(3 * DAY);
    await h.settle(clock);
    await h.sendClock(clock, { type: 'problem-list-updated', actor: CASE_MANAGER });
    return clock;
  },
  async 'clock-screening-retried-then-screened'(h) {
    const today = (await h.now()).toISOString().slice(0, 10);
    const clock = await h.startClock(clockRequest('initial-screening', { enrolledOn: today }));
    await h.waitForClock(clock, (s) => s.attempts === 1);
    await h.sendClock(clock, { type: 'contact-failed', actor: CASE_MANAGER, method: 'phone' });
    await h.advance(5 * DAY);
    await h.waitForClock(clock, (s) => s.attempts === 2);
    await h.sendClock(clock, { type: 'screening-completed', actor: CASE_MANAGER, result: 'screened' });
    return clock;
  },
  async 'clock-monthly-closed'(h) {
    const clock = await h.startClock(
      clockRequest('monthly-plan-coordination', {
        managedCarePlanId: 'partnership-health-plan',
        consents: [consentFor([{ providerId: 'partnership-health-plan' }])],
      }),
    );
    await h.waitForClock(clock, (s) => s.stage === 'coordinate-with-plan');
    await h.sendClock(clock, {
      type: 'contact-made',
      actor: CASE_MANAGER,
      with: 'partnership-health-plan',
      method: 'video',
    });
    await h.sendClock(clock, {
      type: 'clock-closed',
      actor: { role: 'manager', id: 'mgr-1' },
      reason: 'No longer a shared member',
    });
    return clock;
  },
};

/**
 * `--only a,b` records those scenarios; `--suffix .v2` saves them beside the old ones (name.v2.json)
 * after a patched change, so the histories of the old shape stay and keep replaying.
 */
function selection(argv: string[]): { names: string[]; suffix: string } {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const names = value('--only')?.split(',') ?? Object.keys(scenarios);
  const unknown = names.filter((n) => !(n in scenarios));
  if (unknown.length) throw new Error(`--only: unknown scenario ${unknown.join(', ')}`);
  const suffix = value('--suffix') ?? '';
  if (!/^(\.[a-z0-9-]+)?$/.test(suffix)) throw new Error('--suffix: expected something like .v2');
  return { names, suffix };
}

async function main(): Promise<void> {
  const { names, suffix } = selection(process.argv.slice(2));
  await globalSetup();
  try {
    // A fresh time-skipping server per scenario: an abandoned child clock still running can keep
    // the server from skipping time for the next one.
    for (const name of names) await record(name, suffix);
  } finally {
    await globalTeardown();
  }
}

async function record(name: string, suffix: string): Promise<void> {
  const h = await TransferHarness.start({ encrypt: false });
  try {
    // A weekday morning, as the tests start (partner messages wait for business hours).
    await h.toNextWeekdayMorning();
    const handle = await scenarios[name]!(h);
    await handle.result();
    const history = await handle.fetchHistory();
    const json = temporal.api.history.v1.History.toObject(
      temporal.api.history.v1.History.fromObject(history),
      HISTORY_JSON,
    );
    writeFileSync(path.join(OUT, `${name}${suffix}.json`), JSON.stringify(json, null, 1));
    process.stdout.write(`recorded ${name}${suffix}: ${history.events?.length} events\n`);
  } finally {
    await h.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
