/**
 * One level-of-care transfer, as seed 003 (I.2.a) lays it out:
 *   i.    inform the member                      -> informMember
 *   ii.   prepare the EHR elements, assemble      -> assemblePacket
 *   iv.   obtain written consent                  -> obtainConsent
 *   iii.  send the packet to the new setting      -> sendPacket
 *   v.    confirm services scheduled              -> confirmScheduled
 *   vi.   facilitate a warm handoff               -> warmHandoff
 *   vii.  confirm the member attended             -> confirmAttendance
 *   viii. close services at the previous setting  -> closeEpisode
 * Every waiting step runs the escalation ladder (seed 002) through `WaitingStage`.
 * Deterministic: time comes from the workflow clock, every side effect is an activity.
 */
import * as wf from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { addDuration, outsideQuietHours, subtractHours, withinBusinessHours } from '../domain/calendar';
import { describeForManagers } from '../domain/details';
import { residentialNoticeClockId, clockWorkflowIdFor } from '../domain/clocks/kinds';
import { actionForDisclosure, actionForTransferEvent, type ActionWords } from '../domain/note-actions';
import {
  consentReasons,
  decideDisclosure,
  mayContactRecipient,
  type DisclosureContext,
  type RecipientFacts,
} from '../domain/consent';
import { TransitionEvent } from '../domain/events';
import { withinReminderCaps } from '../domain/reminder-caps';
import { recordEvent, whyRejected } from '../domain/event-rules';
import type { Notice, NoticeAudience, NoticeKind } from '../domain/notices';
import type { DisclosureCategory } from '../domain/packet';
import type { Policy } from '../domain/policy';
import { isResidential, type Outcome, type ReferralStage } from '../domain/stages';
import type { TransferState } from '../domain/state';
import type { TransitionInput } from '../domain/transfer';
import { describeIssues } from '../domain/validation';
import { residentialPlanNotice } from './clocks/residential-plan-notice';
import { eventSignal, getState, submitEvent } from './messages';
import { NoteDrafts } from './note-drafts';
import { transferAttributes, Visibility } from './visibility';
import { TransferEnded, WaitingStage, type StageHost, type StageInterrupt } from './waiting-stage';

const activities = wf.proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

/** Staff chose another provider: the transfer goes back to consent and sending (stage 4). */
class ProviderChanged extends Error {}

/** A consent lapsed while the packet waited for business hours: back to obtaining consent. */
class ConsentLapsed extends Error {}

export async function levelOfCareTransition(input: TransitionInput): Promise<TransferState> {
  const transfer = new Transfer(input);
  transfer.listen();
  await transfer.run();
  await wf.condition(wf.allHandlersFinished);
  return transfer.state;
}

class Transfer {
  readonly state: TransferState;
  private readonly policy: Policy;
  private readonly disclosureContext: DisclosureContext;
  private readonly stageHost: StageHost<ReferralStage>;
  /** Before the packet goes out a provider change just swaps the recipient; after, it loops back. */
  private linking = false;
  private documentsReadySignals = 0;
  /** The packet just sent asked for an appointment; the next confirm-scheduled visit need not. */
  private packetAskedForAppointment = false;
  private handledRevocations = 0;
  /** Keys of the consent requests already sent, so a stage entered later does not ask again. */
  private readonly consentRequested = new Set<string>();
  /** When the member was texted or emailed: the caps count these. */
  private readonly memberMessagesSent: Date[] = [];
  private readonly visibility: Visibility;
  /** Work that runs beside the stages (assembling, watching revocations); cancelled when the transfer ends. */
  private readonly background = new wf.CancellationScope();
  private readonly notes: NoteDrafts;

  constructor(private readonly input: TransitionInput) {
    this.notes = new NoteDrafts({
      subjectId: input.referralId,
      memberId: input.member.memberId,
      programId: input.sendingProgramId,
    });
    this.policy = input.policy;
    this.disclosureContext = { partTwo: input.partTwo, sequestered: input.sequestered };
    this.visibility = new Visibility();
    this.state = {
      referralId: input.referralId,
      stage: 'inform-member',
      waitingOn: 'case-manager',
      stageStartedAt: now().toISOString(),
      stageDeadline: null,
      escalationLevel: 0,
      stageEscalations: [],
      upcomingSteps: [],
      receivingProviderId: input.receivingProviderId,
      recipient: null,
      consentNeeded: null,
      consentReasons: [],
      consents: [],
      packet: null,
      noShows: 0,
      providerChanges: 0,
      timeline: [],
    };
    this.stageHost = {
      state: this.state,
      policy: this.policy,
      interruptPending: () => this.state.outcome !== undefined || this.state.pendingProviderChange !== undefined,
      interrupt: () => this.interrupt(),
      publish: () => this.publish(),
      notifyAwaited: (kind, key, facts) => this.notifyAwaited(kind, key, facts),
    };
  }

