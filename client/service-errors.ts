/**
 * The errors the transfer service throws for expected problems. Callers (CLI, web pages) map
 * them to exit codes or HTTP statuses and show their messages as they are: none carries a stack
 * worth showing, and none carries member information.
 */
import type { z } from 'zod';

export interface FieldProblem {
  /** Dotted path of the field, e.g. `member.phone`; `(input)` for the whole input. */
  field: string;
  message: string;
}

/** Input that failed validation or named something the directory does not know. */
export class InvalidInputError extends Error {
  override name = 'InvalidInputError';
  constructor(readonly problems: FieldProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('\n'));
  }

  /** Best with issues parsed under `reportInput: true`, so a missing field reads "required". */
  static fromZod(error: z.ZodError, prefix: string[] = []): InvalidInputError {
    const field = (path: PropertyKey[]) => [...prefix, ...path.map(String)].join('.') || '(input)';
    return new InvalidInputError(
      error.issues.flatMap((i) =>
        // zod reports unknown keys on the parent object; name each key instead, as a person would.
        i.code === 'unrecognized_keys'
          ? i.keys.map((k) => ({ field: field([...i.path, k]), message: 'not a known field' }))
          : [{ field: field(i.path), message: isMissing(i) ? 'required' : i.message }],
      ),
    );
  }
}

function isMissing(issue: z.core.$ZodIssue): boolean {
  return (
    (issue.code === 'invalid_type' || issue.code === 'invalid_value') && 'input' in issue && issue.input === undefined
  );
}

/** The workflow refused an event; `reason` is the workflow's own words. */
export class EventRejectedError extends Error {
  override name = 'EventRejectedError';
  constructor(
    readonly referralId: string,
    readonly eventType: string,
    readonly reason: string,
  ) {
    super(`${eventType} rejected for ${referralId}: ${reason}`);
  }
}

export class TransferNotFoundError extends Error {
  override name = 'TransferNotFoundError';
  constructor(
    readonly referralId: string,
    message = `no transfer ${referralId}`,
  ) {
    super(message);
  }
}

/**
 * The coordination clocks' errors are the transfers' with their own words: callers that map a
 * transfer error to an exit code or HTTP status map these the same way. `referralId` holds the clock id.
 */
export class ClockEventRejectedError extends EventRejectedError {
  override name = 'ClockEventRejectedError';
  get clockId(): string {
    return this.referralId;
  }
}

export class ClockNotFoundError extends TransferNotFoundError {
  override name = 'ClockNotFoundError';
  constructor(readonly clockId: string) {
    super(clockId, `no clock ${clockId}`);
  }
}

/** A clock with this id was already started (ids are never reused). */
export class ClockExistsError extends InvalidInputError {
  override name = 'ClockExistsError';
  constructor(readonly clockId: string) {
    super([{ field: 'clockId', message: `a clock ${clockId} already exists` }]);
  }
}

/** A transfer with this referral id was already started (ids are never reused). */
export class TransferExistsError extends InvalidInputError {
  override name = 'TransferExistsError';
  constructor(readonly referralId: string) {
    super([{ field: 'referralId', message: `a transfer ${referralId} already exists` }]);
  }
}

/** Temporal could not be reached; the message says where we tried. */
export class TemporalUnavailableError extends Error {
  override name = 'TemporalUnavailableError';
}
