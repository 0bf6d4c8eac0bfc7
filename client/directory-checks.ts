/**
 * Checks that the directory ids in a request name real entries that fit together, so a typo
 * is caught before anything starts rather than by a workflow stuck on an unknown provider.
 */
import type { Actor } from '../domain/events';
import { findCaseManager, findProgram, findProvider, type Directory } from '../domain/directory';
import type { TransferRequest } from '../domain/transfer';
import type { ClockRequest } from '../domain/clocks/requests';
import { InvalidInputError, type FieldProblem } from './service-errors';

export function transferDirectoryProblems(dir: Directory, req: TransferRequest): FieldProblem[] {
  return [
    ...programProblems(dir, req.sendingProgramId, req.caseManagerId, 'sendingProgramId'),
    ...providerProblems(dir, req.receivingProviderId, 'receivingProviderId'),
    ...planProblems(dir, req.managedCarePlanId),
  ];
}

/** A coordination clock's program and case manager, plan and providers (domain/clocks/requests.ts). */
export function clockDirectoryProblems(dir: Directory, req: ClockRequest): FieldProblem[] {
  return [
    ...programProblems(dir, req.programId, req.caseManagerId, 'programId'),
    ...planProblems(dir, req.managedCarePlanId),
    ...('providerId' in req ? providerProblems(dir, req.providerId, 'providerId') : []),
    ...('providerIds' in req ? req.providerIds.flatMap((id, i) => providerProblems(dir, id, `providerIds.${i}`)) : []),
  ];
}

/** The program exists and the case manager is on its staff. */
function programProblems(
  dir: Directory,
  programId: string,
  caseManagerId: string,
  programField: 'sendingProgramId' | 'programId',
): FieldProblem[] {
  const program = findProgram(dir, programId);
  const noun = programField === 'sendingProgramId' ? 'sending program' : 'program';
  if (!program) return [{ field: programField, message: `no ${noun} "${programId}" in the directory` }];
  if (!findCaseManager(dir, program.id, caseManagerId))
    return [{ field: 'caseManagerId', message: `"${caseManagerId}" is not a case manager of ${program.id}` }];
  return [];
}

function planProblems(dir: Directory, planId: string | undefined): FieldProblem[] {
  if (planId === undefined || dir.managedCarePlans.some((p) => p.id === planId)) return [];
  return [{ field: 'managedCarePlanId', message: `no managed care plan "${planId}" in the directory` }];
}

/** Actors the directory knows: a partner is a receiving provider, a case manager is on some program's staff. */
export function actorProblems(dir: Directory, actor: Actor): FieldProblem[] {
  if (actor.role === 'partner' && !findProvider(dir, actor.id)) {
    return [{ field: 'actor.id', message: `no receiving provider "${actor.id}" in the directory` }];
  }
  if (actor.role === 'case-manager' && !dir.programs.some((p) => findCaseManager(dir, p.id, actor.id))) {
    return [{ field: 'actor.id', message: `no case manager "${actor.id}" in the directory` }];
  }
  return [];
}

export function providerProblems(dir: Directory, providerId: string, field: string): FieldProblem[] {
  return findProvider(dir, providerId)
    ? []
    : [{ field, message: `no receiving provider "${providerId}" in the directory` }];
}

export function throwIfAny(problems: FieldProblem[]): void {
  if (problems.length > 0) throw new InvalidInputError(problems);
}
