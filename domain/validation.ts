import type { z } from 'zod';

/** One line per problem, each naming its field: what callers at every edge print. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`).join('; ');
}

/** Settings that only work together (credentials, a certificate and its key): all of them or none. */
export function allOrNone(values: Record<string, unknown>, keys: readonly string[], ctx: z.RefinementCtx): void {
  const given = keys.filter((k) => Boolean(values[k])).length;
  if (given !== 0 && given !== keys.length)
    ctx.addIssue({
      code: 'custom',
      path: [keys[keys.length - 1]!],
      message: `set ${keys.slice(0, -1).join(', ')} and ${keys[keys.length - 1]} together, or none`,
    });
}
