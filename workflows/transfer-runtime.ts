/**
 * What a transfer runs on beneath the seed's steps (workflows/level-of-care-transition.ts): its
 * state and wiring, waiting through the ladder, notices, events and provider changes, the ending
 * and what managers see. Deterministic: time comes from the workflow clock, every side effect is
 * an activity.
 */
import * as wf from '@temporalio/workflow';
import { addDuration, withinBusinessHours } from '../domain/calendar';
import { describeForManagers } from '../domain/details';
import { TransitionEvent } from '../domain/events';
import { recordEvent, whyRejected } from '../domain/event-rules';
import { awaitedAudience } from '../domain/ladder';
import { actionForTransferEvent } from '../domain/note-actions';
import type { Notice, NoticeAudience, NoticeKind } from '../domain/notices';
import type { Policy } from '../domain/policy';
import type { Outcome, ReferralStage } from '../domain/stages';
import { newTransferState, type TransferState } from '../domain/state';
import type { TransitionInput } from '../domain/transfer';
import { activities } from './activity-proxies';
import { listenForEvents } from './event-intake';
import { MemberMessages } from './member-messages';
import { transferMessages } from './messages';
import { NoteDrafts } from './note-drafts';
import { TransferConsent } from './transfer-consent';
import { transferAttributes, Visibility } from './visibility';
import { markDone, TransferEnded, WaitingStage, type StageHost, type StageInterrupt } from './waiting-stage';

/** Staff chose another provider: the transfer goes back to consent and sending (stage 4). */
export class ProviderChanged extends Error {}

/** A consent lapsed while the packet waited for business hours: back to obtaining consent. */
export class ConsentLapsed extends Error {}

export abstract class TransferRuntime {
  readonly state: TransferState;
  protected readonly policy: Policy;
  protected readonly stageHost: StageHost<ReferralStage>;
  protected readonly consent: TransferConsent;
  protected readonly member: MemberMessages;
  protected readonly notes: NoteDrafts;
  protected readonly visibility = new Visibility();
  /** Work that runs beside the stages (assembling, watching revocations); cancelled when the transfer ends. */
  protected readonly background = new wf.CancellationScope();
  /** Before the packet goes out a provider change just swaps the recipient; after, it loops back. */
  protected linking = false;
  protected documentsReadySignals = 0;

  constructor(protected readonly input: TransitionInput) {
    this.policy = input.policy;
    this.state = newTransferState(input.referralId, input.member, input.receivingProviderId, now());
    const about = { subjectId: input.referralId, memberId: input.member.memberId, programId: input.sendingProgramId };
    this.notes = new NoteDrafts(about);
    const notify = this.notify.bind(this);
    this.member = new MemberMessages({
      policy: this.policy,
      member: input.member,
      inBackground: (work) => this.inBackground(work),
      notifyMember: (kind, key, facts) => notify('member', kind, key, facts),
      note: (text) => this.note(text),
    });
    this.consent = new TransferConsent({
      input,
      state: this.state,
      notes: this.notes,
      consentDeadline: () => this.deadlineFromNow('obtain-consent'),
      askMember: (key) =>
        this.member.send('consent-request', key, {}, 'the consent request', () => this.state.stage !== 'done'),
      notify,
    });
    this.stageHost = {
      state: this.state,
      policy: this.policy,
      interruptPending: () => this.state.outcome !== undefined || this.state.pendingProviderChange !== undefined,
      interrupt: () => this.interrupt(),
      publish: () => this.publish(),
      notifyAwaited: (kind, key, facts) => this.notifyAwaited(kind, key, facts),
    };
  }

  // ---- waiting, reminding, escalating ------------------------------------------------------

  protected wait(
    stage: ReferralStage,
    waitingOn: TransferState['waitingOn'],
    deadline: Date,
    answered: () => boolean,
    opts: { request?: () => Promise<void>; lapsesAt?: Date } = {},
  ) {
    // Partners are written to within the county's business hours only (policy calendar).
    const requestInBusinessHours = waitingOn === 'partner';
    return new WaitingStage(this.stageHost, stage, waitingOn, deadline, answered).run({
      ...opts,
      requestInBusinessHours,
    });
  }

  /** What breaks a wait: the transfer ended, or (once the packet is out) a provider change. */
  protected interrupt(): StageInterrupt {
    if (this.state.outcome !== undefined) return new TransferEnded();
    if (this.state.pendingProviderChange) {
      if (this.linking) return new ProviderChanged();
      this.switchToChosenProvider(); // before sending, the new provider simply becomes the recipient
      this.publish();
    }
    return undefined;
  }

  /** Requests and reminders to whoever is awaited (the member by text too); escalations to whom the ladder names. */
  protected async notifyAwaited(kind: NoticeKind, key: string, facts: Notice['facts']): Promise<void> {
    if (kind === 'escalation') return this.notify(facts.escalateTo!, kind, key, facts);
    if (this.state.waitingOn === 'member') {
      const { stage } = this.state;
      const what = kind === 'stage-request' ? 'the consent request' : `reminder ${facts.reminderNumber} to the member`;
      const stillDue = () => this.state.stage === stage && !this.consent.packetAllowed();
      this.member.send(kind === 'stage-request' ? 'consent-request' : kind, key, facts, what, stillDue);
    }
    await this.notify(awaitedAudience('transfer', this.state.waitingOn), kind, key, facts);
  }

