/**
 * DESIGN.md: "Nothing is sent to a partner before a valid, unexpired consent that names that
 * partner (or a class that includes it) is on record, when one is needed." Random orders of
 * events, provider changes, revocations, expiring consents and time jumps, against the real
 * workflow; the check below is written independently of domain/consent.ts.
 */
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import fc from 'fast-check';
import type { Consent } from '../../domain/consent';
import type { TransitionEvent } from '../../domain/events';
import type { TransferState } from '../../domain/state';
import { loadDirectory } from '../../infra/config-files';
import {
  CASE_MANAGER,
  consentFor,
  MEMBER,
  partner,
  sampleRequest,
  useTransferHarness,
  type DistributiveOmit,
} from '../support/transfer-harness';

const HOUR = 3_600_000;
const DIRECTORY = loadDirectory(path.join(__dirname, '../../config/directory.json'));
const RUNS = Number(process.env.CONSENT_PROPERTY_RUNS ?? 20);
const PROVIDERS = ['bayside-outpatient', 'redwood-iop', 'harbor-mat-clinic', 'partnership-nsmhs-provider'];
const CLASSES: Record<string, string[]> = {
  'bayside-outpatient': ['county-sud-outpatient'],
  'redwood-iop': ['county-sud-outpatient'],
  'harbor-mat-clinic': ['narcotic-treatment-program'],
  'partnership-nsmhs-provider': ['mcp-network'],
};

type Action =
  | { kind: 'staff'; type: 'member-informed' | 'handoff-arranged' | 'episode-closed' | 'documents-ready' }
  | { kind: 'consent'; recipient: Consent['recipients'][number]; expiresInHours: number | null }
  | { kind: 'revoke'; pick: number }
  | { kind: 'choose'; providerId: string }
  | {
      kind: 'partner';
      type: 'packet-acknowledged' | 'appointment-scheduled' | 'referral-declined' | 'attendance-confirmed' | 'no-show';
    }
  | { kind: 'advance'; hours: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('staff' as const),
      type: fc.constantFrom(
        'member-informed' as const,
        'handoff-arranged' as const,
        'episode-closed' as const,
        'documents-ready' as const,
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('consent' as const),
      recipient: fc.oneof(
        fc.constantFrom(...PROVIDERS).map((providerId) => ({ providerId })),
        fc.constantFrom('county-sud-outpatient', 'mcp-network').map((providerClass) => ({ providerClass })),
      ),
      expiresInHours: fc.option(fc.integer({ min: 1, max: 24 * 12 }), { nil: null }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('revoke' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('choose' as const), providerId: fc.constantFrom(...PROVIDERS) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('partner' as const),
      type: fc.constantFrom(
        'packet-acknowledged' as const,
        'appointment-scheduled' as const,
        'referral-declined' as const,
        'attendance-confirmed' as const,
        'no-show' as const,
      ),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), hours: fc.integer({ min: 1, max: 24 * 6 }) }),
  },
);
/** Case managers inform the member first; everything after that comes in any order. */
const session = fc
  .array(action, { minLength: 6, maxLength: 20 })
  .map((rest): Action[] => [{ kind: 'staff', type: 'member-informed' }, ...rest]);

const h = useTransferHarness();

test('whatever the order of events, nothing reaches a partner without a valid consent naming it', async () => {
  let runs = 0;
  let disclosuresSeen = 0;
  await fc.assert(
    fc.asyncProperty(session, fc.boolean(), async (actions, sequestered) => {
      runs++;
      const handle = await h.start(sampleRequest({ partTwo: true, sequestered }));
      await h.waitFor(handle, (s) => s.consentNeeded !== null);
      for (const [i, a] of actions.entries()) await perform(handle, a, i);
      await h.settle(handle);
      const state = await h.state(handle);
      disclosuresSeen += (await h.disclosures()).filter((d) => d.referralId === state.referralId).length;
      await assertEveryPartnerContactWasConsented(state);
      await h.terminateOpenTransfers();
    }),
    { numRuns: RUNS },
  );
  expect(runs).toBe(RUNS);
  // The property must have been exercised, not passed vacuously.
  expect(disclosuresSeen).toBeGreaterThanOrEqual(RUNS / 4);
}, 300_000);

