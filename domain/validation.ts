import type { z } from 'zod';

/** One line per problem, each naming its field: what callers at every edge print. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`).join('; ');
}
