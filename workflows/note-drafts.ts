/**
 * Seed 004: one care coordination progress note draft per coordination action, handed to the EHR
 * marked Draft as the action happens. Shared by transfers and coordination clocks. Handlers queue
 * drafts; an event's answer never waits on the EHR.
 *
 * Drafts ride with the next activity the workflow runs anyway (the notice, disclosure or episode
 * close that follows the action, `along`), which files them too: no history events of their
 * own. What no activity takes in the same activation a background loop files, one activity for
 * every draft queued by then. workflows/activity-proxies.ts says why not local activities.
 */
import * as wf from '@temporalio/workflow';
import type { ActionWords } from '../domain/note-actions';
import type { CarriedDrafts, CoordinationAction } from '../domain/progress-note';
import { draftBatches } from './activity-proxies';

export class NoteDrafts {
  private readonly queue: CoordinationAction[] = [];
  /** Drafts handed to an activity that has not finished yet. */
  private inFlight = 0;

  constructor(
    private readonly about: { subjectId: string; memberId: string; programId: string },
    /** Drafts so far, carried across continue-as-new so keys stay unique. */
    public count = 0,
  ) {}

  /** Queues a draft and returns its key (stable per action: the n-th action of this subject). */
  add(words: ActionWords, authorId: string, documentation?: CoordinationAction['documentation']): string {
    this.count += 1;
    const key = `${this.about.subjectId}/note-${this.count}`;
    this.queue.push({ key, ...this.about, authorId, ...words, at: new Date().toISOString(), documentation });
    return key;
  }

  /**
   * Runs an activity the workflow needs anyway, handing it the drafts queued so far. Any it
   * could not write come back to the queue, and so do all of them if the activity fails.
   */
  async along<R extends CarriedDrafts>(call: (drafts?: CoordinationAction[]) => Promise<R>): Promise<R> {
    if (this.queue.length === 0) return call();
    const drafts = this.queue.splice(0);
    this.inFlight += drafts.length;
    try {
      const result = await call(drafts);
      this.queue.unshift(...(result.undrafted ?? []));
      return result;
    } catch (err) {
      this.queue.unshift(...drafts);
      throw err;
    } finally {
      this.inFlight -= drafts.length;
    }
  }

  /** Runs for the life of the workflow (in a cancellable scope), drafting in order. */
  async draftAsTheyCome(): Promise<void> {
    for (;;) {
      await wf.condition(() => this.queue.length > 0);
      await restOfActivationHasRun();
      if (this.queue.length === 0) continue; // an activity run anyway took them
      const batch = this.queue.splice(0);
      this.inFlight += batch.length;
      try {
        await draftBatches.draftProgressNotes(batch);
      } finally {
        this.inFlight -= batch.length;
      }
    }
  }

  /** Resolves when every queued draft is in the EHR: wait for it before ending or continuing as new. */
  drained(): Promise<void> {
    return wf.condition(() => this.queue.length === 0 && this.inFlight === 0);
  }
}

/**
 * Resolves once the rest of the workflow (the main flow, other handlers) has run as far as it can
 * in this activation, so an activity it schedules there can take the drafts first. The SDK checks
 * a new condition at once, then again only after every continuation already due has run; this one
 * is false the first time and true the second. A matter of history size only: whichever takes the
 * drafts, each is written once, by its key. Replay-safe: the order in which the SDK runs
 * conditions and continuations is part of what it keeps stable for recorded histories (it put
 * its last change there behind an SDK flag, ProcessWorkflowActivationJobsAsSingleBatch).
 */
function restOfActivationHasRun(): Promise<void> {
  let checked = false;
  return wf.condition(() => {
    const again = checked;
    checked = true;
    return again;
  });
}
