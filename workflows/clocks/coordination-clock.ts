/**
 * What every coordination clock shares with the transfer: the escalation ladder (through
 * `WaitingStage`), the business calendar, the channels (the same notice and note activities)
 * and the search attributes. A clock workflow reads as its seed step; this class does the rest.
 * Deterministic: time comes from the workflow clock, every side effect is an activity.
 */
import * as wf from '@temporalio/workflow';
import { addDuration } from '../../domain/calendar';
import { ClockEvent } from '../../domain/clocks/events';
import { whyClockEventRejected, recordClockEvent } from '../../domain/clocks/event-rules';
import { clockWorkflowIdFor, CLOCK_FIRST_STAGES, CLOCK_TITLES, type ClockStage } from '../../domain/clocks/kinds';
import { actionForEvent, type ActionWords } from '../../domain/note-actions';
import type { CoordinationAction } from '../../domain/progress-note';
import { NoteDrafts } from '../note-drafts';
import type { ClockInput } from '../../domain/clocks/requests';
import type { ClockOutcome, ClockState } from '../../domain/clocks/state';
import { mayContactRecipient, type RecipientFacts } from '../../domain/consent';
import { describeWaiting } from '../../domain/details';
import { awaitedAudience } from '../../domain/ladder';
import type { Duration } from '../../domain/durations';
import type { Notice, NoticeAudience, NoticeKind, NoticeResult, PlanDisclosure } from '../../domain/notices';
import { SA } from '../../domain/search-attributes';
import type { WaitingOn } from '../../domain/stages';
import { activities } from '../activity-proxies';
import { listenForEvents, type CarriedOutcomes, type EventSource } from '../event-intake';
import { Visibility } from '../visibility';
import { markDone, TransferEnded, WaitingStage, type StageHost } from '../waiting-stage';
import { clockMessages } from './messages';

/** What a clock carries into its next run when it continues as new (monthly coordination). */
export type ClockCarry = Pick<ClockState, 'months' | 'notesDrafted' | 'consents' | 'contacts'> & {
  eventOutcomes: CarriedOutcomes;
};

export class CoordinationClock {
  readonly state: ClockState;
  private readonly host: StageHost<ClockStage>;
  private readonly visibility = new Visibility();
  private readonly recipients = new Map<string, RecipientFacts>();
  private readonly notes: NoteDrafts;
  private readonly background = new wf.CancellationScope();
  private readonly disclosureWrites: Promise<unknown>[] = [];
  /** Outcomes of named events so far, for a run that continues as new. */
  eventOutcomes: () => CarriedOutcomes = () => [];
  private readonly carriedOutcomes?: CarriedOutcomes;

  constructor(
    readonly input: ClockInput,
    dueAt: Date,
    /** Who a contact may be with: provider and plan ids, or `member`. */
    private readonly contactable: string[] = [],
    carried?: ClockCarry,
  ) {
    this.carriedOutcomes = carried?.eventOutcomes;
    this.state = {
      clockId: input.clockId,
      kind: input.kind,
      stage: CLOCK_FIRST_STAGES[input.kind],
      waitingOn: 'case-manager',
      stageStartedAt: now().toISOString(),
      stageDeadline: null,
      escalationLevel: 0,
      stageEscalations: [],
      upcomingSteps: [],
      dueAt: dueAt.toISOString(),
      consents: carried?.consents ?? [...input.consents],
      contacts: carried?.contacts ?? [],
      attempts: 0,
      failedAttempts: 0,
      months: carried?.months ?? [],
      notesDrafted: carried?.notesDrafted ?? 0,
      timeline: [],
    };
    this.notes = new NoteDrafts(
      { subjectId: input.clockId, memberId: input.member.memberId, programId: input.programId },
      this.state.notesDrafted,
    );
    this.host = {
      state: this.state,
      policy: input.policy,
      interruptPending: () => this.state.outcome !== undefined,
      interrupt: () => (this.state.outcome !== undefined ? new TransferEnded() : undefined),
      publish: () => this.publish(),
      notifyAwaited: (kind, key, facts) => this.notifyAwaited(kind, key, facts),
    };
  }

  get policy() {
    return this.input.policy;
  }

  /**
   * Runs the clock's steps; an ending event (clock-closed) stops whatever stage is waiting. Steps
   * may return what comes next (a continue-as-new), run once notes and handlers are done.
   */
  async run(steps: () => Promise<void | (() => Promise<never>)>): Promise<ClockState> {
    this.eventOutcomes = this.listen(this.carriedOutcomes);
    this.publish();
    this.inBackground(() => this.notes.draftAsTheyCome());
    let next: void | (() => Promise<never>) = undefined;
    try {
      next = await steps();
    } catch (err) {
      if (!(err instanceof TransferEnded)) throw err;
    }
    if (next) {
      await this.notes.drained();
      await Promise.all(this.disclosureWrites);
      this.background.cancel();
      await wf.condition(wf.allHandlersFinished);
      return next();
    }
    await this.finish();
    return this.state;
  }

