/**
 * Seed 004: one care coordination progress note draft per coordination action, handed to the EHR
 * marked Draft as the action happens. Shared by transfers and coordination clocks. Drafts are
 * queued by handlers and written by one background loop through a local activity (one marker
 * event each), so an event's answer never waits on the EHR.
 */
import * as wf from '@temporalio/workflow';
import type { ActionWords } from '../domain/note-actions';
import type { CoordinationAction } from '../domain/progress-note';
import { ehrCalls } from './ehr-calls';

export class NoteDrafts {
  private readonly queue: CoordinationAction[] = [];

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

  /** Runs for the life of the workflow (in a cancellable scope), drafting in order. */
  async draftAsTheyCome(): Promise<void> {
    for (;;) {
      await wf.condition(() => this.queue.length > 0);
      await ehrCalls.draftProgressNote(this.queue[0]!);
      this.queue.shift();
    }
  }

  /** Resolves when every queued draft is in the EHR: wait for it before ending or continuing as new. */
  drained(): Promise<void> {
    return wf.condition(() => this.queue.length === 0);
  }
}