async function perform(handle: WorkflowHandle, a: Action, i: number): Promise<void> {
  const state = await h.state(handle);
  const send = (event: DistributiveOmit<TransitionEvent, 'sentAt'>) => h.send(handle, event).catch(() => undefined); // rejections are part of the game
  switch (a.kind) {
    case 'staff':
      if (a.type === 'member-informed') await send({ type: a.type, actor: CASE_MANAGER, concernsAddressed: true });
      if (a.type === 'handoff-arranged')
        await send({ type: a.type, actor: CASE_MANAGER, introductions: true, transportation: 'not-needed' });
      if (a.type === 'episode-closed')
        await send({
          type: a.type,
          actor: CASE_MANAGER,
          dischargeSummaryCompleted: true,
          otherProvidersInformed: true,
        });
      if (a.type === 'documents-ready') await send({ type: a.type, actor: CASE_MANAGER });
      break;
    case 'consent': {
      const now = await h.now();
      const expiration =
        a.expiresInHours === null
          ? { event: 'end of treatment' }
          : { date: new Date(now.getTime() + a.expiresInHours * HOUR).toISOString() };
      await send({
        type: 'consent-recorded',
        actor: CASE_MANAGER,
        consent: consentFor([a.recipient], { consentId: `C-${i}`, expiration, signedAt: now.toISOString() }),
      });
      break;
    }
    case 'revoke': {
      const open = state.consents.filter((c) => !c.revokedAt);
      if (open.length)
        await send({ type: 'consent-revoked', actor: MEMBER, consentId: open[a.pick % open.length]!.consentId });
      break;
    }
    case 'choose':
      await send({ type: 'provider-chosen', actor: CASE_MANAGER, providerId: a.providerId, reason: 'random order' });
      break;
    case 'partner': {
      const actor = partner(state.receivingProviderId);
      if (a.type === 'appointment-scheduled')
        await send({
          type: a.type,
          actor,
          appointmentAt: new Date((await h.now()).getTime() + 30 * HOUR).toISOString(),
        });
      else if (a.type === 'referral-declined') await send({ type: a.type, actor, reason: 'random order' });
      else await send({ type: a.type, actor });
      break;
    }
    case 'advance':
      await h.settle(handle);
      await h.advance(a.hours * HOUR);
      break;
  }
  await h.settle(handle);
}

/** When was each consent on record, and until when did it allow disclosure? */
function consentWindows(state: TransferState) {
  return state.timeline.flatMap((t) => {
    if (t.kind !== 'event' || t.event.type !== 'consent-recorded') return [];
    const c = state.consents.find((k) => k.consentId === (t.event as { consent: Consent }).consent.consentId)!;
    const ends = [c.revokedAt, 'date' in c.expiration ? c.expiration.date : undefined]
      .filter((x): x is string => Boolean(x))
      .map((x) => new Date(x).getTime());
    return [{ consent: c, from: new Date(t.at).getTime(), until: Math.min(Infinity, ...ends) }];
  });
}

function consentedAt(state: TransferState, providerId: string, at: string, categories: string[] = []): boolean {
  const when = new Date(at).getTime();
  return consentWindows(state).some(
    ({ consent, from, until }) =>
      from <= when &&
      when < until &&
      consent.recipients.some((r) =>
        'providerId' in r ? r.providerId === providerId : CLASSES[providerId]!.includes(r.providerClass),
      ) &&
      categories.every((c) => consent.categories.includes(c as never)),
  );
}

async function assertEveryPartnerContactWasConsented(state: TransferState): Promise<void> {
  const disclosures = (await h.disclosures()).filter((d) => d.referralId === state.referralId);
  for (const d of disclosures) {
    if (!consentedAt(state, d.providerId, d.disclosedAt, d.categories)) {
      throw new Error(`disclosure ${d.key} to ${d.providerId} at ${d.disclosedAt} had no valid consent`);
    }
  }
  const partnerMessages = (await h.outbox()).filter(
    (m) => m.referralId === state.referralId && m.audience === 'partner',
  );
  for (const m of partnerMessages) {
    const providerId = DIRECTORY.providers.find((p) => p.intakeEmail === m.to)!.id;
    if (!consentedAt(state, providerId, m.dueAt))
      throw new Error(`message ${m.key} to ${m.to} at ${m.dueAt} had no valid consent`);
  }
}
