/**
 * Changes to the transfer's commands made while transfers were already running. Each is asked
 * for with `patched(id)`, so a history recorded before it replays the old way.
 *
 * Every patched() call on a new run costs two history events (the SDK's core writes a marker and
 * a TemporalChangeVersion upsert), seven changes fourteen events. So they are rolled up: a run
 * started by this code records one marker, `ROLLUP`, and takes every change listed here without
 * asking again; a run recorded before the rollup has no such marker and asks for each change by
 * its own id, as it did then. A change made after this one gets its own id, outside the list,
 * until the next rollup.
 */
import * as wf from '@temporalio/workflow';

const ROLLUP = 'transfer-changes-2026-11';

const ROLLED_UP = [
  'member-reminder-caps',
  'provider-lookup-local',
  'consent-request-once',
  'consent-request-together',
  'close-sends-together',
  'residential-notice-child',
  'progress-note-drafts',
  // Came with the rollup (no stored history asks for them by id):
  /** The first stage's upsert carries every attribute; no separate one before it. */
  'one-upsert-at-start',
  /** The member's and the case manager's consent requests go out in one activity. */
  'consent-requests-in-one',
  /** The packet email's schedule link is confirm-scheduled's request (workflows/level-of-care-transition.ts). */
  'packet-asks-for-appointment',
] as const;

export type TransferChange = (typeof ROLLED_UP)[number];

export class TransferChanges {
  /** Asked once, when the run starts (replays answer from the first workflow task). */
  private readonly rolledUp = wf.patched(ROLLUP);

  has(change: TransferChange): boolean {
    return this.rolledUp || wf.patched(change);
  }
}