  async run(): Promise<void> {
    try {
      this.useRecipient(this.input.recipient ?? (await this.describeProvider(this.input.receivingProviderId)));
      this.inBackground(() => this.tellCaseManagerOfRevocations());
      this.inBackground(() => this.notes.draftAsTheyCome());
      await this.informMember();
      await this.assemblePacket();
      await this.linkWithNewSetting();
      await this.closeEpisode();
      this.end('linked', 'attended and previous episode closed');
    } catch (err) {
      if (!(err instanceof TransferEnded)) throw err;
    }
    await this.finish();
  }

  // i. Inform member of referral, reasons, and address concerns.
  private async informMember(): Promise<void> {
    await this.wait(
      'inform-member',
      'case-manager',
      this.deadlineFromNow('inform-member'),
      () => this.state.memberInformedAt !== undefined,
    );
  }

  // ii. Prepare the EHR elements; missing ones become tasks. Consent may be sought meanwhile.
  private async assemblePacket(): Promise<void> {
    const deadline = this.deadlineFromNow('assemble-packet');
    await this.wait('assemble-packet', 'case-manager', deadline, () => this.state.packet?.assembledAt !== undefined, {
      request: async () => {
        if (!this.disclosureAllowed()) await this.askForConsent();
        this.inBackground(() => this.keepAssemblingUntilComplete());
      },
    });
  }

