/**
 * The EHR over FHIR R4 (SmartCare, Avatar, Epic and the like): the member is the Patient with the
 * county's member id as an identifier; the packet's elements are read from the chart:
 * - member information: Patient and Coverage;
 * - diagnosis: Condition;
 * - assessments and risk assessments: QuestionnaireResponse and Observation (ASAM, ANSA, CANS, C-SSRS);
 * - the Transition of Care Tool, service notes and the discharge summary: DocumentReference with
 *   their attachments (text as text, PDFs merged into the packet).
 * A resource names its element with a coding from PACKET_ELEMENT_SYSTEM (DocumentReference.category,
 * Observation.category, QuestionnaireResponse's meta.tag), or by its LOINC document type. A
 * document without a usable attachment does not count: the element is missing, and the case manager
 * gets the task. Progress note drafts go back as DocumentReference with docStatus preliminary.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import type { ProgressNoteDraft } from '../domain/progress-note';
import { DisclosureCategory, PACKET_ELEMENTS, type PacketElement } from '../domain/packet';
import type { DocumentContent, EhrAdapter, PacketContents, PacketDocument } from './ehr-adapter';
import { writeOnce } from './outbox';

export const PACKET_ELEMENT_SYSTEM = 'urn:referrals:packet-element';
const LOINC = 'http://loinc.org';
/** LOINC document types that name an element without a packet-element coding. */
const LOINC_DOCUMENT_TYPES: Record<string, DisclosureCategory> = {
  '18842-5': 'discharge-summary',
  '11506-3': 'recent-service-notes', // Progress note
};
const PROGRESS_NOTE = { system: LOINC, code: '11506-3', display: 'Progress note' };
/** Seed 003 I.2.a.ii: "recent" service notes are the last 30 days'. */
const RECENT_NOTES_DAYS = 30;

const Coding = z.object({ system: z.string().optional(), code: z.string().optional(), display: z.string().optional() });
const Concept = z.object({ coding: z.array(Coding).optional(), text: z.string().optional() });
const Reference = z.object({ reference: z.string().optional(), display: z.string().optional() });
const Attachment = z.object({
  contentType: z.string().optional(),
  data: z.string().optional(),
  url: z.string().optional(),
  title: z.string().optional(),
});
const Patient = z.object({
  resourceType: z.literal('Patient'),
  id: z.string(),
  name: z.array(z.object({ family: z.string().optional(), given: z.array(z.string()).optional() })).optional(),
  birthDate: z.string().optional(),
  gender: z.string().optional(),
  telecom: z.array(z.object({ system: z.string().optional(), value: z.string().optional() })).optional(),
});
const Coverage = z.object({
  resourceType: z.literal('Coverage'),
  subscriberId: z.string().optional(),
  payor: z.array(Reference).optional(),
  type: Concept.optional(),
});
const Condition = z.object({
  resourceType: z.literal('Condition'),
  code: Concept.optional(),
  clinicalStatus: Concept.optional(),
  onsetDateTime: z.string().optional(),
});
interface Item {
  linkId: string;
  text?: string | undefined;
  answer?: Record<string, unknown>[] | undefined;
  item?: Item[] | undefined;
}
const Item: z.ZodType<Item> = z.lazy(() =>
  z.object({
    linkId: z.string(),
    text: z.string().optional(),
    answer: z.array(z.record(z.string(), z.unknown())).optional(),
    item: z.array(Item).optional(),
  }),
);
const QuestionnaireResponse = z.object({
  resourceType: z.literal('QuestionnaireResponse'),
  meta: z.object({ tag: z.array(Coding).optional() }).optional(),
  questionnaire: z.string().optional(),
  authored: z.string().optional(),
  item: z.array(Item).optional(),
});
const Observation = z.object({
  resourceType: z.literal('Observation'),
  category: z.array(Concept).optional(),
  code: Concept,
  effectiveDateTime: z.string().optional(),
  valueString: z.string().optional(),
  valueInteger: z.number().optional(),
  valueQuantity: z.object({ value: z.number().optional(), unit: z.string().optional() }).optional(),
  valueCodeableConcept: Concept.optional(),
});
const DocumentReference = z.object({
  resourceType: z.literal('DocumentReference'),
  status: z.string(),
  docStatus: z.string().optional(),
  type: Concept.optional(),
  category: z.array(Concept).optional(),
  description: z.string().optional(),
  date: z.string().optional(),
  // 1..* in R4, yet an EHR may send none (servers drop empty arrays): then nothing to send.
  content: z.array(z.object({ attachment: Attachment })).default([]),
});
const Bundle = z.object({
  resourceType: z.literal('Bundle'),
  entry: z.array(z.object({ resource: z.unknown() })).optional(),
  link: z.array(z.object({ relation: z.string(), url: z.string() })).optional(),
});

