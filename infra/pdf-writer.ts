/** Text documents as PDF (the referral packet, the accounting of disclosures letter) with pdf-lib's standard fonts. */
import { PDFDocument, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';

const PAGE = { width: 612, height: 792, margin: 54, size: 10, line: 14 };

/** Wraps text in the standard font, page by page, on US Letter. */
export class PdfWriter {
  private page!: PDFPage;
  private y = 0;
  private constructor(
    private readonly pdf: PDFDocument,
    private readonly font: PDFFont,
    private readonly bold: PDFFont,
  ) {
    this.newPage();
  }
  static async create(title: string): Promise<PdfWriter> {
    const pdf = await PDFDocument.create();
    pdf.setTitle(title);
    const [font, bold] = await Promise.all([
      pdf.embedFont(StandardFonts.Helvetica),
      pdf.embedFont(StandardFonts.HelveticaBold),
    ]);
    return new PdfWriter(pdf, font, bold);
  }
  async save(): Promise<Buffer> {
    return Buffer.from(await this.pdf.save());
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
