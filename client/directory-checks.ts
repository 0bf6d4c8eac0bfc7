/**
 * Checks that the directory ids in a request name real entries that fit together, so a typo
 * is caught before anything starts rather than by a workflow stuck on an unknown provider.
 */
import type { Actor } from '../domain/events';
import { findCaseManager, findProgram, findProvider, type Directory } from '../domain/directory';
import type { TransferRequest } from '../domain/transfer';
import { InvalidInputError, type FieldProblem } from './service-errors';

export function transferDirectoryProblems(dir: Directory, req: TransferRequest): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const program = findProgram(dir, req.sendingProgramId);
  if (!program) {
    problems.push({ field: 'sendingProgramId', message: `no sending program "${req.sendingProgramId}" in the directory` });
  } else if (!findCaseManager(dir, program.id, req.caseManagerId)) {
    problems.push({ field: 'caseManagerId', message: `"${req.caseManagerId}" is not a case manager of ${program.id}` });
  }
  if (!findProvider(dir, req.receivingProviderId)) {
    problems.push({ field: 'receivingProviderId', message: `no receiving provider "${req.receivingProviderId}" in the directory` });
  }
  if (req.managedCarePlanId !== undefined && !dir.managedCarePlans.some((p) => p.id === req.managedCarePlanId)) {
    problems.push({ field: 'managedCarePlanId', message: `no managed care plan "${req.managedCarePlanId}" in the directory` });
  }
  return problems;
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
  return findProvider(dir, providerId) ? [] : [{ field, message: `no receiving provider "${providerId}" in the directory` }];
}

export function throwIfAny(problems: FieldProblem[]): void {
  if (problems.length > 0) throw new InvalidInputError(problems);
}