export interface FhirEhrSettings {
  baseUrl: string;
  /** Bearer token for the EHR's FHIR endpoint (SMART backend services issue one). */
  token?: string | undefined;
  /** The identifier system under which the EHR keeps the county's member id. */
  memberIdSystem: string;
  timeoutMs: number;
  /** Episode closures are recorded here, as the fixture EHR records them. */
  dataDir: string;
  now?: () => Date;
}

/** A part of the chart with the element it belongs to. */
interface ChartEntry {
  element: DisclosureCategory;
  title: string;
  content: DocumentContent[];
}

export class FhirEhr implements EhrAdapter {
  constructor(private readonly settings: FhirEhrSettings) {}

  async packetContents(memberId: string): Promise<PacketContents> {
    const chart = await this.chart(memberId);
    const present = PACKET_ELEMENTS.filter((e) => chart.some((c) => c.element === e));
    return { present, missing: PACKET_ELEMENTS.filter((e) => !present.includes(e)), notApplicable: [] };
  }

  async documents(memberId: string, categories: readonly DisclosureCategory[]): Promise<PacketDocument[]> {
    const chart = await this.chart(memberId);
    return categories.flatMap((category) => {
      const entries = chart.filter((c) => c.element === category);
      if (entries.length === 0) return [];
      return [
        {
          category,
          title: entries.map((e) => e.title).join('; '),
          // Several records of one element: each under its own title.
          content:
            entries.length === 1
              ? entries[0]!.content
              : entries.flatMap((e) => [{ kind: 'text' as const, text: e.title }, ...e.content]),
        },
      ];
    });
  }

  async closeEpisode(args: { referralId: string; memberId: string; programId: string; closedAt: string }) {
    const status = await writeOnce(path.join(this.settings.dataDir, 'ehr-closures'), args.referralId, args);
    return status === 'sent' ? 'closed' : 'already-closed';
  }

  /** Written with an id made from the note's key, so a second run finds the first's draft. */
  async draftProgressNote(note: ProgressNoteDraft) {
    const id = `draft-${createHash('sha256').update(note.key).digest('hex').slice(0, 48)}`;
    if (await this.read(`DocumentReference/${id}`)) return 'already-drafted';
    const patient = await this.patient(note.memberId);
    if (!patient) throw new Error('the EHR has no Patient for this member');
    const text = [
      `Service: ${note.serviceCode} (${note.action})`,
      `Documentation: ${note.documentationStart} to ${note.documentationEnd}`,
      `Presentation: ${note.presentation}`,
      `Intervention: ${note.intervention}`,
      `Response: ${note.response}`,
    ].join('\n');
    await this.request(`DocumentReference/${id}`, {
      method: 'PUT',
      body: {
        resourceType: 'DocumentReference',
        id,
        status: 'current',
        docStatus: 'preliminary',
        type: { coding: [PROGRESS_NOTE] },
        subject: { reference: `Patient/${patient.id}` },
        date: note.documentationEnd,
        description: `Care coordination: ${note.action}`,
        content: [{ attachment: { contentType: 'text/plain', data: Buffer.from(text).toString('base64') } }],
      },
    });
    return 'drafted';
  }

  private async patient(memberId: string) {
    const bundle = await this.search(`Patient?identifier=${enc(`${this.settings.memberIdSystem}|${memberId}`)}`);
    const patients = bundle.map((r) => Patient.parse(r));
    if (patients.length > 1) throw new Error('the EHR has more than one Patient for this member id');
    return patients[0] ?? null;
  }

  /** Everything the packet could hold, each with its element; a member the EHR lacks has nothing. */
  private async chart(memberId: string): Promise<ChartEntry[]> {
    const patient = await this.patient(memberId);
    if (!patient) return [];
    const of = `patient=Patient/${enc(patient.id)}`;
    const [coverages, conditions, responses, observations, documents] = await Promise.all([
      this.search(`Coverage?${of}`),
      this.search(`Condition?${of}`),
      this.search(`QuestionnaireResponse?${of}`),
      this.search(`Observation?${of}`),
      this.search(`DocumentReference?${of}`),
    ]);
    const entries: ChartEntry[] = [memberInformation(patient, readable(Coverage, coverages))];
    const diagnoses = readable(Condition, conditions).filter(isActive);
    if (diagnoses.length) entries.push(diagnosisEntry(diagnoses));
    for (const r of readable(QuestionnaireResponse, responses)) entries.push(responseEntry(r));
    for (const o of readable(Observation, observations)) entries.push(observationEntry(o));
    for (const d of readable(DocumentReference, documents)) {
      const entry = await this.documentEntry(d);
      if (entry) entries.push(entry);
    }
    return entries;
  }

