/**
 * Every side effect of a transfer. Each activity is safe to run twice: sends and records carry
 * the workflow's business key and are written once; lookups have no effects.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Logger } from 'pino';
import { withinMs } from '../infra/time-limit';
import { draftProgressNote as writeDraft, type CarriedDrafts, type CoordinationAction } from '../domain/progress-note';
import {
  decideDisclosure,
  mayContactRecipient,
  validConsentFor,
  type ConsentOnRecord,
  type DisclosureContext,
  type RecipientFacts,
} from '../domain/consent';
import {
  countyEscalationContact,
  findCaseManager,
  findPlan,
  findProgram,
  findProvider,
  recipientFacts,
  type Directory,
} from '../domain/directory';
import type { ContactMethod } from '../domain/clocks/events';
import { staffTransferUrl, temporalUiWorkflowUrl } from '../domain/links';
import type { CalendarSettings } from '../domain/policy';
import type { ReferralStage } from '../domain/stages';
import { identifiesMemberToPlan, type Notice, type NoticeResult } from '../domain/notices';
import { PART2_REDISCLOSURE_NOTICE, type DisclosureCategory } from '../domain/packet';
import type { Courier } from './courier';
import type { DisclosureLog, DisclosurePurpose } from './disclosure-log';
import type { EhrAdapter, PacketContents } from './ehr-adapter';
import type { OutboundMessage } from './outbox';
import { PARTNER_ACTIONS_BY_STAGE, type PartnerAction, type PartnerLinks } from './partner-links';
import type { ReferralPacket } from './referral-packet';
import { renderForMember, renderForStaffOrPartner, type RenderContext } from './templates';

export interface ActivityDeps {
  directory: Directory;
  ehr: EhrAdapter;
  /** Where messages go: the real channels (`ChannelCourier`) or the local outbox. */
  outbox: Courier;
  /** Each disclosure is recorded here: what, to whom, when, under which consent. */
  disclosures: DisclosureLog;
  /** The Temporal UI: staff messages about a coordination clock link it (clocks have no web page yet). */
  temporalUiUrl: string;
  namespace: string;
  /** The web app: staff messages about a transfer link its page there. */
  webUrl: string;
  /** Signs the partner's action links; without it partner emails ask for a reply instead. */
  partnerLinks?: PartnerLinks;
  /** The county's calendar: the time zone messages give times in. */
  calendar: CalendarSettings;
  logger: Logger;
}

export interface DiscloseArgs {
  key: string;
  referralId: string;
  memberId: string;
  sendingProgramId: string;
  purpose: 'referral-packet' | 'discharge-summary';
  recipient: RecipientFacts;
  context: DisclosureContext;
  consents: ConsentOnRecord[];
  categories: DisclosureCategory[];
  dueAt: string;
}

