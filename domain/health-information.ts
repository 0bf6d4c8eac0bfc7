/**
 * The one list of what counts as health information in a transfer's input and the directory.
 * None of these may reach a member (DESIGN.md: never the program type, diagnosis, substance use,
 * level of care or provider specialty). Tests render every member template and scan for them.
 */
import type { Directory } from './directory';
import type { TransitionInput } from './transfer';

/** Fields of the transfer's input that are health information. */
export const HEALTH_INFORMATION_FIELDS = [
  'fromLevelOfCare',
  'toLevelOfCare',
  'partTwo',
  'sequestered',
  'reason',
  'receivingProviderId',
  'sendingProgramId',
] as const satisfies readonly (keyof TransitionInput)[];

/** Directory names that reveal a program type or specialty (members get `publicName` instead). */
function healthInformationInDirectory(dir: Directory): string[] {
  return [...dir.programs.map((p) => p.name), ...dir.providers.map((p) => p.name)];
}

/** Words a member message must never contain, whatever the input: program types and levels of care. */
const HEALTH_WORDS = [
  'ASAM',
  'residential',
  'outpatient',
  'substance',
  'SUD',
  'detox',
  'diagnosis',
  'treatment',
  'mental health',
  'recovery',
  'tratamiento',
  'diagnóstico',
  'sustancias',
  'salud mental',
];

/** Every value in a transfer that a member message must not contain, for scanning rendered text. */
export function healthInformationValues(input: TransitionInput, dir: Directory): string[] {
  const fields = HEALTH_INFORMATION_FIELDS.map((f) => input[f]).filter((v): v is string => typeof v === 'string');
  // A phone may be shared or reassigned: identifiers of the member stay out of texts and emails too.
  const identifiers = [
    input.member.memberId,
    input.member.planMemberId,
    input.member.name,
    input.member.dateOfBirth,
  ].filter((v): v is string => Boolean(v));
  return [...fields, ...identifiers, ...healthInformationInDirectory(dir), ...HEALTH_WORDS];
}
