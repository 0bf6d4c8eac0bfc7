import { z } from 'zod';

/**
 * A policy duration: business days (counted on the county calendar) or clock hours.
 * Hours may be fractional so a county can say "half an hour".
 */
export const Duration = z.union([
  z.object({ businessDays: z.number().int().min(0).max(365) }).strict(),
  z
    .object({
      hours: z
        .number()
        .positive()
        .max(24 * 366),
    })
    .strict(),
]);
export type Duration = z.infer<typeof Duration>;
