/**
 * The referral packet sent to a partner: a cover sheet (referral id, sending program and its
 * contact), with Part 2 records the redisclosure notice and a copy of the consent, then the
 * consented documents only. Rendered as a PDF for email; stored as JSON in the local outbox.
 */
import { PDFDocument, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
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

const PAGE = { width: 612, height: 792, margin: 54, size: 10, line: 14 };

export async function renderPacketPdf(packet: ReferralPacket): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Referral ${packet.referralId}`);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const w = new Writer(pdf, font, bold);
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
  return Buffer.from(await pdf.save());
}

/** Wraps text in the standard font, page by page. */
class Writer {
  private page!: PDFPage;
  private y = 0;
  constructor(
    private readonly pdf: PDFDocument,
    private readonly font: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.newPage();
  }
  newPage(): void {
    this.page = this.pdf.addPage([PAGE.width, PAGE.height]);
    this.y = PAGE.height - PAGE.margin;
  }
  heading(s: string): void {
    this.y -= PAGE.line / 2;
    this.lines(s, this.bold, PAGE.size + 2);
  }
  text(s: string): void {
    this.lines(s, this.font, PAGE.size);
  }
  private lines(s: string, font: PDFFont, size: number): void {
    const max = PAGE.width - 2 * PAGE.margin;
    const space = font.widthOfTextAtSize(' ', size);
    for (const paragraph of winAnsi(s).split('\n')) {
      // Each word measured once, not the growing line again per word. Kerning across a space is
      // left out: never positive in Helvetica and Helvetica-Bold, so a line is never wider than measured.
      let line = '';
      let width = 0;
      for (const word of paragraph.split(' ')) {
        const wordWidth = font.widthOfTextAtSize(word, size);
        const nextWidth = line ? width + space + wordWidth : wordWidth;
        if (nextWidth > max && line) {
          this.draw(line, font, size);
          line = word;
          width = wordWidth;
        } else {
          line = line ? `${line} ${word}` : word;
          width = nextWidth;
        }
      }
      this.draw(line, font, size);
    }
  }
  private draw(s: string, font: PDFFont, size: number): void {
    if (this.y < PAGE.margin) this.newPage();
    this.page.drawText(s, { x: PAGE.margin, y: this.y, size, font });
    this.y -= PAGE.line;
  }
}

/** The standard PDF fonts encode WinAnsi only: replace anything else rather than fail the send. */
function winAnsi(s: string): string {
  return s.replace(/[^\x09\x0a\x20-\x7e\xa0-\xff]/g, '?');
}
