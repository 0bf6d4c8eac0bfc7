import type { z } from 'zod';
import { InvalidInputError } from './service-errors';

/** Parses input from outside with a zod schema; failures name each field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix: string[] = []): z.infer<S> {
  const result = schema.safeParse(input, { reportInput: true });
  if (!result.success) throw InvalidInputError.fromZod(result.error, prefix);
  return result.data;
}
