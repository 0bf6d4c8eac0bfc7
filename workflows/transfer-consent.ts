/**
 * The transfer's side of the consent rule (domain/consent.ts decides, DESIGN.md "Consent"):
 * whether a disclosure may go now, the consent request, every disclosure to the partner (decided
 * here and checked again in the activity), and the case manager told of each revocation.
 */
import * as wf from '@temporalio/workflow';
import {
  consentReasons,
  decideDisclosure,
  mayContactRecipient,
  type DisclosureContext,
  type RecipientFacts,
} from '../domain/consent';
import { actionForDisclosure } from '../domain/note-actions';
import type { Notice, NoticeAudience, NoticeKind } from '../domain/notices';
import type { DisclosureCategory } from '../domain/packet';
import type { TransferState } from '../domain/state';
import type { TransitionInput } from '../domain/transfer';
import { activities } from './activity-proxies';
import type { NoteDrafts } from './note-drafts';

export interface ConsentHost {
  input: TransitionInput;
  state: TransferState;
  notes: NoteDrafts;
  /** The obtain-consent stage's deadline if it started now. */
  consentDeadline(): Date;
  /** The member's consent request, through quiet hours and caps. */
  askMember(key: string): void;
  notify(audience: NoticeAudience, kind: NoticeKind, key: string, facts: Notice['facts']): Promise<void>;
}

export class TransferConsent {
  readonly context: DisclosureContext;
  private handledRevocations = 0;
  /** Keys of the consent requests already sent, so a stage entered later does not ask again. */
  private readonly requested = new Set<string>();

  constructor(private readonly host: ConsentHost) {
    this.context = { partTwo: host.input.partTwo, sequestered: host.input.sequestered };
  }

  /** The recipient decides whether consent is needed. */
  useRecipient(recipient: RecipientFacts): void {
    const { state } = this.host;
    state.recipient = recipient;
    state.receivingProviderId = recipient.providerId;
    state.consentReasons = consentReasons(this.context, recipient);
    state.consentNeeded = state.consentReasons.length > 0;
  }

  /** Whether the packet (its elements, or at least the member's information) may go to the recipient now. */
  packetAllowed(): boolean {
    const { state } = this.host;
    const elements = state.packet?.elements ?? ['member-information'];
    return decideDisclosure(this.context, state.recipient!, state.consents, elements, now()).allowed;
  }

  /** Whether the partner may be written to at all about this member (reminders included). */
  mayContactPartner(): boolean {
    return mayContactRecipient(this.context, this.host.state.recipient!, this.host.state.consents, now());
  }

  /** The member and the case manager are asked once per recipient. */
  async ask(): Promise<void> {
    const key = `consent-${this.host.state.receivingProviderId}`;
    // Already asked while the packet was assembled: the same keys would only meet the send
    // ledger's "already sent" again, at two activities (12 history events) apiece.
    if (this.requested.has(key)) return;
    this.requested.add(key);
    this.host.askMember(key);
    await this.host.notify('case-manager', 'stage-request', key, {
      stage: 'obtain-consent',
      deadline: this.host.consentDeadline().toISOString(),
    });
  }

  /** The only path to a partner: the gate is decided here and checked again in the activity. */
  async disclose(
    purpose: 'referral-packet' | 'discharge-summary',
    categories: DisclosureCategory[],
    key: string,
  ): Promise<void> {
    const { input, state, notes } = this.host;
    const recipient = state.recipient!;
    const decision = decideDisclosure(this.context, recipient, state.consents, categories, now());
    if (!decision.allowed)
      throw wf.ApplicationFailure.nonRetryable(`disclosure blocked: ${decision.reason}`, 'ConsentGate');
    // Seed 004's note for the disclosure rides with it, written once the packet is delivered.
    notes.add(actionForDisclosure(purpose, recipient.providerId, decision.elements), input.caseManagerId);
    const args = {
      key: `${input.referralId}/${key}`,
      referralId: input.referralId,
      memberId: input.member.memberId,
      sendingProgramId: input.sendingProgramId,
      purpose,
      recipient,
      context: this.context,
      consents: state.consents,
      categories: decision.elements,
      dueAt: now().toISOString(),
    };
    await notes.along((drafts) => activities.disclose(args, drafts));
    state.timeline.push({
      at: now().toISOString(),
      kind: 'disclosure',
      providerId: recipient.providerId,
      purpose,
      categories: decision.elements,
      consentId: decision.consent?.consentId ?? null,
    });
  }

  /** Revocation stops later disclosures at once (the gate sees it); the case manager is told. */
  async tellCaseManagerOfRevocations(): Promise<void> {
    for (;;) {
      await wf.condition(() => this.host.state.consents.filter((c) => c.revokedAt).length > this.handledRevocations);
      this.handledRevocations++;
      await this.host.notify('case-manager', 'consent-revoked', `revoked-${this.handledRevocations}`, {});
    }
  }
}

function now(): Date {
  return new Date(); // the workflow clock: deterministic inside workflows
}
