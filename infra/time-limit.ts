/** A bound on how long to wait for a promise; the work itself is not stopped. */
class TimedOut extends Error {
  override name = 'TimedOut';
}

/** `work`'s outcome, or a `TimedOut` rejection once `ms` pass first. */
export async function withinMs<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimedOut(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
