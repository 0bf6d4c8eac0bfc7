/**
 * Turns an error into what a person at a terminal reads and the exit code a script checks.
 * Expected errors print their message only; a stack is for bugs, and only on request.
 */
import { CommanderError } from 'commander';
import { ConfigError } from '../../infra/config';
import { ApiRefusedError, ApiUnavailableError } from '../api-client';
import {
  EventRejectedError,
  InvalidInputError,
  TemporalUnavailableError,
  TransferNotFoundError,
} from '../service-errors';

/** A command that ran but could not do what was asked; its message says why and what to do. */
export class NotDoneError extends Error {
  override name = 'NotDoneError';
}

export const EXIT = { ok: 0, failure: 1, badInput: 2, rejected: 3, notFound: 4, refused: 5 } as const;

/** Prints the error to stderr; returns the exit code. `hints` map fields to the flags that set them. */
export function reportError(err: unknown, hints: ReadonlyMap<string, string> = new Map()): number {
  const print = (line: string) => process.stderr.write(`${line}\n`);
  if (err instanceof InvalidInputError) {
    for (const p of err.problems) print(`error: ${p.field}${hintFor(p.field, hints)}: ${p.message}`);
    return EXIT.badInput;
  }
  if (err instanceof EventRejectedError) {
    print(`rejected: ${err.eventType} for ${err.referralId}: ${err.reason}`);
    return EXIT.rejected;
  }
  if (err instanceof TransferNotFoundError) {
    print(`error: ${err.message}`);
    return EXIT.notFound;
  }
  if (err instanceof ApiRefusedError) {
    print(`error: ${err.message}`);
    return EXIT.refused;
  }
  if (err instanceof CommanderError) {
    // Commander has already printed its message (unknown option, missing argument...).
    return err.exitCode === 0 ? EXIT.ok : EXIT.badInput;
  }
  if (
    err instanceof ConfigError ||
    err instanceof TemporalUnavailableError ||
    err instanceof ApiUnavailableError ||
    err instanceof NotDoneError
  ) {
    print(`error: ${err.message}`);
    return EXIT.failure;
  }
  const showStack = ['debug', 'trace'].includes(process.env.LOG_LEVEL ?? '');
  print(`error: ${err instanceof Error ? err.message : String(err)}${causeOf(err)}`);
  if (showStack && err instanceof Error && err.stack) print(err.stack);
  else print('(set LOG_LEVEL=debug to see the stack trace)');
  return EXIT.failure;
}

function hintFor(field: string, hints: ReadonlyMap<string, string>): string {
  const flag = hints.get(field);
  return flag ? ` (${flag})` : '';
}

function causeOf(err: unknown): string {
  const cause = err instanceof Error ? err.cause : undefined;
  return cause instanceof Error ? ` (${cause.message})` : '';
}
