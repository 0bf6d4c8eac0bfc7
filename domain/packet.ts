import { z } from 'zod';

/** The EHR elements of a referral packet (seed 003, I.2.a.ii). */
export const PACKET_ELEMENTS = [
  'member-information',
  'transition-of-care-tool',
  'assessments', // ANSA, CANS, ASAM
  'diagnosis',
  'risk-assessments',
  'recent-service-notes',
] as const;
export const PacketElement = z.enum(PACKET_ELEMENTS);
/** What a consent may cover: the packet's elements, and the discharge summary sent at closing (seed 003 I.2.a.viii). */
export const DisclosureCategory = z.enum([...PACKET_ELEMENTS, 'discharge-summary']);
export type DisclosureCategory = z.infer<typeof DisclosureCategory>;
export type PacketElement = z.infer<typeof PacketElement>;

/** 42 CFR 2.32: the notice that must accompany each disclosure of Part 2 records. */
export const PART2_REDISCLOSURE_NOTICE =
  'This record which has been disclosed to you is protected by federal confidentiality rules (42 CFR part 2). ' +
  'These rules prohibit you from using or disclosing this record, or testimony that describes the information ' +
  'contained in this record, in any civil, criminal, administrative, or legislative proceedings by any Federal, ' +
  'State, or local authority, against the patient, unless authorized by the consent of the patient, except as ' +
  'provided at 42 CFR 2.12(c)(5) or as authorized by a court in accordance with 42 CFR 2.64 or 2.65. In addition, ' +
  'the Federal rules prohibit you from making any other use or disclosure of this record unless at least one of ' +
  'the following applies: (1) Further use or disclosure is expressly permitted by the written consent of the ' +
  'individual whose information is being disclosed in this record or as otherwise permitted by 42 CFR part 2. ' +
  '(2) You are a covered entity or business associate and have received the record for treatment, payment, or ' +
  'health care operations, or (3) You have received the record from a covered entity or business associate as ' +
  'permitted by 45 CFR part 164, subparts A and E. A general authorization for the release of medical or other ' +
  'information is NOT sufficient to meet the required elements of written consent to further use or redisclose ' +
  'the record (see 42 CFR 2.31).';