  /** Work beside the stages (note drafts, screening attempts); cancelled when the clock ends. */
  inBackground(work: () => Promise<void>): void {
    this.background.run(work).catch((err: unknown) => {
      if (!(err instanceof TransferEnded)) ignoreCancellation(err);
    });
  }

  /** How a contact appears in a task: its id, and a warning when consent must come first. */
  contactItem(id: string): string {
    return this.mayContact(id) ? id : `${id} (record the member's signed consent naming them first)`;
  }

  /** Whether the consent rule lets the county contact this provider or plan about the member now (known ones only). */
  mayContact(id: string): boolean {
    const facts = this.recipients.get(id);
    return !facts || mayContactRecipient(this.input, facts, this.state.consents, now());
  }

  /** Learns the providers from the input, or looks them up, so the consent rule can be applied to contacts with them. */
  async knowProviders(providerIds: string[]): Promise<void> {
    const known = this.input.providers?.filter((p) => providerIds.includes(p.providerId)) ?? [];
    if (known.length === providerIds.length) {
      for (const facts of known) this.recipients.set(facts.providerId, facts);
      return;
    }
    // Side by side: the lookups' completions then tend to share workflow tasks.
    const facts = await Promise.all(providerIds.map((id) => activities.describeProvider(id)));
    providerIds.forEach((id, i) => this.recipients.set(id, facts[i]!));
  }

  wait(
    stage: ClockStage,
    waitingOn: WaitingOn,
    deadline: Date,
    answered: () => boolean,
    opts: { request?: () => Promise<void>; lapsesAt?: Date; items?: string[] } = {},
  ) {
    const request =
      opts.request ??
      (opts.items
        ? () =>
            this.notifyAwaited('stage-request', `${stage}-request`, this.facts(stage, waitingOn, deadline, opts.items))
        : undefined);
    return new WaitingStage(this.host, stage, waitingOn, deadline, answered).run({ request, lapsesAt: opts.lapsesAt });
  }

  /** Waits until answered (true) or until `at` (false), ending early if the clock is closed. */
  waitUntil(answered: () => boolean, at?: Date): Promise<boolean> {
    return WaitingStage.until(this.host, answered, at);
  }

  deadlineAfter(fromIso: string, duration: Duration): Date {
    return addDuration(new Date(fromIso), duration, this.policy.calendar);
  }

  /** The seed's obligation is met now: recorded with whether it was on time. */
  met(): void {
    this.state.metAt ??= now().toISOString();
    this.state.metOnTime ??= new Date(this.state.metAt) <= new Date(this.state.dueAt);
  }

  note(text: string): void {
    this.state.timeline.push({ at: now().toISOString(), kind: 'note', text });
  }

  /** A coordination action the system itself performed (a notice sent): drafted like staff's. */
  noteAction(words: ActionWords): void {
    this.queueNote(words, this.input.caseManagerId);
  }

  async notify(audience: NoticeAudience, kind: NoticeKind, key: string, facts: Notice['facts']): Promise<NoticeResult> {
    const notice: Notice = {
      // A monthly clock's runs repeat the same stage keys: the month keeps each run's sends its own.
      key: `${this.input.clockId}/${this.state.month ? `${this.state.month}/` : ''}${audience}/${kind}/${key}`,
      audience,
      kind,
      routing: {
        referralId: this.input.clockId,
        sendingProgramId: this.input.programId,
        caseManagerId: this.input.caseManagerId,
        receivingProviderId: 'providerId' in this.input ? this.input.providerId : '',
        managedCarePlanId: this.input.managedCarePlanId,
        clock: { kind: this.input.kind, workflowId: clockWorkflowIdFor(this.input.clockId) },
      },
      member: audience === 'member' ? this.input.member : undefined,
      plan: audience === 'managed-care-plan' ? this.planDisclosure() : undefined,
      facts,
      dueAt: now().toISOString(),
    };
    return this.notes.along((drafts) => activities.sendNotice(notice, drafts));
  }

  // ---- internals -------------------------------------------------------------------------

  private planDisclosure(): PlanDisclosure {
    const { planMemberId, name, dateOfBirth } = this.input.member;
    return {
      member: { planMemberId, name, dateOfBirth },
      context: { partTwo: this.input.partTwo, sequestered: this.input.sequestered },
      consents: this.state.consents,
      referralId: this.disclosureSubject(),
      memberId: this.input.member.memberId,
    };
  }

  /** Whose disclosure log a disclosure joins: the transfer that started this clock, else the clock. */
  private disclosureSubject(): string {
    return this.input.kind === 'residential-notice' && this.input.referralId
      ? this.input.referralId
      : this.input.clockId;
  }