export function createActivities(deps: ActivityDeps) {
  const { directory, logger } = deps;
  const staffUrl = (routing: Notice['routing']) =>
    routing.clock
      ? temporalUiWorkflowUrl(deps.temporalUiUrl, deps.namespace, routing.clock.workflowId)
      : staffTransferUrl(deps.webUrl, routing.referralId);

  /** Everything the words of a notice need beyond the notice: names, links, who is late, how long. */
  function renderContext(n: Notice): RenderContext {
    const program = required(
      findProgram(directory, n.routing.sendingProgramId),
      `program ${n.routing.sendingProgramId}`,
    );
    const actions =
      n.audience === 'partner' && !n.routing.clock
        ? (PARTNER_ACTIONS_BY_STAGE[n.facts.stage as ReferralStage] ?? [])
        : [];
    return {
      programName: program.name,
      programPublicName: program.publicName,
      helpPhone: program.helpPhone,
      staffUrl: staffUrl(n.routing),
      partnerActions: actions.length
        ? partnerLinkText(deps.partnerLinks, n.routing.referralId, n.routing.receivingProviderId, actions)
        : '',
      lateParty: lateParty(n, directory),
      planMember: n.audience === 'managed-care-plan' && n.plan ? planMemberLines(n) : '',
      timeZone: deps.calendar.timeZone,
    };
  }

  /**
   * A notice that names the member to the plan is a disclosure: the consent rule is checked again
   * here, where it is made, and the disclosure is logged before the email goes.
   */
  async function discloseToPlan(n: Notice, to: string): Promise<void> {
    const plan = required(findPlan(directory, n.routing.managedCarePlanId), 'managed care plan');
    const facts = required(recipientFacts(directory, plan.id), 'managed care plan');
    const gate = n.plan!;
    const at = new Date(n.dueAt);
    if (!mayContactRecipient(gate.context, facts, gate.consents, at))
      throw ApplicationFailure.nonRetryable(
        'disclosure blocked: no valid written consent names the plan',
        'ConsentGate',
      );
    await deps.disclosures.record({
      key: n.key,
      referralId: gate.referralId,
      memberId: gate.memberId,
      providerId: plan.id,
      recipient: to,
      purpose: `${n.kind}-notice` as DisclosurePurpose,
      categories: ['member-information'],
      consentId: validConsentFor(gate.consents, facts, at)?.consentId ?? null,
      disclosedAt: n.dueAt,
    });
  }

  /** Seed 004: one care coordination progress note draft per coordination action, marked Draft in the EHR. */
  async function draftProgressNote(action: CoordinationAction): Promise<'drafted' | 'already-drafted'> {
    const result = await deps.ehr.draftProgressNote(writeDraft(action, deps.calendar.timeZone));
    logger.info({ subjectId: action.subjectId, key: action.key, result }, 'progress note draft');
    return result;
  }

  /**
   * Drafts carried by another activity, each tried once and briefly. A notice files them before
   * its own work, so a failing channel does not hold them up; a retry finds them already drafted.
   * The first draft the EHR refuses or leaves unanswered hands it and the rest back untried: a
   * slow EHR delays the notice by one short wait at most.
   */
  async function draftAlong(drafts: CoordinationAction[] | undefined): Promise<CarriedDrafts> {
    const pending = [...(drafts ?? [])];
    while (pending.length > 0) {
      const action = pending[0]!;
      try {
        // A late draft is harmless: drafts are keyed, so the retry finds it already filed.
        await withinMs(CARRIED_DRAFT_WAIT_MS, draftProgressNote(action));
        pending.shift();
      } catch (err) {
        logger.warn(
          { subjectId: action.subjectId, key: action.key, left: pending.length, error: (err as Error).name },
          'progress note drafts left for their own activity',
        );
        return { undrafted: pending };
      }
    }
    return {};
  }

  /** Requests, reminders, escalations and tasks. A member with no usable channel becomes a task. */
  async function sendNotice(notice: Notice): Promise<NoticeResult> {
    const context = renderContext(notice);
    let message = routeNotice(notice, directory, context);
    if (message.audience === 'managed-care-plan' && identifiesMemberToPlan(notice))
      await discloseToPlan(notice, message.to);
    let status = await deps.outbox.deliver(message);
    if (status === 'opted-out') {
      // DESIGN.md: a member who opted out is handed to the case manager as a task, not skipped.
      message = memberUnreachableTask(
        notice,
        directory,
        context,
        'The member has opted out of text messages: please contact them another way.',
      );
      status = await deps.outbox.deliver(message);
    }
    logger.info(
      {
        referralId: notice.routing.referralId,
        key: notice.key,
        audience: message.audience,
        channel: message.channel,
        status,
      },
      'notice',
    );
    return {
      key: notice.key,
      status:
        status === 'duplicate' ? 'duplicate' : message.audience !== notice.audience ? 'handed-to-case-manager' : 'sent',
      channel: message.channel,
    };
  }

  return {
    /** What the directory says of a receiving provider that bears on consent. */
    async describeProvider(providerId: string): Promise<RecipientFacts> {
      const facts = recipientFacts(directory, providerId);
      if (!facts) throw ApplicationFailure.nonRetryable(`unknown provider ${providerId}`, 'UnknownProvider');
      return facts;
    },

    /** Seed 003 I.2.a.ii: which EHR elements are ready for the packet, which are missing. */
    async assemblePacket(args: { referralId: string; memberId: string; attempt: number }): Promise<PacketContents> {
      const contents = await deps.ehr.packetContents(args.memberId);
      logger.info(
        {
          referralId: args.referralId,
          attempt: args.attempt,
          present: contents.present.length,
          missing: contents.missing,
        },
        'packet assembled',
      );
      return contents;
    },

    /**
     * Sends documents to the receiving provider. The consent gate is checked again here, on the
     * same rule, so no code path can disclose without it.
     */
    async disclose(
      args: DiscloseArgs,
      drafts?: CoordinationAction[],
    ): Promise<{ status: 'sent' | 'duplicate'; categories: DisclosureCategory[] } & CarriedDrafts> {
      const decision = decideDisclosure(
        args.context,
        args.recipient,
        args.consents,
        args.categories,
        new Date(args.dueAt),
      );
      if (!decision.allowed)
        throw ApplicationFailure.nonRetryable(`disclosure blocked: ${decision.reason}`, 'ConsentGate');
      const provider = required(
        findProvider(directory, args.recipient.providerId),
        `provider ${args.recipient.providerId}`,
      );
      const program = required(findProgram(directory, args.sendingProgramId), `program ${args.sendingProgramId}`);
      const documents = await deps.ehr.documents(args.memberId, decision.elements);
      const packet: ReferralPacket = {
        referralId: args.referralId,
        purpose: args.purpose,
        sendingProgram: { id: program.id, name: program.name, phone: program.helpPhone },
        categories: decision.elements,
        documents,
        ...(args.context.partTwo
          ? { part2RedisclosureNotice: PART2_REDISCLOSURE_NOTICE, consentCopy: decision.consent }
          : {}),
      };
      await deps.disclosures.record({
        key: args.key,
        referralId: args.referralId,
        memberId: args.memberId,
        providerId: provider.id,
        recipient: provider.intakeEmail,
        purpose: args.purpose,
        categories: decision.elements,
        consentId: decision.consent?.consentId ?? null,
        disclosedAt: args.dueAt,
      });
      // Email has no opt-out: anything but a duplicate went out.
      const delivered = await deps.outbox.deliver({
        key: args.key,
        referralId: args.referralId,
        channel: 'email',
        audience: 'partner',
        kind: args.purpose,
        to: provider.intakeEmail,
        subject:
          args.purpose === 'referral-packet'
            ? `Referral packet ${args.referralId}`
            : `Discharge summary for referral ${args.referralId}`,
        text:
          `Referral ${args.referralId}: ${args.purpose === 'referral-packet' ? 'please acknowledge receipt and offer an appointment' : 'discharge summary as authorized'}.` +
          (args.purpose === 'referral-packet'
            ? partnerLinkText(
                deps.partnerLinks,
                args.referralId,
                provider.id,
                PARTNER_ACTIONS_BY_STAGE['send-packet']!,
              ) + (provider.fhirTask ? fhirAccessText(deps.partnerLinks, args.referralId, provider.id) : '')
            : ''),
        dueAt: args.dueAt,
        packet,
      });
      const status = delivered === 'duplicate' ? 'duplicate' : 'sent';
      logger.info(
        { referralId: args.referralId, providerId: provider.id, purpose: args.purpose, status },
        'disclosure',
      );
      // After the delivery: the disclosure's own note is among the drafts, and must not come first.
      return { status, categories: decision.elements, ...(await draftAlong(drafts)) };
    },

    async sendNotice(notice: Notice, drafts?: CoordinationAction[]): Promise<NoticeResult & CarriedDrafts> {
      const carried = await draftAlong(drafts);
      return { ...(await sendNotice(notice)), ...carried };
    },

    draftProgressNote,

    /**
     * A contact staff made with an outside provider or plan about the member (a crisis follow-up
     * call, a MAT referral faxed): logged like any disclosure, under the consent that allowed it.
     */
    async recordDisclosure(args: {
      key: string;
      subjectId: string;
      memberId: string;
      recipientId: string;
      method: ContactMethod;
      purpose: DisclosurePurpose;
      at: string;
      consents: ConsentOnRecord[];
    }): Promise<'recorded' | 'duplicate'> {
      const facts = required(recipientFacts(directory, args.recipientId), `provider or plan ${args.recipientId}`);
      const name = findProvider(directory, args.recipientId)?.name ?? findPlan(directory, args.recipientId)?.name;
      const result = await deps.disclosures.record({
        key: args.key,
        referralId: args.subjectId,
        memberId: args.memberId,
        providerId: args.recipientId,
        recipient: `${name} (${args.method})`,
        purpose: args.purpose,
        categories: ['member-information'],
        consentId: validConsentFor(args.consents, facts, new Date(args.at))?.consentId ?? null,
        disclosedAt: args.at,
      });
      logger.info({ subjectId: args.subjectId, providerId: args.recipientId, result }, 'disclosure recorded');
      return result;
    },

    /** The drafts queued since the last batch, in order; a retry skips those already drafted by key. */
    async draftProgressNotes(actions: CoordinationAction[]): Promise<('drafted' | 'already-drafted')[]> {
      const results: ('drafted' | 'already-drafted')[] = [];
      for (const action of actions) results.push(await draftProgressNote(action));
      return results;
    },

    async closeEpisode(
      args: { referralId: string; memberId: string; programId: string; closedAt: string },
      drafts?: CoordinationAction[],
    ): Promise<{ episode: 'closed' | 'already-closed' } & CarriedDrafts> {
      const carried = await draftAlong(drafts);
      const episode = await deps.ehr.closeEpisode(args);
      logger.info({ referralId: args.referralId, result: episode }, 'episode closed');
      return { episode, ...carried };
    },
  };
}

