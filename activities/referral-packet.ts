/**
 * The referral packet sent to a partner: a cover sheet (referral id, sending program and its
 * contact), with Part 2 records the redisclosure notice and a copy of the consent, then the
 * consented documents only. Rendered as a PDF for email; stored as JSON in the local outbox.
 */
import { PdfWriter } from '../infra/pdf-writer';
import type { ConsentOnRecord } from '../domain/consent';
import type { DisclosureCategory } from '../domain/packet';

export interface ReferralPacket {
  referralId: string;
  purpose: 'referral-packet' | 'discharge-summary';
  sendingProgram: { id: string; name: string; phone: string };
  categories: DisclosureCategory[];
  documents: { category: DisclosureCategory; title: string }[];
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
  for (const doc of packet.documents) {
    w.newPage();
    w.heading(`${doc.category}: ${doc.title}`);
    w.text('Document content from the EHR.');
  }
  return w.save();
}
