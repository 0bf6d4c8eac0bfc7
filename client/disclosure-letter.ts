/** The accounting of disclosures as a printable letter for the member (PDF). */
import { PdfWriter } from '../infra/pdf-writer';
import { localTime, type DisclosureAccounting } from './disclosure-accounting';

export async function renderAccountingLetter(a: DisclosureAccounting, preparedAt: Date): Promise<Buffer> {
  const w = await PdfWriter.create(`Accounting of disclosures ${a.memberId}`);
  w.heading('Accounting of disclosures of your health records');
  w.text(`Member id: ${a.memberId}`);
  w.text(`Period: ${a.from} to ${a.to} (both days included; times are ${a.timeZone})`);
  w.text(`Prepared: ${localTime(preparedAt.toISOString(), a.timeZone)}`);
  w.text(
    'This letter lists each time the county disclosed your records to someone outside its programs in the period ' +
      'above: when, to whom, what was disclosed, why, and under which of your written consents.',
  );
  if (a.disclosures.length === 0) w.text('No disclosures are on record for this period.');
  for (const d of a.disclosures) {
    w.heading(`${localTime(d.disclosedAt, a.timeZone)}: ${d.recipient}`);
    w.text(`What: ${d.categories.join(', ')}`);
    w.text(`Why: ${d.purpose}`);
    w.text(`Consent: ${d.consentId ?? 'none on record (a disclosure the law allows without written consent)'}`);
    w.text(`Referral: ${d.referralId}`);
  }
  return w.save();
}
