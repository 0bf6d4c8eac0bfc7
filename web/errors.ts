/**
 * How the service's errors reach people: one status and one message for each, the same for
 * pages and the API. Messages name fields and the workflow's reasons, never member details;
 * "not found" says nothing about whether other transfers exist.
 */
import type { FastifyReply } from 'fastify';
import {
  EventRejectedError,
  InvalidInputError,
  TemporalUnavailableError,
  TransferNotFoundError,
} from '../client/service-errors';

export interface WebProblem {
  status: number;
  message: string;
  /** Field path → message, for errors shown beside fields. */
  errors: Record<string, string>;
  /** For a rejected event: the workflow's own words, so the CLI can say them as they are. */
  reason?: string;
}

export function toProblem(err: unknown): WebProblem | null {
  if (err instanceof InvalidInputError) {
    const errors: Record<string, string> = {};
    for (const p of err.problems) errors[p.field] ??= p.message;
    return { status: 400, message: 'Please correct the fields marked.', errors };
  }
  if (err instanceof EventRejectedError)
    return { status: 409, message: `Not done: ${err.reason}.`, errors: {}, reason: err.reason };
  if (err instanceof TemporalUnavailableError)
    return { status: 503, message: 'Temporal cannot be reached; try again shortly.', errors: {} };
  if (err instanceof TransferNotFoundError) return NOT_FOUND;
  return null;
}

/** Expected problems become a status and message; anything else is a server error, handled by the app. */
export function expected(err: unknown): WebProblem {
  const problem = toProblem(err);
  if (!problem) throw err;
  return problem;
}

export const NOT_FOUND: WebProblem = { status: 404, message: 'Not found.', errors: {} };

/** Answers an API request with the problem an error stands for (status, message, fields); rethrows others. */
export function sendProblem(reply: FastifyReply, err: unknown): FastifyReply {
  const problem = toProblem(err);
  if (!problem) throw err;
  const problems = Object.entries(problem.errors).map(([field, message]) => ({ field, message }));
  return reply.code(problem.status).send({
    error: problem.message,
    ...(problems.length ? { problems } : {}),
    ...(problem.reason ? { reason: problem.reason } : {}),
  });
}
