/**
 * Changes to the transfer's commands made while transfers were already running. Each is asked
 * for with `patched(id)`, so a history recorded before it replays the old way.
 *
 * Every patched() call on a new run costs two history events (the SDK's core writes a marker and
 * a TemporalChangeVersion upsert), seven changes fourteen events. So they are rolled up: a run
 * started by this code records one marker, the newest rollup's, and takes every change up to it
 * without asking again; a run recorded under an older rollup takes the changes up to that one and
 * asks for later ones by id (none exist: those runs are replayed, never continued with new
 * commands); a run recorded before any rollup asks for each change by its own id, as it did then. A change made after the newest rollup gets its own id until the
 * next rollup, which takes it in.
 */
import * as wf from '@temporalio/workflow';

/** Each rollup holds every change before it; the newest is asked first, so a new run records one marker. */
const ROLLUPS = [
  { id: 'transfer-changes-2026-11-23', upTo: 'no-local-activities' },
  { id: 'transfer-changes-2026-11', upTo: 'packet-asks-for-appointment' },
] as const;

const CHANGES = [
  'member-reminder-caps',
  'provider-lookup-local',
  'consent-request-once',
  'consent-request-together',
  'close-sends-together',
  'residential-notice-child',
  'progress-note-drafts',
  // Came with the first rollup (no stored history asks for them by id):
  /** The first stage's upsert carries every attribute; no separate one before it. */
  'one-upsert-at-start',
  /** The member's and the case manager's consent requests go out in one activity. */
  'consent-requests-in-one',
  /** The packet email's schedule link is confirm-scheduled's request (workflows/level-of-care-transition.ts). */
  'packet-asks-for-appointment',
  // Came with the second rollup:
  /** Note drafts in batches and provider lookups as ordinary activities (workflows/ehr-calls.ts says why). */
  'no-local-activities',
] as const;

export type TransferChange = (typeof CHANGES)[number];

export class TransferChanges {
  /** How far the rollup this run recorded reaches, asked once when the run starts (-1: none). */
  private readonly rolledUpTo = rolledUpTo();

  has(change: TransferChange): boolean {
    return CHANGES.indexOf(change) <= this.rolledUpTo || wf.patched(change);
  }
}

function rolledUpTo(): number {
  // patched() on a new run is true and records its marker, so the loop stops at the newest rollup;
  // a replay answers from the marker its history has.
  const rollup = ROLLUPS.find((r) => wf.patched(r.id));
  return rollup ? CHANGES.indexOf(rollup.upTo) : -1;
}