  /** A current, final document with at least one readable attachment, of a known element; else nothing. */
  private async documentEntry(d: z.infer<typeof DocumentReference>): Promise<ChartEntry | null> {
    if (d.status !== 'current' || d.docStatus === 'preliminary' || d.docStatus === 'entered-in-error') return null;
    const element = elementOf([...(d.category ?? []), ...(d.type ? [d.type] : [])]);
    if (!element) return null;
    if (element === 'recent-service-notes' && !this.isRecent(d.date)) return null;
    const content: DocumentContent[] = [];
    for (const { attachment } of d.content) {
      const bytes = attachment.data
        ? Buffer.from(attachment.data, 'base64')
        : attachment.url
          ? await this.binary(attachment.url)
          : null;
      if (!bytes) continue;
      if (attachment.contentType?.startsWith('text/plain'))
        content.push({ kind: 'text', text: bytes.toString('utf8') });
      else if (attachment.contentType === 'application/pdf')
        content.push({ kind: 'pdf', base64: bytes.toString('base64') });
    }
    if (content.length === 0) return null;
    const title = d.description ?? d.type?.text ?? d.type?.coding?.[0]?.display ?? element;
    return { element, title: d.date ? `${title} (${d.date.slice(0, 10)})` : title, content };
  }

  private isRecent(date: string | undefined): boolean {
    if (!date) return false;
    const now = (this.settings.now ?? (() => new Date()))().getTime();
    return now - Date.parse(date) <= RECENT_NOTES_DAYS * 86_400_000;
  }

  /** Every page of a search (the server's `next` links), as resources. */
  private async search(query: string): Promise<unknown[]> {
    const resources: unknown[] = [];
    let next: string | undefined = query;
    while (next) {
      const bundle = Bundle.parse(await this.request(next));
      resources.push(...(bundle.entry ?? []).map((e) => e.resource));
      next = bundle.link?.find((l) => l.relation === 'next')?.url;
    }
    return resources;
  }

  private async read(relative: string): Promise<unknown> {
    return this.request(relative, { allowNotFound: true });
  }

  private async binary(url: string): Promise<Buffer> {
    const response = await this.fetch(url, { headers: { accept: '*/*' } });
    return Buffer.from(await response.arrayBuffer());
  }

  private async request(
    relativeOrAbsolute: string,
    options: { method?: 'GET' | 'PUT'; body?: unknown; allowNotFound?: boolean } = {},
  ): Promise<unknown> {
    const response = await this.fetch(relativeOrAbsolute, {
      method: options.method ?? 'GET',
      headers: {
        accept: 'application/fhir+json',
        ...(options.body ? { 'content-type': 'application/fhir+json' } : {}),
      },
      ...(options.body ? { body: JSON.stringify(options.body) } : {}),
      allowNotFound: options.allowNotFound ?? false,
    });
    return response.status === 404 || response.status === 410 ? null : response.json();
  }

  /**
   * One HTTP call with the timeout. A failed answer throws with its status and path only (no
   * member data), so the activity's retry policy takes over.
   */
  private async fetch(
    relativeOrAbsolute: string,
    init: { method?: string; headers: Record<string, string>; body?: string; allowNotFound?: boolean },
  ): Promise<Response> {
    const base = new URL(this.settings.baseUrl.replace(/\/?$/, '/'));
    const url = new URL(relativeOrAbsolute, base);
    // The EHR's token goes to the EHR only, not to wherever an attachment's URL points.
    const ours = url.origin === base.origin;
    const response = await fetch(url, {
      method: init.method ?? 'GET',
      headers: {
        ...init.headers,
        ...(this.settings.token && ours ? { authorization: `Bearer ${this.settings.token}` } : {}),
      },
      ...(init.body ? { body: init.body } : {}),
      signal: AbortSignal.timeout(this.settings.timeoutMs),
    });
    if (response.ok || (init.allowNotFound && (response.status === 404 || response.status === 410))) return response;
    throw new Error(`EHR FHIR ${init.method ?? 'GET'} ${url.pathname} answered ${response.status}`);
  }
}

const enc = encodeURIComponent;

/**
 * The resources in a shape we can read; a malformed one is left out, as if absent, so its element
 * is missing and the case manager gets the task. Retrying would not mend it.
 */
function readable<T extends z.ZodType>(schema: T, resources: unknown[]): z.infer<T>[] {
  return resources.flatMap((r) => {
    const parsed = schema.safeParse(r);
    return parsed.success ? [parsed.data] : [];
  });
}