/** How long an activity carrying drafts waits on the EHR for one, before handing them back. */
const CARRIED_DRAFT_WAIT_MS = 5_000;

/** A directory entry that must exist; its absence is a configuration error retrying cannot fix. */
function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw ApplicationFailure.nonRetryable(`${what} is not in the directory`, 'NotInDirectory');
  return value;
}

function partnerLinkText(
  links: PartnerLinks | undefined,
  referralId: string,
  providerId: string,
  actions: PartnerAction[],
): string {
  if (!links) return '\n\nPlease reply to the sending program to answer.';
  return `\n\nAnswer with one click (each link works once and expires):\n${actions.map((a) => `  ${a}: ${links.url(referralId, providerId, a)}`).join('\n')}`;
}

/** For a partner whose system speaks FHIR: where the referral's Task is, and the token that opens it. */
function fhirAccessText(links: PartnerLinks | undefined, referralId: string, providerId: string): string {
  if (!links) return '';
  return (
    `\n\nFor systems that use FHIR R4, this referral's Task (read it; set its status to received, accepted, ` +
    `rejected or completed):\n  ${links.fhirTaskUrl(referralId)}\n  Authorization: Bearer ${links.fhirToken(referralId, providerId)}`
  );
}

/** Who an escalation is about, named with how to reach them (staff read it; no member details). */
function lateParty(n: Notice, directory: Directory): string {
  switch (n.facts.waitingOn) {
    case 'partner': {
      const p = findProvider(directory, n.routing.receivingProviderId);
      return p
        ? `${p.name} (${[p.intakeEmail, p.phone].filter(Boolean).join(', ')})`
        : `provider ${n.routing.receivingProviderId}`;
    }
    case 'case-manager': {
      const cm = findCaseManager(directory, n.routing.sendingProgramId, n.routing.caseManagerId);
      return cm
        ? `case manager ${cm.name} (${[cm.email, cm.phone].filter(Boolean).join(', ')})`
        : `case manager ${n.routing.caseManagerId}`;
    }
    case 'managed-care-plan': {
      const plan = findPlan(directory, n.routing.managedCarePlanId);
      return plan
        ? `${plan.name} (${[plan.notificationEmail, plan.phone, plan.fax && `fax ${plan.fax}`].filter(Boolean).join(', ')})`
        : 'the managed care plan';
    }
    case 'member':
      return 'the member (contact details on the transfer page)';
    default:
      return 'nobody named';
  }
}

