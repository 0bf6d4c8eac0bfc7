import { consentReasons, decideDisclosure, type ConsentOnRecord, type RecipientFacts } from '../../domain/consent';
import { consentFor } from '../support/transfer-harness';

const inPlanShared: RecipientFacts = {
  providerId: 'bayside-outpatient',
  inMentalHealthPlan: true,
  sharedEhr: true,
  classes: ['county-sud-outpatient'],
};
const outside: RecipientFacts = {
  providerId: 'harbor-mat-clinic',
  inMentalHealthPlan: false,
  sharedEhr: false,
  classes: ['narcotic-treatment-program'],
};
const now = new Date('2026-12-01T12:00:00Z');
const plain = { partTwo: false, sequestered: false };

test('programs inside the plan and the shared EHR coordinate without consent; Part 2, outside or sequestered need one', () => {
  expect(consentReasons(plain, inPlanShared)).toEqual([]);
  expect(consentReasons({ partTwo: true, sequestered: false }, inPlanShared)).toHaveLength(1);
  expect(consentReasons({ partTwo: false, sequestered: true }, inPlanShared)).toHaveLength(1);
  expect(consentReasons(plain, { ...inPlanShared, sharedEhr: false })).toEqual(['recipient is outside the shared EHR']);
  expect(consentReasons(plain, outside)).toHaveLength(2);
});

test('the gate needs a consent naming the recipient or its class, signed, unexpired and not revoked', () => {
  const elements = ['member-information', 'diagnosis'] as const;
  const decide = (consents: ConsentOnRecord[], r = outside) => decideDisclosure(plain, r, consents, [...elements], now);
  expect(decide([])).toEqual({ allowed: false, reason: expect.stringMatching(/no valid written consent/) });
  expect(decide([consentFor([{ providerId: 'bayside-outpatient' }])]).allowed).toBe(false);
  expect(decide([consentFor([{ providerClass: 'narcotic-treatment-program' }])]).allowed).toBe(true);
  expect(
    decide([consentFor([{ providerId: 'harbor-mat-clinic' }], { expiration: { date: '2026-11-30T00:00:00Z' } })])
      .allowed,
  ).toBe(false);
  expect(
    decide([consentFor([{ providerId: 'harbor-mat-clinic' }], { signedAt: '2026-12-02T00:00:00Z' })]).allowed,
  ).toBe(false);
  expect(
    decide([{ ...consentFor([{ providerId: 'harbor-mat-clinic' }]), revokedAt: '2026-11-30T00:00:00Z' }]).allowed,
  ).toBe(false);
});

test('the packet holds only the categories the consent covers', () => {
  const consent = consentFor([{ providerId: 'harbor-mat-clinic' }], {
    categories: ['member-information', 'assessments'],
  });
  expect(
    decideDisclosure(plain, outside, [consent], ['member-information', 'diagnosis', 'assessments'], now),
  ).toMatchObject({ allowed: true, elements: ['member-information', 'assessments'] });
  expect(decideDisclosure(plain, outside, [consent], ['diagnosis'], now)).toMatchObject({
    allowed: false,
    reason: expect.stringMatching(/covers none/),
  });
  expect(decideDisclosure(plain, inPlanShared, [], ['diagnosis'], now)).toEqual({
    allowed: true,
    elements: ['diagnosis'],
  });
});