  private async keepAssemblingUntilComplete(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const seen = this.documentsReadySignals;
      const result = await activities.assemblePacket({
        referralId: this.input.referralId,
        memberId: this.input.member.memberId,
        attempt,
      });
      this.state.packet = { elements: result.present, missing: result.missing };
      if (result.missing.length === 0) {
        this.state.packet.assembledAt = now().toISOString();
        return;
      }
      await this.notify('case-manager', 'missing-documents', `attempt-${attempt}`, {
        items: result.missing,
        stage: 'assemble-packet',
      });
      await wf.condition(() => this.documentsReadySignals > seen);
    }
  }

  /** Stages iii to vii, looping on partner declines, provider changes and no-shows. */
  private async linkWithNewSetting(): Promise<void> {
    this.linking = true;
    for (;;) {
      try {
        await this.obtainConsent();
        await this.sendPacket();
        for (;;) {
          await this.confirmScheduled();
          await this.warmHandoff();
          if (await this.confirmAttendance()) {
            // Seed 003 I.2.b.ix: an admission to residential treatment is a plan notice of its own.
            if (isResidential(this.input.toLevelOfCare))
              await this.startResidentialPlanNotice('admission', this.state.attendedAt!);
            return;
          }
          this.rescheduleAfterNoShow();
        }
      } catch (err) {
        if (err instanceof ConsentLapsed) continue;
        if (!(err instanceof ProviderChanged)) throw err;
        this.switchToChosenProvider();
      }
    }
  }

  // iv. Obtain written consent from member as a requirement for any disclosure (when one is needed).
  private async obtainConsent(): Promise<void> {
    if (this.disclosureAllowed()) return;
    await this.wait(
      'obtain-consent',
      'member',
      this.deadlineFromNow('obtain-consent'),
      () => this.disclosureAllowed(),
      {
        request: () => this.askForConsent(),
      },
    );
  }

  // iii. Send the packet to the identified recipient; the partner acknowledges receipt.
  private async sendPacket(): Promise<void> {
    const providerId = this.state.receivingProviderId;
    await this.wait(
      'send-packet',
      'partner',
      this.deadlineFromNow('send-packet'),
      () => this.state.acknowledgedAt !== undefined || this.state.partnerDecline !== undefined,
      {
        request: async () => {
          // The packet waited for business hours (partner stages do): consent is decided again now.
          if (!this.disclosureAllowed()) throw new ConsentLapsed();
          await this.disclose(
            'referral-packet',
            this.state.packet?.elements ?? [],
            `packet-${providerId}-${this.state.providerChanges}`,
          );
          const sentAt = now();
          this.packetAskedForAppointment = true;
          this.state.requestSentAt = sentAt.toISOString();
          this.state.appointmentStandardDeadline = this.deadlineFrom('confirm-scheduled', sentAt).toISOString();
        },
      },
    );
  }

  // v. Confirm services scheduled with the recipient; a decline waits on staff to choose another provider.
  private async confirmScheduled(): Promise<void> {
    if (!this.state.appointment && !this.state.partnerDecline) {
      const deadline = new Date(this.state.appointmentStandardDeadline ?? this.deadlineFromNow('confirm-scheduled'));
      // The packet email asked the partner to offer an appointment (its schedule link), so the
      // first visit sends no request of its own; a visit after a no-show asks again.
      const packetAsked = this.packetAskedForAppointment;
      this.packetAskedForAppointment = false;
      await this.wait(
        'confirm-scheduled',
        'partner',
        deadline,
        () => this.state.appointment !== undefined || this.state.partnerDecline !== undefined,
        packetAsked ? { request: async () => undefined } : {},
      );
    }
    if (this.state.partnerDecline) {
      // Only a provider change (ProviderChanged) or an ending (no-other-provider, withdrawal) answers this.
      await this.wait(
        'confirm-scheduled',
        'case-manager',
        addDuration(now(), this.policy.chooseProviderDeadline, this.policy.calendar),
        () => false,
      );
    }
  }

  // vi. Facilitate a warm handoff until the appointment; the member is reminded before it.
  private async warmHandoff(): Promise<void> {
    for (;;) {
      const appointmentAt = this.state.appointment!.at;
      const rescheduled = () => this.state.appointment?.at !== appointmentAt;
      const reminders = new wf.CancellationScope();
      reminders.run(() => this.remindMemberOfAppointment(new Date(appointmentAt))).catch(ignoreCancellation);
      try {
        const when = new Date(appointmentAt);
        const answer = await this.wait(
          'warm-handoff',
          'case-manager',
          when,
          () => this.state.handoffArrangedAt !== undefined || rescheduled(),
          { lapsesAt: when },
        );
        if (answer === 'answered' && !rescheduled()) {
          this.setWaitingOn('none');
          await this.waitUntil(() => rescheduled(), when);
        }
      } finally {
        reminders.cancel();
      }
      if (!rescheduled()) return;
      this.state.handoffArrangedAt = undefined;
    }
  }

  // vii. Confirm the member attended the initial appointment; true when attended, false on a no-show.
  private async confirmAttendance(): Promise<boolean> {
    const noShowsBefore = this.state.noShows;
    const deadline = this.deadlineFrom('confirm-attendance', new Date(this.state.appointment!.at));
    await this.wait(
      'confirm-attendance',
      'partner',
      deadline,
      () => this.state.attendedAt !== undefined || this.state.noShows > noShowsBefore,
    );
    return this.state.attendedAt !== undefined;
  }

  /** A no-show returns to stage v, until the allowed reschedules are used up. */
  private rescheduleAfterNoShow(): void {
    if (this.state.noShows > this.policy.allowedReschedules) {
      this.end('lost-to-follow-up', `no-show after ${this.policy.allowedReschedules} reschedule(s)`);
      throw new TransferEnded();
    }
    this.note(
      `no-show ${this.state.noShows}: rescheduling (${this.policy.allowedReschedules - this.state.noShows + 1} left before lost to follow-up)`,
    );
    this.state.appointment = undefined;
    this.state.handoffArrangedAt = undefined;
    this.state.appointmentStandardDeadline = this.deadlineFromNow('confirm-scheduled').toISOString();
  }

  // viii. Close services at the previous setting: discharge summary, copies as authorized, MCP notice.
  private async closeEpisode(): Promise<void> {
    this.linking = false;
    await this.wait(
      'close-episode',
      'case-manager',
      this.deadlineFromNow('close-episode'),
      () => this.state.episodeClosedAt !== undefined,
    );
    const episode = {
      referralId: this.input.referralId,
      memberId: this.input.member.memberId,
      programId: this.input.sendingProgramId,
      closedAt: this.state.episodeClosedAt!,
    };
    await this.notes.along((drafts) => activities.closeEpisode(episode, drafts));
    const dischargeSummary = async () => {
      await this.untilPartnerHours();
      if (mayContactRecipient(this.disclosureContext, this.state.recipient!, this.state.consents, now())) {
        await this.disclose('discharge-summary', ['discharge-summary'], `discharge-${this.state.receivingProviderId}`);
      } else {
        this.note('discharge summary not sent to the new setting: no consent on record covers it');
      }
    };
    const planNotice = async () => {
      if (!isResidential(this.input.fromLevelOfCare)) return;
      if (await this.startResidentialPlanNotice('discharge', this.state.episodeClosedAt!)) return;
      // Seed 003 I.2.b.ix: notify the managed care plan within 24 hours of a residential discharge.
      await this.notify(
        this.input.managedCarePlanId ? 'managed-care-plan' : 'case-manager',
        'residential-discharge',
        'discharge',
        {
          deadline: addDuration(
            new Date(this.state.episodeClosedAt!),
            this.policy.residentialNoticeWithin,
            this.policy.calendar,
          ).toISOString(),
        },
      );
    };
    // Independent sends: together they cost one workflow task instead of two.
    await Promise.all([dischargeSummary(), planNotice()]);
  }

  /**
   * The plan notice runs as its own clock (a child workflow that outlives the transfer), so its
   * 24-hour deadline and escalation are tracked like any other. False when it does not apply here
   * (no plan on file, or a history recorded before the clocks existed).
   */
  private async startResidentialPlanNotice(event: 'admission' | 'discharge', occurredAt: string): Promise<boolean> {
    const planId = this.input.managedCarePlanId;
    if (!planId) return false;
    const clockId = residentialNoticeClockId(this.input.referralId, event);
    await wf.startChild(residentialPlanNotice, {
      workflowId: clockWorkflowIdFor(clockId),
      parentClosePolicy: 'ABANDON',
      staticSummary: `Residential ${event} notice ${clockId} for transfer ${this.input.referralId}`,
      args: [
        {
          kind: 'residential-notice',
          clockId,
          member: this.input.member,
          programId: this.input.sendingProgramId,
          caseManagerId: this.input.caseManagerId,
          partTwo: this.input.partTwo,
          sequestered: this.input.sequestered,
          // The consents in force: one naming the plan lets the notice go at once (Part 2).
          consents: this.state.consents
            .filter((c) => c.revokedAt === undefined)
            .map(({ revokedAt: _revoked, ...consent }) => consent),
          ...(this.input.plan ? { providers: [this.input.plan] } : {}),
          event,
          occurredAt,
          levelOfCare: event === 'discharge' ? this.input.fromLevelOfCare : this.input.toLevelOfCare,
          managedCarePlanId: planId,
          referralId: this.input.referralId,
          policy: this.policy,
        },
      ],
    });
    this.note(`residential ${event} notice to the managed care plan started as ${clockId}`);
    return true;
  }

  /** Seed 004: a progress note draft for each coordination action. */
  private draftNote(words: ActionWords | null, authorId: string): void {
    if (words) this.notes.add(words, authorId);
  }

  // ---- consent and disclosure ------------------------------------------------------------

  private disclosureAllowed(): boolean {
    return decideDisclosure(
      this.disclosureContext,
      this.state.recipient!,
      this.state.consents,
      this.state.packet?.elements ?? ['member-information'],
      now(),
    ).allowed;
  }

  private async askForConsent(): Promise<void> {
    const key = `consent-${this.state.receivingProviderId}`;
    // Already asked while the packet was assembled: the same keys would only meet the send
    // ledger's "already sent" again, at two activities (12 history events) apiece.
    if (this.consentRequested.has(key)) return;
    this.consentRequested.add(key);
    this.messageMember('consent-request', key, {}, 'the consent request');
    await this.notify('case-manager', 'stage-request', key, {
      stage: 'obtain-consent',
      deadline: this.deadlineFromNow('obtain-consent').toISOString(),
    });
  }

  /**
   * Every message to the member goes this way (DESIGN.md, "Messages to members"): never in the
   * member's quiet hours, never over the daily and weekly caps. It runs beside the transfer, so a
   * message held until morning holds nothing else up; one no longer due by then (the consent came
   * in, the stage moved on) is not sent. A capped message leaves a note in the timeline.
   */
  private messageMember(
    kind: NoticeKind,
    key: string,
    facts: Notice['facts'],
    what: string,
    stillDue: () => boolean = () => this.state.stage !== 'done',
  ): void {
    this.inBackground(async () => {
      const { quietHoursStart, quietHoursEnd, remindersPerDay, remindersPerWeek } = this.policy.memberMessages;
      const sendAt = outsideQuietHours(now(), this.input.member.timeZone, quietHoursStart, quietHoursEnd);
      if (sendAt > now()) await wf.sleep(sendAt.getTime() - now().getTime());
      if (!stillDue()) return;
      if (
        !withinReminderCaps(
          now(),
          this.memberMessagesSent,
          { perDay: remindersPerDay, perWeek: remindersPerWeek },
          this.input.member.timeZone,
        )
      ) {
        this.note(`${what} not sent: the member's reminder cap is reached`);
        return;
      }
      this.memberMessagesSent.push(now());
      await this.notify('member', kind, key, facts);
    });
  }

  /** The only path to a partner: the consent gate is decided here and checked again in the activity. */
  private async disclose(
    purpose: 'referral-packet' | 'discharge-summary',
    categories: DisclosureCategory[],
    key: string,
  ): Promise<void> {
    const recipient = this.state.recipient!;
    const decision = decideDisclosure(this.disclosureContext, recipient, this.state.consents, categories, now());
    if (!decision.allowed)
      throw wf.ApplicationFailure.nonRetryable(`disclosure blocked: ${decision.reason}`, 'ConsentGate');
    // Seed 004's note for the disclosure rides with it, written once the packet is delivered.
    this.draftNote(actionForDisclosure(purpose, recipient.providerId, decision.elements), this.input.caseManagerId);
    const args = {
      key: `${this.input.referralId}/${key}`,
      referralId: this.input.referralId,
      memberId: this.input.member.memberId,
      sendingProgramId: this.input.sendingProgramId,
      purpose,
      recipient,
      context: this.disclosureContext,
      consents: this.state.consents,
      categories: decision.elements,
      dueAt: now().toISOString(),
    };
    await this.notes.along((drafts) => activities.disclose(args, drafts));
    this.state.timeline.push({
      at: now().toISOString(),
      kind: 'disclosure',
      providerId: recipient.providerId,
      purpose,
      categories: decision.elements,
      consentId: decision.consent?.consentId ?? null,
    });
  }

  /** Revocation stops later disclosures at once (the gate sees it); the case manager is told. */
  private async tellCaseManagerOfRevocations(): Promise<void> {
    for (;;) {
      await wf.condition(() => this.state.consents.filter((c) => c.revokedAt).length > this.handledRevocations);
      this.handledRevocations++;
      await this.notify('case-manager', 'consent-revoked', `revoked-${this.handledRevocations}`, {});
    }
  }

  // ---- providers ---------------------------------------------------------------------

  /** The recipient decides whether consent is needed (DESIGN.md, "Consent"). */
  private useRecipient(recipient: RecipientFacts): void {
    this.state.recipient = recipient;
    this.state.receivingProviderId = recipient.providerId;
    this.state.consentReasons = consentReasons(this.disclosureContext, recipient);
    this.state.consentNeeded = this.state.consentReasons.length > 0;
  }

  private switchToChosenProvider(): void {
    const change = this.state.pendingProviderChange!;
    this.state.pendingProviderChange = undefined;
    this.useRecipient(change.recipient);
    this.state.providerChanges++;
    this.state.requestSentAt = undefined;
    this.state.appointmentStandardDeadline = undefined;
    this.state.acknowledgedAt = undefined;
    this.state.partnerDecline = undefined;
    this.state.appointment = undefined;
    this.state.handoffArrangedAt = undefined;
    this.note(`receiving provider changed to ${change.recipient.providerId}`);
  }

  // ---- waiting, reminding, escalating ------------------------------------------------------

  private wait(
    stage: ReferralStage,
    waitingOn: TransferState['waitingOn'],
    deadline: Date,
    answered: () => boolean,
    opts: { request?: () => Promise<void>; lapsesAt?: Date } = {},
  ) {
    // Partners are written to within the county's business hours only (policy calendar).
    return new WaitingStage(this.stageHost, stage, waitingOn, deadline, answered).run({
      ...opts,
      requestInBusinessHours: waitingOn === 'partner',
    });
  }

  private waitUntil(answered: () => boolean, until: Date): Promise<boolean> {
    return WaitingStage.until(this.stageHost, answered, until);
  }

  /** What breaks a wait: the transfer ended, or (once the packet is out) a provider change. */
  private interrupt(): StageInterrupt {
    if (this.state.outcome !== undefined) return new TransferEnded();
    if (this.state.pendingProviderChange) {
      if (this.linking) return new ProviderChanged();
      this.switchToChosenProvider(); // before sending, the new provider simply becomes the recipient
      this.publish();
    }
    return undefined;
  }

  private setWaitingOn(waitingOn: TransferState['waitingOn']): void {
    this.state.waitingOn = waitingOn;
    this.publish();
  }

  /** Level 0 requests and level 1 reminders go to whoever is awaited; escalations to whom the ladder names. */
  private async notifyAwaited(kind: NoticeKind, key: string, facts: Notice['facts']): Promise<void> {
    if (kind === 'escalation') {
      await this.notify(facts.escalateTo!, kind, key, facts);
      return;
    }
    const audience: NoticeAudience = this.state.waitingOn === 'partner' ? 'partner' : 'case-manager';
    if (this.state.waitingOn === 'member') {
      const stage = this.state.stage;
      const what = kind === 'stage-request' ? 'the consent request' : `reminder ${facts.reminderNumber} to the member`;
      this.messageMember(
        kind === 'stage-request' ? 'consent-request' : kind,
        key,
        facts,
        what,
        () => this.state.stage === stage && !this.disclosureAllowed(),
      );
    }
    await this.notify(audience, kind, key, facts);
  }

  private async notify(audience: NoticeAudience, kind: NoticeKind, key: string, facts: Notice['facts']): Promise<void> {
    await this.notes.along((drafts) => activities.sendNotice(this.notice(audience, kind, key, facts), drafts));
  }

  /**
   * Partners are written to within the county's business hours only (policy calendar): the
   * discharge copy, due when staff close the episode, waits for the next opening. An ending still
   * breaks the wait. (Stage requests wait in `wait`; ladder steps are placed by the ladder.)
   */
  private async untilPartnerHours(): Promise<void> {
    const opens = withinBusinessHours(now(), this.policy.calendar);
    if (opens > now()) await this.waitUntil(() => false, opens);
  }

  private notice(audience: NoticeAudience, kind: NoticeKind, key: string, facts: Notice['facts']): Notice {
    if (
      audience === 'partner' &&
      !mayContactRecipient(this.disclosureContext, this.state.recipient!, this.state.consents, now())
    ) {
      // No valid consent names the partner any more: even a reminder would disclose. Staff decide.
      audience = 'case-manager';
      kind = 'partner-contact-withheld';
    }
    return {
      key: `${this.input.referralId}/${audience}/${kind}/${key}`,
      audience,
      kind,
      routing: {
        referralId: this.input.referralId,
        sendingProgramId: this.input.sendingProgramId,
        caseManagerId: this.input.caseManagerId,
        receivingProviderId: this.state.receivingProviderId,
        managedCarePlanId: this.input.managedCarePlanId,
      },
      member: audience === 'member' ? this.input.member : undefined,
      facts,
      dueAt: now().toISOString(),
    };
  }

  /** Seed step vi: reminders before the appointment, each through `messageMember` (quiet hours, caps). */
  private async remindMemberOfAppointment(appointmentAt: Date): Promise<void> {
    const { appointmentRemindersBefore, quietHoursStart, quietHoursEnd } = this.policy.memberMessages;
    const times = appointmentRemindersBefore
      .map((before) =>
        outsideQuietHours(
          subtractHours(appointmentAt, before, this.policy.calendar),
          this.input.member.timeZone,
          quietHoursStart,
          quietHoursEnd,
        ),
      )
      .filter((at) => at < appointmentAt)
      .sort((a, b) => a.getTime() - b.getTime());
    // Reminder times already past collapse into one, sent now (subject to quiet hours).
    const due = times.filter((at, i) => at >= now() || !times.slice(i + 1).some((later) => later < now()));
    const appointment = appointmentAt.toISOString();
    const scheduled = this.state.appointment?.at;
    for (const [i, at] of due.entries()) {
      if (at > now()) await wf.sleep(at.getTime() - now().getTime());
      if (outsideQuietHours(now(), this.input.member.timeZone, quietHoursStart, quietHoursEnd) >= appointmentAt) return;
      const stillDue = () => this.state.appointment?.at === scheduled && now() < appointmentAt;
      this.messageMember(
        'appointment-reminder',
        `${appointment}-${i + 1}`,
        { appointmentAt: appointment },
        `appointment reminder ${i + 1}`,
        stillDue,
      );
    }
  }

  // ---- events ------------------------------------------------------------------------

  listen(): void {
    wf.setHandler(getState, () => this.state);
    wf.setHandler(
      submitEvent,
      async (raw) => {
        const event = TransitionEvent.parse(raw);
        if (event.type === 'provider-chosen') await this.prepareProviderChange(event.providerId, event.reason);
        this.accept(event, 'update');
        return this.state;
      },
      {
        validator: (raw) => {
          const parsed = TransitionEvent.safeParse(raw);
          if (!parsed.success) throw new Error(describeIssues(parsed.error));
          const why = whyRejected(this.state, parsed.data, now(), this.input.member.memberId);
          if (why) throw new Error(why);
        },
      },
    );
    wf.setHandler(eventSignal, (raw) => {
      // Signals come from webhooks that cannot wait for an answer: a misfit is noted, not thrown.
      const parsed = TransitionEvent.safeParse(raw);
      const why = !parsed.success
        ? describeIssues(parsed.error)
        : parsed.data.type === 'provider-chosen'
          ? 'provider changes must be sent as an update'
          : whyRejected(this.state, parsed.data, now(), this.input.member.memberId);
      if (why || !parsed.success) {
        this.state.timeline.push({
          at: now().toISOString(),
          kind: 'ignored-event',
          type: String((raw as { type?: unknown })?.type),
          reason: why ?? 'invalid',
        });
        return;
      }
      this.accept(parsed.data, 'signal');
    });
  }

  private accept(event: TransitionEvent, via: 'update' | 'signal'): void {
    recordEvent(this.state, event, now(), via);
    if (event.type === 'documents-ready') this.documentsReadySignals++;
    this.draftNote(actionForTransferEvent(event, this.state.receivingProviderId), event.actor.id);
    this.publish();
  }

  private async prepareProviderChange(providerId: string, reason: string): Promise<void> {
    let recipient;
    try {
      recipient = await this.describeProvider(providerId);
    } catch {
      throw wf.ApplicationFailure.nonRetryable(`unknown provider ${providerId}`, 'UnknownProvider');
    }
    if (this.state.pendingProviderChange || this.state.stage === 'done')
      throw wf.ApplicationFailure.nonRetryable('the transfer changed meanwhile; try again', 'Conflict');
    this.state.pendingProviderChange = { recipient, reason };
  }

  // ---- endings and visibility -------------------------------------------------------------

  private end(outcome: Outcome, reason: string): void {
    this.state.outcome ??= outcome;
    this.state.outcomeReason ??= reason;
  }

  private inBackground(work: () => Promise<void>): void {
    this.background.run(work).catch(ignoreCancellation);
  }

  private async finish(): Promise<void> {
    await this.notes.drained();
    this.background.cancel();
    const { outcome } = this.state;
    this.state.stage = 'done';
    this.state.waitingOn = 'none';
    this.state.stageDeadline = null;
    this.state.timeline.push({
      at: now().toISOString(),
      kind: 'stage',
      stage: 'done',
      waitingOn: 'none',
      deadline: null,
    });
    this.publish();
    if (outcome !== 'linked' && outcome !== 'withdrawn') {
      await this.notify('case-manager', 'outcome', 'end', { outcome });
    }
  }

  private note(text: string): void {
    this.state.timeline.push({ at: now().toISOString(), kind: 'note', text });
    this.publish();
  }

  private publish(): void {
    this.visibility.publish(
      transferAttributes(this.state, this.input),
      describeForManagers(this.state, this.policy.calendar.timeZone),
    );
  }

  private describeProvider(providerId: string) {
    return activities.describeProvider(providerId);
  }

  private deadlineFromNow(stage: ReferralStage): Date {
    return this.deadlineFrom(stage, now());
  }

  private deadlineFrom(stage: ReferralStage, from: Date): Date {
    const duration =
      (this.input.urgency === 'urgent' ? this.policy.urgentDeadlines[stage] : undefined) ??
      this.policy.deadlines[stage];
    return addDuration(from, duration, this.policy.calendar);
  }
}

function now(): Date {
  return new Date(); // the workflow clock: deterministic inside workflows
}

function ignoreCancellation(err: unknown): void {
  if (!wf.isCancellation(err)) throw err;
}