/** Who the member is to the plan: its own id for them first, then name and date of birth when known. */
function planMemberLines(n: Notice): string {
  const m = n.plan!.member;
  const lines = [
    `Plan member id (Medi-Cal CIN): ${m.planMemberId ?? 'not on file'}`,
    m.name && `Name: ${m.name}`,
    m.dateOfBirth && `Date of birth: ${m.dateOfBirth}`,
  ];
  const notice = n.plan!.context.partTwo ? `\n\n${PART2_REDISCLOSURE_NOTICE}` : '';
  return `\n${lines.filter(Boolean).join('\n')}${notice}`;
}

/** A task for the case manager, the notice's own words plus why it came to them. */
function taskForCaseManager(
  n: Notice,
  directory: Directory,
  context: RenderContext,
  kind: string,
  extra = '',
): OutboundMessage {
  const caseManager = findCaseManager(directory, n.routing.sendingProgramId, n.routing.caseManagerId);
  const r = renderForStaffOrPartner({ ...n, audience: 'case-manager', kind: kind as Notice['kind'] }, context);
  return {
    key: n.key,
    referralId: n.routing.referralId,
    dueAt: n.dueAt,
    kind,
    channel: 'task',
    audience: 'case-manager',
    to: caseManager?.email ?? n.routing.caseManagerId,
    subject: r.subject,
    text: r.text + extra,
  };
}