  /**
   * A contact staff made with an outside provider or plan, or a referral sent, disclosed who the
   * member is: written to the disclosure log. Not cancellable with the clock's background work:
   * the clock ends only after these are written.
   */
  private logDisclosure(e: ClockEvent): void {
    if (e.type !== 'contact-made' && e.type !== 'referral-sent') return;
    const recipientId =
      e.type === 'contact-made' ? e.with : 'providerId' in this.input ? this.input.providerId : undefined;
    if (!recipientId || recipientId === 'member') return;
    const purpose =
      this.input.kind === 'residential-notice'
        ? (`residential-${this.input.event}-notice` as const)
        : 'care-coordination-contact';
    const subjectId = this.disclosureSubject();
    const key = `${this.input.clockId}/disclosure/${recipientId}/${e.sentAt}`;
    this.disclosureWrites.push(
      activities.recordDisclosure({
        key,
        subjectId,
        memberId: this.input.member.memberId,
        recipientId,
        method: e.method,
        purpose,
        at: e.sentAt,
        consents: this.state.consents,
      }),
    );
  }

  /** Requests and reminders go to whoever is awaited; escalations to whom the ladder names (domain/ladder.ts). */
  private async notifyAwaited(kind: NoticeKind, key: string, facts: Notice['facts']): Promise<void> {
    if (kind === 'escalation') {
      await this.notify(facts.escalateTo!, kind, key, facts);
      return;
    }
    await this.notify(awaitedAudience('clock', this.state.waitingOn), kind, key, facts);
  }

  private facts(stage: ClockStage, waitingOn: WaitingOn, deadline: Date, items?: string[]): Notice['facts'] {
    return { stage, waitingOn, waitingSince: now().toISOString(), deadline: deadline.toISOString(), items };
  }

  private listen(carriedOutcomes?: CarriedOutcomes): () => CarriedOutcomes {
    return listenForEvents({
      carriedOutcomes,
      messages: clockMessages,
      schema: ClockEvent,
      state: this.state,
      whyRejected: (e, at) => this.whyRejected(e, at),
      accept: (e, source) => this.accept(e, source),
    });
  }

  private whyRejected(e: ClockEvent, at: Date): string | null {
    return whyClockEventRejected(this.state, e, at, {
      memberId: this.input.member.memberId,
      contactable: this.contactable,
      consentProblem: (id) =>
        this.mayContact(id) ? null : `no valid written consent names ${id}: record the member's consent first`,
    });
  }

  private accept(e: ClockEvent, source: EventSource): void {
    recordClockEvent(this.state, e, now(), source);
    this.logDisclosure(e);
    const words = actionForEvent(this.input.kind, e);
    if (words) this.queueNote(words, e.actor.id, 'documentation' in e ? e.documentation : undefined);
    this.publish();
  }

  private queueNote(words: ActionWords, authorId: string, documentation?: CoordinationAction['documentation']): void {
    const noteKey = this.notes.add(words, authorId, documentation);
    this.state.notesDrafted = this.notes.count;
    this.state.timeline.push({ at: now().toISOString(), kind: 'note-drafted', noteKey, action: words.action });
  }

  private async finish(): Promise<void> {
    await this.notes.drained();
    await Promise.all(this.disclosureWrites);
    this.background.cancel();
    const outcome: ClockOutcome =
      this.state.outcome ?? (this.state.metOnTime === false ? 'completed-late' : 'completed');
    this.state.outcome = outcome;
    markDone(this.host);
    await wf.condition(wf.allHandlersFinished);
  }

  publish(): void {
    const s = this.state;
    const provider = 'providerId' in this.input ? this.input.providerId : this.input.managedCarePlanId;
    this.visibility.publish(
      [
        { key: SA.ReferralStage, value: s.stage },
        { key: SA.WaitingOn, value: s.waitingOn },
        { key: SA.StageDeadline, value: s.stageDeadline ? new Date(s.stageDeadline) : null },
        { key: SA.EscalationLevel, value: s.escalationLevel },
        { key: SA.SendingProgram, value: this.input.programId },
        { key: SA.CaseManager, value: this.input.caseManagerId },
        { key: SA.ReceivingProvider, value: provider ?? null },
        {
          key: SA.Urgency,
          value: this.input.kind === 'problem-list-update' && this.input.crisis ? 'urgent' : 'routine',
        },
        { key: SA.Outcome, value: s.stage === 'done' ? (s.outcome ?? null) : null },
      ] as Parameters<Visibility['publish']>[0],
      s.stage === 'done'
        ? `${CLOCK_TITLES[s.kind]} ended: ${s.outcome}${s.outcomeReason ? ` (${s.outcomeReason})` : ''}`
        : `${CLOCK_TITLES[s.kind]}: ${describeWaiting({ ...s, stage: s.stage }, this.policy.calendar.timeZone)}`,
    );
  }
}

export function now(): Date {
  return new Date(); // the workflow clock: deterministic inside workflows
}

function ignoreCancellation(err: unknown): void {
  if (!wf.isCancellation(err)) throw err;
}
