/**
 * The words of every notice. Members get no health information, ever: no program type,
 * diagnosis, substance use, level of care or provider specialty (DESIGN.md, "Messages to members").
 * Staff, partner and escalation messages carry the referral id and stage, never member details.
 */
import { DateTime } from 'luxon';
import { formatAppointment, showDeadline } from '../domain/calendar';
import type { Notice } from '../domain/notices';
import { CLOCK_TITLES } from '../domain/clocks/kinds';
import { ANY_STAGE_PHRASES } from '../domain/stages';

export interface Rendered {
  subject: string;
  text: string;
}

export interface RenderContext {
  programName: string;
  programPublicName: string;
  helpPhone: string;
  /** Staff: where to open what the notice is about (domain/links.ts). Never given to anyone else. */
  staffUrl: string;
  /** Partners: the signed links for what the stage lets them do, written out ('' when none). */
  partnerActions: string;
  /** Escalations: who has not answered, with how to reach them. */
  lateParty: string;
  /** Plan notices: who the member is to the plan, written out ('' for everyone else). */
  planMember: string;
  timeZone: string;
}

/** County staff: the only audiences whose messages link our internal pages. */
const STAFF_AUDIENCES: readonly Notice['audience'][] = [
  'case-manager',
  'clinic-director',
  'program-manager',
  'contract-monitor',
];
const ESCALATION_ROLES: Partial<Record<Notice['audience'], string>> = {
  'clinic-director': 'clinic director',
  'program-manager': 'program manager',
  'contract-monitor': 'contract monitor',
};

type Lang = 'en' | 'es';

const MEMBER: Record<
  'consent-request' | 'stage-reminder' | 'appointment-reminder' | 'contact-request',
  Record<Lang, (n: Notice, c: RenderContext) => string>
> = {
  'consent-request': {
    en: (_n, c) =>
      `${c.programPublicName}: your care team needs your signature on a form. Please call ${c.helpPhone}. Reply HELP for help, STOP to stop texts.`,
    es: (_n, c) =>
      `${c.programPublicName}: su equipo de atención necesita su firma en un formulario. Llame al ${c.helpPhone}. Responda HELP para ayuda, STOP para no recibir mensajes.`,
  },
  'stage-reminder': {
    en: (_n, c) =>
      `${c.programPublicName}: a reminder that your care team needs your signature on a form. Please call ${c.helpPhone}. Reply STOP to stop texts.`,
    es: (_n, c) =>
      `${c.programPublicName}: le recordamos que su equipo de atención necesita su firma en un formulario. Llame al ${c.helpPhone}. Responda STOP para no recibir mensajes.`,
  },
  'contact-request': {
    en: (_n, c) =>
      `${c.programPublicName}: your care team would like to talk with you. Please call ${c.helpPhone}. Reply STOP to stop texts.`,
    es: (_n, c) =>
      `${c.programPublicName}: su equipo de atención quiere hablar con usted. Llame al ${c.helpPhone}. Responda STOP para no recibir mensajes.`,
  },
  'appointment-reminder': {
    en: (n, c) =>
      `You have an appointment on ${when(n, c, 'en')}. Reply C to confirm, HELP for help, STOP to stop texts.`,
    es: (n, c) =>
      `Tiene una cita el ${when(n, c, 'es')}. Responda C para confirmar, HELP para ayuda, STOP para no recibir mensajes.`,
  },
};

/** Every kind of notice a member can receive: what the health-information scan renders. */
export const MEMBER_NOTICE_KINDS = Object.keys(MEMBER) as (keyof typeof MEMBER)[];
export const MEMBER_LANGUAGES: Lang[] = ['en', 'es'];

/** A clock's task lists whom to contact or what to do (directory ids and plain words only). */
function items(n: Notice): string {
  return n.facts.items?.length ? `\n${n.facts.items.map((i) => `  - ${i}`).join('\n')}` : '';
}

function when(n: Notice, c: RenderContext, lang: Lang): string {
  return formatAppointment(new Date(n.facts.appointmentAt ?? 0), n.member?.timeZone ?? c.timeZone, lang);
}

/** What we answer a member's SMS reply with. Never anything about care: the program's public name and phone only. */
export type SmsReplyKind = 'opted-out' | 'opted-in' | 'help' | 'confirmed' | 'several-transfers' | 'unknown-number';

const SMS_REPLIES: Record<SmsReplyKind, Record<Lang, (program: string, phone: string) => string>> = {
  'opted-out': {
    en: (p, ph) => `${p}: you will get no more texts from us. Reply START to get them again. Questions: ${ph}.`,
    es: (p, ph) =>
      `${p}: ya no recibirá mensajes de texto nuestros. Responda START para volver a recibirlos. Preguntas: ${ph}.`,
  },
  'opted-in': {
    en: (p, ph) => `${p}: you will get texts from us again. Reply STOP to stop, HELP for help (${ph}).`,
    es: (p, ph) =>
      `${p}: volverá a recibir nuestros mensajes. Responda STOP para no recibirlos, HELP para ayuda (${ph}).`,
  },
  help: {
    en: (p, ph) => `${p}: for help call ${ph}. Reply STOP to stop texts.`,
    es: (p, ph) => `${p}: para ayuda llame al ${ph}. Responda STOP para no recibir mensajes.`,
  },
  confirmed: {
    en: (p) => `${p}: thank you, we got your reply.`,
    es: (p) => `${p}: gracias, recibimos su respuesta.`,
  },
  'several-transfers': {
    en: (p, ph) =>
      `${p}: thank you, we got your reply. Someone from your care team will call you to confirm, or call ${ph}.`,
    es: (p, ph) =>
      `${p}: gracias, recibimos su respuesta. Alguien de su equipo de atención le llamará para confirmar, o llame al ${ph}.`,
  },
  'unknown-number': {
    en: (p, ph) => `${p}: we could not match this number. Please call ${ph}.`,
    es: (p, ph) => `${p}: no encontramos este número. Llame al ${ph}.`,
  },
};

