/**
 * The EHR behind the packet and the episode. The embedded default reads fixture files
 * (fixtures/ehr/<memberId>.json) and records closures in the data folder; a county's FHIR R4
 * endpoint plugs in behind the same interface (activities/fhir-ehr.ts).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { ProgressNoteDraft } from '../domain/progress-note';
import { DisclosureCategory, PACKET_ELEMENTS, type PacketElement } from '../domain/packet';
import { writeOnce } from './outbox';

export interface PacketContents {
  present: PacketElement[];
  missing: PacketElement[];
  notApplicable: PacketElement[];
}

/** What a packet page holds: text, or a PDF from the EHR merged in as it is. */
export type DocumentContent = { kind: 'text'; text: string } | { kind: 'pdf'; base64: string };

/** One consented category's documents, as the partner's packet shows them. */
export interface PacketDocument {
  category: DisclosureCategory;
  title: string;
  /** Empty when the EHR gives titles only (the fixture EHR). */
  content: DocumentContent[];
}

export interface EhrAdapter {
  packetContents(memberId: string): Promise<PacketContents>;
  /** The documents of exactly these categories, with their content; nothing of any other. */
  documents(memberId: string, categories: readonly DisclosureCategory[]): Promise<PacketDocument[]>;
  /** Idempotent: closing an episode already closed for this referral changes nothing. */
  closeEpisode(args: {
    referralId: string;
    memberId: string;
    programId: string;
    closedAt: string;
  }): Promise<'closed' | 'already-closed'>;
  /** Files a care coordination progress note marked Draft, once per key, for staff to finalize. */
  draftProgressNote(note: ProgressNoteDraft): Promise<'drafted' | 'already-drafted'>;
}

const FixtureChart = z.object({
  memberId: z.string(),
  documents: z.partialRecord(
    DisclosureCategory,
    z.union([z.literal('not-applicable'), z.object({ title: z.string(), updated: z.string() })]),
  ),
});

export class FixtureEhr implements EhrAdapter {
  constructor(
    private readonly fixturesDir: string,
    private readonly dataDir: string,
  ) {}

  private async chart(memberId: string) {
    if (!/^[A-Za-z0-9-]+$/.test(memberId)) throw new Error('invalid member id');
    try {
      return FixtureChart.parse(JSON.parse(await readFile(path.join(this.fixturesDir, `${memberId}.json`), 'utf8')));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { memberId, documents: {} };
      throw err;
    }
  }

  async packetContents(memberId: string): Promise<PacketContents> {
    const { documents } = await this.chart(memberId);
    const result: PacketContents = { present: [], missing: [], notApplicable: [] };
    for (const element of PACKET_ELEMENTS) {
      const doc = documents[element];
      if (doc === 'not-applicable') result.notApplicable.push(element);
      else if (doc) result.present.push(element);
      else result.missing.push(element);
    }
    return result;
  }

  async documents(memberId: string, categories: readonly DisclosureCategory[]): Promise<PacketDocument[]> {
    const { documents } = await this.chart(memberId);
    return categories.flatMap((category) => {
      const doc = documents[category];
      return doc && doc !== 'not-applicable' ? [{ category, title: doc.title, content: [] }] : [];
    });
  }

  async closeEpisode(args: { referralId: string; memberId: string; programId: string; closedAt: string }) {
    const status = await writeOnce(path.join(this.dataDir, 'ehr-closures'), args.referralId, args);
    return status === 'sent' ? 'closed' : 'already-closed';
  }

  /** The embedded default files drafts as JSON in the data folder (ehr-notes/), one per key. */
  async draftProgressNote(note: ProgressNoteDraft) {
    const status = await writeOnce(path.join(this.dataDir, 'ehr-notes'), note.key, note);
    return status === 'sent' ? 'drafted' : 'already-drafted';
  }
}
