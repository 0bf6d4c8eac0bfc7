/** Running many lifecycles at once, in order, and splitting them into rounds: shared by the bench and the drills. */

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs `task` for 0..n-1 with at most `limit` at once; collects the results in order. */
export async function pool<T>(n: number, limit: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(n);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < n; i = next++) results[i] = await task(i);
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, lane));
  return results;
}

/** `total` split into `rounds` shares as even as whole lifecycles allow (the bench's --rounds). */
export function roundSizes(total: number, rounds: number): number[] {
  return Array.from(
    { length: rounds },
    (_, i) => Math.floor((total * (i + 1)) / rounds) - Math.floor((total * i) / rounds),
  );
}