  protected async notify(
    audience: NoticeAudience,
    kind: NoticeKind,
    key: string,
    facts: Notice['facts'],
  ): Promise<void> {
    if (audience === 'partner' && !this.consent.mayContactPartner()) {
      // No valid consent names the partner any more: even a reminder would disclose. Staff decide.
      audience = 'case-manager';
      kind = 'partner-contact-withheld';
    }
    const { referralId, sendingProgramId, caseManagerId, managedCarePlanId, member } = this.input;
    const notice: Notice = {
      key: `${referralId}/${audience}/${kind}/${key}`,
      audience,
      kind,
      routing: {
        referralId,
        sendingProgramId,
        caseManagerId,
        receivingProviderId: this.state.receivingProviderId,
        managedCarePlanId,
      },
      member: audience === 'member' ? member : undefined,
      facts,
      dueAt: now().toISOString(),
    };
    await this.notes.along((drafts) => activities.sendNotice(notice, drafts));
  }

  /**
   * Partners are written to within the county's business hours only (policy calendar): the
   * discharge copy, due when staff close the episode, waits for the next opening. An ending still
   * breaks the wait. (Stage requests wait in `wait`; ladder steps are placed by the ladder.)
   */
  protected async untilPartnerHours(): Promise<void> {
    const opens = withinBusinessHours(now(), this.policy.calendar);
    if (opens > now()) await WaitingStage.until(this.stageHost, () => false, opens);
  }

  // ---- events and providers ----------------------------------------------------------------

  listen(): void {
    listenForEvents({
      messages: transferMessages,
      schema: TransitionEvent,
      state: this.state,
      whyRejected: (e, at) => whyRejected(this.state, e, at, this.input.member.memberId),
      callOnly: ['provider-chosen'],
      prepare: (e) =>
        e.type === 'provider-chosen' ? this.prepareProviderChange(e.providerId, e.reason) : Promise.resolve(),
      accept: (e, source) => {
        recordEvent(this.state, e, now(), source);
        if (e.type === 'documents-ready') this.documentsReadySignals++;
        const words = actionForTransferEvent(e, this.state.receivingProviderId);
        if (words) this.notes.add(words, e.actor.id);
        this.publish();
      },
    });
  }

  protected async prepareProviderChange(providerId: string, reason: string): Promise<void> {
    const recipient = await activities.describeProvider(providerId).catch(() => {
      throw wf.ApplicationFailure.nonRetryable(`unknown provider ${providerId}`, 'UnknownProvider');
    });
    if (this.state.pendingProviderChange || this.state.stage === 'done')
      throw wf.ApplicationFailure.nonRetryable('the transfer changed meanwhile; try again', 'Conflict');
    this.state.pendingProviderChange = { recipient, reason };
  }

  protected switchToChosenProvider(): void {
    const change = this.state.pendingProviderChange!;
    this.state.pendingProviderChange = undefined;
    this.consent.useRecipient(change.recipient);
    this.state.providerChanges++;
    for (const key of [
      'requestSentAt',
      'appointmentStandardDeadline',
      'acknowledgedAt',
      'partnerDecline',
      'appointment',
      'handoffArrangedAt',
    ] as const)
      this.state[key] = undefined;
    this.note(`receiving provider changed to ${change.recipient.providerId}`);
  }

  // ---- endings and visibility -------------------------------------------------------------

  protected end(outcome: Outcome, reason: string): void {
    this.state.outcome ??= outcome;
    this.state.outcomeReason ??= reason;
  }

  protected inBackground(work: () => Promise<void>): void {
    this.background.run(work).catch(ignoreCancellation);
  }

  protected async finish(): Promise<void> {
    await this.notes.drained();
    this.background.cancel();
    const { outcome } = this.state;
    markDone(this.stageHost);
    if (outcome !== 'linked' && outcome !== 'withdrawn')
      await this.notify('case-manager', 'outcome', 'end', { outcome });
  }

  protected note(text: string): void {
    this.state.timeline.push({ at: now().toISOString(), kind: 'note', text });
    this.publish();
  }

  protected publish(): void {
    const summary = describeForManagers(this.state, this.policy.calendar.timeZone);
    this.visibility.publish(transferAttributes(this.state, this.input), summary);
  }

  protected deadlineFromNow(stage: ReferralStage): Date {
    return this.deadlineFrom(stage, now());
  }

  protected deadlineFrom(stage: ReferralStage, from: Date): Date {
    const urgent = this.input.urgency === 'urgent' ? this.policy.urgentDeadlines[stage] : undefined;
    return addDuration(from, urgent ?? this.policy.deadlines[stage], this.policy.calendar);
  }
}

export function now(): Date {
  return new Date(); // the workflow clock: deterministic inside workflows
}

export function ignoreCancellation(err: unknown): void {
  if (!wf.isCancellation(err)) throw err;
}