/** The reply in the member's language; both languages when the number is not on record. */
export function smsReply(
  kind: SmsReplyKind,
  language: Lang | undefined,
  programPublicName: string,
  helpPhone: string,
): string {
  if (language) return SMS_REPLIES[kind][language](programPublicName, helpPhone);
  return MEMBER_LANGUAGES.map((l) => SMS_REPLIES[kind][l](programPublicName, helpPhone)).join(' / ');
}
export const SMS_REPLY_KINDS = Object.keys(SMS_REPLIES) as SmsReplyKind[];

export function renderForMember(n: Notice, c: RenderContext): Rendered {
  const lang: Lang = n.member?.language === 'es' ? 'es' : 'en';
  const template = MEMBER[n.kind as keyof typeof MEMBER];
  if (!template) throw new Error(`no member template for ${n.kind}`);
  const text = template[lang](n, c);
  return {
    subject: lang === 'es' ? `Mensaje de ${c.programPublicName}` : `A message from ${c.programPublicName}`,
    text,
  };
}

/** Staff tasks, partner requests, escalations and plan notices. */
export function renderForStaffOrPartner(n: Notice, c: RenderContext): Rendered {
  // "Referral R-…" for transfers, "Crisis follow-up C-…" for coordination clocks.
  const id = n.routing.clock ? `${CLOCK_TITLES[n.routing.clock.kind]} ${n.routing.referralId}` : n.routing.referralId;
  const Ref = n.routing.clock ? id : `Referral ${id}`;
  const ref = n.routing.clock ? id : `referral ${id}`;
  const stage = n.facts.stage;
  const phrase = stage ? ANY_STAGE_PHRASES[stage] : '';
  const day = (iso?: string) =>
    iso ? DateTime.fromISO(iso, { zone: c.timeZone }).toFormat("ccc LLL d 'at' HH:mm") : 'n/a';
  const deadline = (iso?: string) => (iso ? showDeadline(iso, c.timeZone) : 'n/a');
  // Staff open the transfer; partners act through their signed links; nobody outside the county gets our pages.
  const contact = `\nQuestions: call ${c.programName} at ${c.helpPhone}.`;
  const link = STAFF_AUDIENCES.includes(n.audience)
    ? `\nOpen the ${n.routing.clock ? 'task' : 'transfer'}: ${c.staffUrl}`
    : `${c.partnerActions}${contact}`;
  switch (n.kind) {
    case 'stage-request':
      return {
        subject: `${Ref}: please ${phrase}`,
        text: `${Ref} needs you to ${phrase} by ${deadline(n.facts.deadline)}.${items(n)}${link}`,
      };
    case 'stage-reminder':
      return {
        subject: `Reminder ${n.facts.reminderNumber}: ${ref}, ${phrase}`,
        text: `${Ref} is still waiting for you to ${phrase}. Due ${deadline(n.facts.deadline)}.${link}`,
      };
    case 'escalation': {
      const role = ESCALATION_ROLES[n.audience] ?? n.audience;
      const waited = n.facts.waitedBusinessDays ?? 0;
      const days = `${waited} business day${waited === 1 ? '' : 's'}`;
      return {
        subject: `Escalation (level ${n.facts.level}): ${ref} stuck at ${stage}, waiting on ${c.lateParty}`,
        text:
          `As ${role}, you are told that ${ref} has waited ${days} on ${c.lateParty} to ${phrase}.\n` +
          `Deadline was ${deadline(n.facts.deadline)}.\nWho has not answered: ${c.lateParty}.${link}`,
      };
    }
    case 'missing-documents':
      return {
        subject: `${Ref}: packet documents missing`,
        text: `Add these EHR documents, then mark documents ready: ${(n.facts.items ?? []).join(', ')}.${link}`,
      };
    case 'consent-revoked':
      return {
        subject: `${Ref}: consent revoked`,
        text: `A consent for ${ref} was revoked. No further disclosures will be made under it.${link}`,
      };
    case 'partner-contact-withheld':
      return {
        subject: `${Ref}: partner follow-up withheld`,
        text: `A follow-up to the receiving provider was not sent because no valid consent names them. Decide next steps.${link}`,
      };
    case 'residential-discharge':
      return {
        subject: `Residential discharge notice: ${ref}`,
        text: `Per your coordination agreement, a shared member was discharged from residential treatment on ${day(n.facts.occurredAt)}. ${Ref}.${c.planMember}\nPlease coordinate follow-up services with the sending program.${link}`,
      };
    case 'residential-admission':
      return {
        subject: `Residential admission notice: ${ref}`,
        text: `Per your coordination agreement, a shared member was admitted to residential treatment on ${day(n.facts.occurredAt)}. ${Ref}.${c.planMember}\nPlease coordinate with the program.${link}`,
      };
    case 'outcome':
      return {
        subject: `${Ref} ended: ${n.facts.outcome}`,
        text: `${Ref} ended with outcome ${n.facts.outcome}. Follow up as your program requires.${link}`,
      };
    default:
      return { subject: `${Ref}`, text: `${Ref}: ${n.kind}.${link}` };
  }
}
