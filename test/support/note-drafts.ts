/** What every progress note draft must look like to be pasted into the county's EHR (seed 004). */
import type { ProgressNoteDraft } from '../../domain/progress-note';

export function expectCountyFormat(
  n: ProgressNoteDraft,
  memberId = 'M-100234',
  programId = 'north-county-residential',
): void {
  expect(n.status).toBe('Draft');
  expect(n.serviceCode).toBe('Care Coordination');
  expect(n.memberId).toBe(memberId);
  expect(n.programId).toBe(programId);
  expect(n.authorId).toEqual(expect.any(String));
  expect(new Date(n.documentationStart).getTime()).toBeLessThanOrEqual(new Date(n.documentationEnd).getTime());
  expect(n.intervention).toMatch(/^DOCUMENTATION TIME: \d{1,2}:\d{2} [AP]M - \d{1,2}:\d{2} [AP]M\n\S/);
  expect(n.presentation).toBe('See intervention section below.');
  expect(n.response.length).toBeGreaterThan(0);
  expect(typeof n.referrals).toBe('string');
  expect(n.followUp.length).toBeGreaterThan(0);
}
