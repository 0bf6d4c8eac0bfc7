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
 * Every waiting step runs the escalation ladder (seed 002) through `WaitingStage`; what the steps
 * run on (waiting, notices, events, the ending) is `TransferRuntime`'s.
 * Deterministic: time comes from the workflow clock, every side effect is an activity.
 */
import * as wf from '@temporalio/workflow';
import { addDuration } from '../domain/calendar';
import { isResidential } from '../domain/stages';
import type { TransferState } from '../domain/state';
import type { TransitionInput } from '../domain/transfer';
import { activities } from './activity-proxies';
import { startResidentialPlanNotice } from './residential-notice-child';
import { ConsentLapsed, ignoreCancellation, now, ProviderChanged, TransferRuntime } from './transfer-runtime';
import { TransferEnded, WaitingStage } from './waiting-stage';

export async function levelOfCareTransition(input: TransitionInput): Promise<TransferState> {
  const transfer = new Transfer(input);
  transfer.listen();
  await transfer.run();
  await wf.condition(wf.allHandlersFinished);
  return transfer.state;
}

class Transfer extends TransferRuntime {
  /** The packet just sent asked for an appointment; the next confirm-scheduled visit need not. */
  private packetAskedForAppointment = false;

  async run(): Promise<void> {
    try {
      this.consent.useRecipient(
        this.input.recipient ?? (await activities.describeProvider(this.input.receivingProviderId)),
      );
      this.inBackground(() => this.consent.tellCaseManagerOfRevocations());
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
    const informed = () => this.state.memberInformedAt !== undefined;
    await this.wait('inform-member', 'case-manager', this.deadlineFromNow('inform-member'), informed);
  }

  // ii. Prepare the EHR elements; missing ones become tasks. Consent may be sought meanwhile.
  private async assemblePacket(): Promise<void> {
    const assembled = () => this.state.packet?.assembledAt !== undefined;
    await this.wait('assemble-packet', 'case-manager', this.deadlineFromNow('assemble-packet'), assembled, {
      request: async () => {
        if (!this.consent.packetAllowed()) await this.consent.ask();
        this.inBackground(() => this.keepAssemblingUntilComplete());
      },
    });
  }

  private async keepAssemblingUntilComplete(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const seen = this.documentsReadySignals;
      const { referralId, member } = this.input;
      const result = await activities.assemblePacket({ referralId, memberId: member.memberId, attempt });
      this.state.packet = { elements: result.present, missing: result.missing };
      if (result.missing.length === 0) {
        this.state.packet.assembledAt = now().toISOString();
        return;
      }
      const facts = { items: result.missing, stage: 'assemble-packet' as const };
      await this.notify('case-manager', 'missing-documents', `attempt-${attempt}`, facts);
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
            if (isResidential(this.input.toLevelOfCare)) await this.tellPlan('admission', this.state.attendedAt!);
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
    if (this.consent.packetAllowed()) return;
    await this.wait(
      'obtain-consent',
      'member',
      this.deadlineFromNow('obtain-consent'),
      () => this.consent.packetAllowed(),
      {
        request: () => this.consent.ask(),
      },
    );
  }

  // iii. Send the packet to the identified recipient; the partner acknowledges receipt.
  private async sendPacket(): Promise<void> {
    const providerId = this.state.receivingProviderId;
    const answered = () => this.state.acknowledgedAt !== undefined || this.state.partnerDecline !== undefined;
    await this.wait('send-packet', 'partner', this.deadlineFromNow('send-packet'), answered, {
      request: async () => {
        // The packet waited for business hours (partner stages do): consent is decided again now.
        if (!this.consent.packetAllowed()) throw new ConsentLapsed();
        const key = `packet-${providerId}-${this.state.providerChanges}`;
        await this.consent.disclose('referral-packet', this.state.packet?.elements ?? [], key);
        const sentAt = now();
        this.packetAskedForAppointment = true;
        this.state.requestSentAt = sentAt.toISOString();
        this.state.appointmentStandardDeadline = this.deadlineFrom('confirm-scheduled', sentAt).toISOString();
      },
    });
  }

  // v. Confirm services scheduled with the recipient; a decline waits on staff to choose another provider.
  private async confirmScheduled(): Promise<void> {
    const s = this.state;
    if (!s.appointment && !s.partnerDecline) {
      const deadline = new Date(s.appointmentStandardDeadline ?? this.deadlineFromNow('confirm-scheduled'));
      // The packet email asked the partner to offer an appointment (its schedule link), so the
      // first visit sends no request of its own; a visit after a no-show asks again.
      const opts = this.packetAskedForAppointment ? { request: async () => undefined } : {};
      this.packetAskedForAppointment = false;
      const answered = () => s.appointment !== undefined || s.partnerDecline !== undefined;
      await this.wait('confirm-scheduled', 'partner', deadline, answered, opts);
    }
    if (s.partnerDecline) {
      // Only a provider change (ProviderChanged) or an ending (no-other-provider, withdrawal) answers this.
      const deadline = addDuration(now(), this.policy.chooseProviderDeadline, this.policy.calendar);
      await this.wait('confirm-scheduled', 'case-manager', deadline, () => false);
    }
  }

  // vi. Facilitate a warm handoff until the appointment; the member is reminded before it.
  private async warmHandoff(): Promise<void> {
    for (;;) {
      const appointmentAt = this.state.appointment!.at;
      const when = new Date(appointmentAt);
      const rescheduled = () => this.state.appointment?.at !== appointmentAt;
      const reminders = new wf.CancellationScope();
      reminders.run(() => this.member.remindOfAppointment(when, () => !rescheduled())).catch(ignoreCancellation);
      try {
        const arranged = () => this.state.handoffArrangedAt !== undefined || rescheduled();
        const answer = await this.wait('warm-handoff', 'case-manager', when, arranged, { lapsesAt: when });
        if (answer === 'answered' && !rescheduled()) {
          this.state.waitingOn = 'none';
          this.publish();
          await WaitingStage.until(this.stageHost, rescheduled, when);
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
    const answered = () => this.state.attendedAt !== undefined || this.state.noShows > noShowsBefore;
    await this.wait('confirm-attendance', 'partner', deadline, answered);
    return this.state.attendedAt !== undefined;
  }

  /** A no-show returns to stage v, until the allowed reschedules are used up. */
  private rescheduleAfterNoShow(): void {
    const { noShows } = this.state;
    const allowed = this.policy.allowedReschedules;
    if (noShows > allowed) {
      this.end('lost-to-follow-up', `no-show after ${allowed} reschedule(s)`);
      throw new TransferEnded();
    }
    this.note(`no-show ${noShows}: rescheduling (${allowed - noShows + 1} left before lost to follow-up)`);
    this.state.appointment = undefined;
    this.state.handoffArrangedAt = undefined;
    this.state.appointmentStandardDeadline = this.deadlineFromNow('confirm-scheduled').toISOString();
  }

  // viii. Close services at the previous setting: discharge summary, copies as authorized, MCP notice.
  private async closeEpisode(): Promise<void> {
    this.linking = false;
    const closed = () => this.state.episodeClosedAt !== undefined;
    await this.wait('close-episode', 'case-manager', this.deadlineFromNow('close-episode'), closed);
    const closedAt = this.state.episodeClosedAt!;
    const { referralId, member, sendingProgramId: programId } = this.input;
    const episode = { referralId, memberId: member.memberId, programId, closedAt };
    await this.notes.along((drafts) => activities.closeEpisode(episode, drafts));
    const dischargeSummary = async () => {
      await this.untilPartnerHours();
      if (!this.consent.mayContactPartner())
        return this.note('discharge summary not sent to the new setting: no consent on record covers it');
      await this.consent.disclose(
        'discharge-summary',
        ['discharge-summary'],
        `discharge-${this.state.receivingProviderId}`,
      );
    };
    const planNotice = async () => {
      if (isResidential(this.input.fromLevelOfCare)) await this.tellPlan('discharge', closedAt);
    };
    // Independent sends: together they cost one workflow task instead of two.
    await Promise.all([dischargeSummary(), planNotice()]);
  }

  /** Seed 003 I.2.b.ix: the plan's own clock; without a plan on file the case manager has the task. */
  private async tellPlan(event: 'admission' | 'discharge', occurredAt: string): Promise<void> {
    const { managedCarePlanId } = this.input;
    if (managedCarePlanId) {
      const input = { ...this.input, managedCarePlanId };
      const clockId = await startResidentialPlanNotice(input, this.state.consents, event, occurredAt);
      return this.note(`residential ${event} notice to the managed care plan started as ${clockId}`);
    }
    const deadline = addDuration(new Date(occurredAt), this.policy.residentialNoticeWithin, this.policy.calendar);
    await this.notify('case-manager', `residential-${event}`, event, { deadline: deadline.toISOString() });
  }
}
