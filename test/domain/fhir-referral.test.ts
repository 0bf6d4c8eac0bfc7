/**
 * The referral's Task as each caller reads it: a withdrawn transfer is cancelled for both, but only
 * staff read the reason staff gave (it may say something about the member); the partner's own
 * decline reason is the partner's to read back.
 */
import { task } from '../../domain/fhir-referral';
import { newTransferState, type TransferState } from '../../domain/state';
import { Member } from '../../domain/transfer';

function ended(changes: Partial<TransferState>): TransferState {
  const member = Member.parse({ memberId: 'M-100234', name: 'Jordan Sample' });
  return { ...newTransferState('R-7K3M9Q2XWD', member, 'bayside-outpatient', new Date()), ...changes };
}

test('staff read why a transfer was withdrawn; the partner reads that it was, and who the member is from the packet only', () => {
  const withdrawn = ended({ outcome: 'withdrawn', outcomeReason: 'member admitted to inpatient care' });
  const staff = task(withdrawn, 'Bayside', { kind: 'staff' });
  const partner = task(withdrawn, 'Bayside', { kind: 'partner' });
  expect(staff).toMatchObject({ status: 'cancelled', statusReason: { text: 'member admitted to inpatient care' } });
  expect(partner.status).toBe('cancelled');
  expect(JSON.stringify(partner)).not.toMatch(/inpatient|Jordan|M-100234/);
});

test("a partner's decline reads back with its reason", () => {
  const declined = ended({
    outcome: 'partner-declined',
    outcomeReason: 'no other provider',
    partnerDecline: { at: new Date().toISOString(), providerId: 'bayside-outpatient', reason: 'no openings' },
  });
  expect(task(declined, 'Bayside', { kind: 'partner' })).toMatchObject({
    status: 'rejected',
    statusReason: { text: 'no openings' },
  });
});
