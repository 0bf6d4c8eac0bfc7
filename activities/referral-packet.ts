/**
 * The referral packet sent to a partner: a cover sheet (referral id, sending program and its
 * contact), with Part 2 records the redisclosure notice and a copy of the consent, then the
 * consented documents only. Rendered as a PDF for email; stored as JSON in the local outbox.
 */
import { PDFDocument } from 'pdf-lib';
import { PdfWriter } from '../infra/pdf-writer';
import type { PacketDocument } from './ehr-adapter';
import type { ConsentOnRecord } from '../domain/consent';
import type { DisclosureCategory } from '../domain/packet';

export interface ReferralPacket {
  referralId: string;
  purpose: 'referral-packet' | 'discharge-summary';
  sendingProgram: { id: string; name: string; phone: string };
  categories: DisclosureCategory[];
  documents: PacketDocument[];
  part2RedisclosureNotice?: string;
  consentCopy?: ConsentOnRecord;
}

export async function renderPacketPdf(packet: ReferralPacket): Promise<Buffer> {
  const w = await PdfWriter.create(`Referral ${packet.referralId}`);
  w.heading(packet.purpose === 'referral-packet' ? 'Referral packet: cover sheet' : 'Discharge summary: cover sheet');
  w.text(`Referral id: ${packet.referralId}`);
  w.text(`Sending program: ${packet.sendingProgram.name}`);
  w.text(`Contact: ${packet.sendingProgram.phone}`);
  w.text(`Categories disclosed: ${packet.categories.join(', ')}`);
  if (packet.part2RedisclosureNotice) {
    w.heading('Notice of prohibition on redisclosure (42 CFR 2.32)');
    w.text(packet.part2RedisclosureNotice);
  }
  if (packet.consentCopy) {
    w.heading('Copy of the consent');
    w.text(JSON.stringify(packet.consentCopy, null, 1));
  }
  const pdfs: string[] = [];
  for (const doc of packet.documents) {
    w.newPage();
    w.heading(`${doc.category}: ${doc.title}`);
    if (doc.content.length === 0) w.text('Document content from the EHR.');
    for (const part of doc.content) {
      if (part.kind === 'text') w.text(part.text);
      else {
        w.text('(The EHR document follows as its own pages.)');
        pdfs.push(part.base64);
      }
    }
  }
  return pdfs.length === 0 ? w.save() : appendPdfs(await w.save(), pdfs);
}

/** The EHR's own PDFs, page for page after the packet's pages, in the order the documents list them. */
async function appendPdfs(packet: Buffer, pdfs: string[]): Promise<Buffer> {
  const merged = await PDFDocument.load(packet);
  for (const base64 of pdfs) {
    const source = await PDFDocument.load(Buffer.from(base64, 'base64'));
    for (const page of await merged.copyPages(source, source.getPageIndices())) merged.addPage(page);
  }
  return Buffer.from(await merged.save());
}