/** DESIGN.md: a member with no channel, or who opted out, is handed to the case manager, not skipped. */
function memberUnreachableTask(n: Notice, directory: Directory, context: RenderContext, why: string): OutboundMessage {
  return {
    ...taskForCaseManager(n, directory, context, n.kind, `\n${why}`),
    key: `${n.key}/unreachable`,
    kind: `member-unreachable:${n.kind}`,
  };
}

/** Resolves the notice's audience to an address and renders its words. */
function routeNotice(n: Notice, directory: Directory, context: RenderContext): OutboundMessage {
  const base = { key: n.key, referralId: n.routing.referralId, kind: n.kind, dueAt: n.dueAt };
  const toCaseManager = (kind: string): OutboundMessage => taskForCaseManager(n, directory, context, kind);
  switch (n.audience) {
    case 'member': {
      const m = n.member;
      const channel = m?.contactPreferences.find((c) => (c === 'sms' ? m.phone : m.email));
      if (!m || !channel)
        return memberUnreachableTask(
          n,
          directory,
          context,
          'The member has no usable phone or email on record: please contact them directly.',
        );
      const r = renderForMember(n, context);
      const replyContext =
        channel === 'sms' && m.memberId
          ? {
              replyContext: {
                memberId: m.memberId,
                programId: n.routing.sendingProgramId,
                language: m.language === 'es' ? ('es' as const) : ('en' as const),
                caseManagerId: n.routing.caseManagerId,
              },
            }
          : {};
      return {
        ...base,
        channel,
        audience: 'member',
        to: channel === 'sms' ? m.phone! : m.email!,
        subject: r.subject,
        text: r.text,
        ...replyContext,
      };
    }
    case 'case-manager':
      return toCaseManager(n.kind);
    case 'partner': {
      const provider = findProvider(directory, n.routing.receivingProviderId);
      const r = renderForStaffOrPartner(n, context);
      return {
        ...base,
        channel: 'email',
        audience: 'partner',
        to: required(provider, 'receiving provider').intakeEmail,
        subject: r.subject,
        text: r.text,
      };
    }
    case 'clinic-director': {
      const program = findProgram(directory, n.routing.sendingProgramId);
      const r = renderForStaffOrPartner(n, context);
      return {
        ...base,
        channel: 'email',
        audience: 'clinic-director',
        to: required(program, 'sending program').clinicDirector.email,
        subject: r.subject,
        text: r.text,
      };
    }
    case 'contract-monitor': {
      const provider = findProvider(directory, n.routing.receivingProviderId);
      const r = renderForStaffOrPartner(n, context);
      return {
        ...base,
        channel: 'email',
        audience: 'contract-monitor',
        to: required(provider, 'receiving provider').contractMonitor.email,
        subject: r.subject,
        text: r.text,
      };
    }
    case 'program-manager': {
      const r = renderForStaffOrPartner(n, context);
      const to = countyEscalationContact(
        required(findProgram(directory, n.routing.sendingProgramId), 'sending program'),
      ).email;
      return { ...base, channel: 'email', audience: 'program-manager', to, subject: r.subject, text: r.text };
    }
    case 'managed-care-plan': {
      const plan = required(findPlan(directory, n.routing.managedCarePlanId), 'managed care plan');
      if (plan.notificationChannel !== 'secure-email') {
        // The plan asked for phone or fax: a person makes that contact, so it becomes their task.
        return taskForCaseManager(
          n,
          directory,
          context,
          n.kind,
          `\nThis plan takes notices by ${plan.notificationChannel}: ${plan.name}, ${plan[plan.notificationChannel]}. Name the member by their plan member id (Medi-Cal CIN). Record the contact when made, and the plan's confirmation when it comes.`,
        );
      }
      if (identifiesMemberToPlan(n) && !n.plan?.member.planMemberId) {
        // The plan cannot tell who was admitted or discharged without its own id for the member.
        const reach = [plan.phone, plan.fax && `fax ${plan.fax}`].filter(Boolean).join(', ') || plan.notificationEmail;
        return taskForCaseManager(
          n,
          directory,
          context,
          n.kind,
          `\nThe member's plan member id (Medi-Cal CIN) is not on the transfer, so the notice could not be sent by email. Notify ${plan.name} (${reach}) naming the member, and record the contact when made.`,
        );
      }
      const r = renderForStaffOrPartner(n, context);
      return {
        ...base,
        channel: 'email',
        audience: 'managed-care-plan',
        to: plan.notificationEmail,
        subject: r.subject,
        text: r.text,
      };
    }
  }
}