function elementOf(concepts: z.infer<typeof Concept>[]): DisclosureCategory | null {
  for (const coding of concepts.flatMap((c) => c.coding ?? [])) {
    if (coding.system === PACKET_ELEMENT_SYSTEM && coding.code) {
      const parsed = DisclosureCategory.safeParse(coding.code);
      if (parsed.success) return parsed.data;
    }
    if (coding.system === LOINC && coding.code && LOINC_DOCUMENT_TYPES[coding.code])
      return LOINC_DOCUMENT_TYPES[coding.code]!;
  }
  return null;
}

const display = (c: z.infer<typeof Concept> | undefined): string =>
  c?.text ?? c?.coding?.map((x) => [x.display, x.code && `(${x.code})`].filter(Boolean).join(' ')).join(', ') ?? '';

const isActive = (c: z.infer<typeof Condition>) => {
  const status = c.clinicalStatus?.coding?.[0]?.code;
  return status === undefined || status === 'active' || status === 'recurrence' || status === 'relapse';
};

function memberInformation(patient: z.infer<typeof Patient>, coverages: z.infer<typeof Coverage>[]): ChartEntry {
  const name = patient.name?.[0];
  const lines = [
    `Name: ${[...(name?.given ?? []), name?.family].filter(Boolean).join(' ')}`,
    ...(patient.birthDate ? [`Date of birth: ${patient.birthDate}`] : []),
    ...(patient.gender ? [`Gender: ${patient.gender}`] : []),
    ...(patient.telecom ?? []).map((t) => `${t.system ?? 'contact'}: ${t.value ?? ''}`),
    ...coverages.map(
      (c) => `Coverage: ${c.payor?.[0]?.display ?? display(c.type)}, member id ${c.subscriberId ?? 'not on file'}`,
    ),
  ];
  return {
    element: 'member-information',
    title: 'Member information',
    content: [{ kind: 'text', text: lines.join('\n') }],
  };
}

function diagnosisEntry(conditions: z.infer<typeof Condition>[]): ChartEntry {
  const lines = conditions.map(
    (c) => `${display(c.code)}${c.onsetDateTime ? `, since ${c.onsetDateTime.slice(0, 10)}` : ''}`,
  );
  return { element: 'diagnosis', title: 'Diagnoses', content: [{ kind: 'text', text: lines.join('\n') }] };
}

/** An assessment unless tagged a risk assessment (C-SSRS and the like). */
function assessmentElement(codings: z.infer<typeof Coding>[]): PacketElement {
  return codings.some((c) => c.system === PACKET_ELEMENT_SYSTEM && c.code === 'risk-assessments')
    ? 'risk-assessments'
    : 'assessments';
}

function responseEntry(r: z.infer<typeof QuestionnaireResponse>): ChartEntry {
  const lines: string[] = [];
  const walk = (items: Item[], depth: number) => {
    for (const item of items) {
      const answers = (item.answer ?? []).map(answerText).join(', ');
      lines.push(`${'  '.repeat(depth)}${item.text ?? item.linkId}${answers ? `: ${answers}` : ''}`);
      walk(item.item ?? [], depth + 1);
    }
  };
  walk(r.item ?? [], 0);
  const title = `${r.questionnaire?.split('/').pop()?.split('|')[0] ?? 'Assessment'}${r.authored ? ` (${r.authored.slice(0, 10)})` : ''}`;
  return { element: assessmentElement(r.meta?.tag ?? []), title, content: [{ kind: 'text', text: lines.join('\n') }] };
}

function answerText(answer: Record<string, unknown>): string {
  const [key, value] = Object.entries(answer).find(([k]) => k.startsWith('value')) ?? [];
  if (key === 'valueCoding')
    return z.object({ display: z.string().optional(), code: z.string().optional() }).parse(value).display ?? '';
  return value === undefined ? '' : String(value);
}

function observationEntry(o: z.infer<typeof Observation>): ChartEntry {
  const value =
    o.valueString ??
    (o.valueInteger !== undefined ? String(o.valueInteger) : undefined) ??
    (o.valueQuantity ? `${o.valueQuantity.value ?? ''} ${o.valueQuantity.unit ?? ''}`.trim() : undefined) ??
    display(o.valueCodeableConcept);
  const title = `${display(o.code)}${o.effectiveDateTime ? ` (${o.effectiveDateTime.slice(0, 10)})` : ''}`;
  return {
    element: assessmentElement((o.category ?? []).flatMap((c) => c.coding ?? [])),
    title,
    content: [{ kind: 'text', text: `${display(o.code)}: ${value}` }],
  };
}
