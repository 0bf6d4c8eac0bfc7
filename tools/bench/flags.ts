/** The bench's command-line flags, validated with zod; an error names the flag. */
import { z } from 'zod';

const DEFAULT_ROUNDS = 5;

export const BenchFlags = z
  .object({
    transfers: z.coerce.number().int().min(1).max(10_000).default(1_000),
    /** Lifecycles driven at once: the simulated people are a closed loop, like staff at desks. */
    concurrency: z.coerce.number().int().min(1).max(2_000).default(50),
    /** Transfers left open and waiting, to measure worker memory; 0 skips that phase. */
    open: z.coerce.number().int().min(0).max(10_000).default(0),
    /**
     * Transfers and baseline alternate in this many rounds (T B T B ...), each round a share of
     * --transfers; default 5, 1 is the old order (all transfers, then all baselines). On a
     * machine whose speed drifts over minutes (this one: the same replays took 108 to 156 ms of
     * CPU each within an hour), one transfer phase then one baseline phase puts the drift into
     * the ratio; alternating spreads it over both.
     */
    rounds: z.coerce.number().int().min(1).max(100).optional(),
    /**
     * Where it runs: `dev`, the embedded default's dev server on SQLite; `cluster`, the Temporal
     * server on PostgreSQL as `npm run cluster` runs it.
     */
    stack: z.enum(['dev', 'cluster']).default('dev'),
    /** Worker processes on the task queue, for the transfers and (as many) for the baseline. */
    workers: z.coerce.number().int().min(1).max(8).default(1),
    /** How far ahead partners book the appointment (the warm handoff waits for it in real time). */
    'appointment-lead-ms': z.coerce.number().int().min(1_000).max(60_000).default(4_000),
  })
  .strict()
  .refine((f) => f.rounds === undefined || f.rounds <= f.transfers, {
    message: 'at most one round per transfer',
    path: ['rounds'],
  })
  // Five rounds unless told otherwise (fewer when there are fewer transfers than that).
  .transform((f) => ({ ...f, rounds: f.rounds ?? Math.min(DEFAULT_ROUNDS, f.transfers) }));
export type BenchFlags = z.infer<typeof BenchFlags>;

/** `--name value` or `--name=value` pairs into an object, then the schema. */
export function parseFlags<S extends z.ZodType>(schema: S, argv: string[]): z.infer<S> {
  const raw: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new FlagError(`unexpected argument ${arg}`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) throw new FlagError(`--${name} needs a value`);
    raw[name] = value;
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    throw new FlagError(
      result.error.issues
        .map((issue) => (issue.path.length ? `--${issue.path.join('.')}: ${issue.message}` : issue.message))
        .join('\n'),
    );
  }
  return result.data;
}

export class FlagError extends Error {
  override name = 'FlagError';
}
