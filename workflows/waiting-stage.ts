/**
 * A stage that waits on someone, driven by Temporal timers through the escalation ladder:
 * level 0 the request, level 1 reminders, level 2 the clinic director, level 3 the contract
 * monitor. A response at any level moves the stage on; escalation never ends the transfer.
 */
import * as wf from '@temporalio/workflow';
import { businessDaysBetween, withinBusinessHours } from '../domain/calendar';
import { escalationLadder, type EscalationLevel, type LadderPosition, type LadderStep } from '../domain/ladder';
import type { Notice, NoticeKind } from '../domain/notices';
import type { Policy } from '../domain/policy';
import type { AnyStage, WaitingOn } from '../domain/stages';

/** The transfer (or clock) reached an outcome while a stage was waiting. */
export class TransferEnded extends Error {}
export type StageInterrupt = Error | undefined;

type StageEntry<S> = { at: string; kind: 'stage'; stage: S | 'done'; waitingOn: WaitingOn; deadline: string | null };
type EscalationEntry = {
  at: string;
  kind: 'escalation';
  level: LadderStep['level'];
  step: LadderStep['kind'];
  reminderNumber?: number;
};

/** What a waiting stage reads and writes: a transfer's state, or a coordination clock's. */
interface StagedState<S extends AnyStage> extends LadderPosition<S> {
  timeline: {
    push(entry: StageEntry<S> | EscalationEntry): number;
    filter(predicate: (entry: { kind: string; stage?: unknown }) => unknown): unknown[];
  };
}

/** The transfer or clock has ended: no stage, nobody awaited, the timeline says so, managers see it. */
export function markDone(host: Pick<StageHost, 'state' | 'publish'>): void {
  const { state } = host;
  state.stage = 'done';
  state.waitingOn = 'none';
  state.stageDeadline = null;
  state.timeline.push({
    at: new Date().toISOString(),
    kind: 'stage',
    stage: 'done',
    waitingOn: 'none',
    deadline: null,
  });
  host.publish();
}

export interface StageHost<S extends AnyStage = AnyStage> {
  state: StagedState<S>;
  policy: Policy;
  /** True when something outside the stage (an ending, a provider change) needs attention. */
  interruptPending(): boolean;
  /** Handles that something: returns the error that breaks the wait, or undefined to go on waiting. */
  interrupt(): StageInterrupt;
  publish(): void;
  notifyAwaited(kind: NoticeKind, key: string, facts: Notice['facts']): Promise<void>;
}

export class WaitingStage<S extends AnyStage> {
  private readonly startedAt = new Date();
  private visit = 0;

  constructor(
    private readonly host: StageHost<S>,
    private readonly stage: S,
    private readonly waitingOn: WaitingOn,
    private readonly deadline: Date,
    private readonly answered: () => boolean,
  ) {}

  /**
   * Resolves 'answered', or 'lapsed' when `lapsesAt` comes first (the warm handoff ends at the
   * appointment). With `requestInBusinessHours` the request waits for the county to open (an
   * answer that comes first makes it unnecessary); the ladder's steps always fall within them.
   */
  async run(
    opts: { request?: () => Promise<void>; lapsesAt?: Date; requestInBusinessHours?: boolean } = {},
  ): Promise<'answered' | 'lapsed'> {
    const steps = escalationLadder(this.startedAt, this.deadline, this.host.policy, this.waitingOn).filter(
      (s) => !opts.lapsesAt || s.at < opts.lapsesAt,
    );
    this.enter(steps);
    try {
      if (
        opts.requestInBusinessHours &&
        (await this.until(withinBusinessHours(this.startedAt, this.host.policy.calendar)))
      )
        return 'answered';
      if (opts.request) await opts.request();
      else await this.host.notifyAwaited('stage-request', this.key('request'), this.facts());
      for (const step of steps) {
        if (await this.until(step.at)) return 'answered';
        await this.escalate(step);
      }
      return (await this.until(opts.lapsesAt)) ? 'answered' : 'lapsed';
    } finally {
      // An answered or ended stage takes no more steps: the look-ahead must not promise any.
      this.host.state.upcomingSteps = [];
    }
  }

  private until(at: Date | undefined): Promise<boolean> {
    return WaitingStage.until(this.host, this.answered, at);
  }

  /** Waits until answered (true) or until `at` passes (false); throws what an interrupt calls for. */
  static async until(
    host: Pick<StageHost, 'interrupt' | 'interruptPending'>,
    answered: () => boolean,
    at?: Date,
  ): Promise<boolean> {
    for (;;) {
      const err = host.interrupt();
      if (err) throw err;
      if (answered()) return true;
      const remaining = at ? at.getTime() - Date.now() : undefined;
      if (remaining !== undefined && remaining <= 0) return false;
      await wf.condition(() => answered() || host.interruptPending(), remaining);
    }
  }

  private enter(steps: LadderStep[]): void {
    const { state } = this.host;
    this.visit = state.timeline.filter((t) => t.kind === 'stage' && t.stage === this.stage).length + 1;
    state.stage = this.stage;
    state.waitingOn = this.waitingOn;
    state.stageStartedAt = this.startedAt.toISOString();
    state.stageDeadline = this.deadline.toISOString();
    state.escalationLevel = 0;
    state.stageEscalations = [];
    // The look-ahead staff see is the ladder this stage runs, from the same call.
    state.upcomingSteps = steps.map((s) => ({
      kind: s.kind,
      at: s.at.toISOString(),
      ...(s.kind === 'reminder' ? { reminderNumber: s.reminderNumber } : {}),
    }));
    state.timeline.push({
      at: state.stageStartedAt,
      kind: 'stage',
      stage: this.stage,
      waitingOn: this.waitingOn,
      deadline: state.stageDeadline,
    });
    this.host.publish();
  }

  private async escalate(step: LadderStep): Promise<void> {
    const { state } = this.host;
    const at = new Date().toISOString();
    const reminderNumber = step.kind === 'reminder' ? step.reminderNumber : undefined;
    state.escalationLevel = Math.max(state.escalationLevel, step.level) as EscalationLevel;
    state.stageEscalations.push({ kind: step.kind, at, reminderNumber });
    state.upcomingSteps = state.upcomingSteps.slice(1);
    state.timeline.push({ at, kind: 'escalation', level: step.level, step: step.kind, reminderNumber });
    this.host.publish();
    const kind: NoticeKind = step.kind === 'reminder' ? 'stage-reminder' : 'escalation';
    const escalation =
      step.kind === 'reminder'
        ? {}
        : {
            escalateTo: step.kind,
            waitedBusinessDays: businessDaysBetween(this.startedAt, new Date(), this.host.policy.calendar),
          };
    await this.host.notifyAwaited(kind, this.key(step.kind === 'reminder' ? `reminder-${reminderNumber}` : step.kind), {
      ...this.facts(),
      level: step.level,
      reminderNumber,
      ...escalation,
    });
  }

  private facts(): Notice['facts'] {
    return {
      stage: this.stage,
      waitingOn: this.waitingOn,
      waitingSince: this.startedAt.toISOString(),
      deadline: this.deadline.toISOString(),
    };
  }

  /** Stable per stage visit, so a retried or replayed send is the same send. */
  private key(step: string): string {
    return `${this.stage}-${this.visit}-${this.waitingOn}-${step}`;
  }
}
