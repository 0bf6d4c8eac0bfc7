/** Runs `work` every `everyMs` until stopped; a failed round is reported and the next one tries again. */
export function repeatEvery(
  everyMs: number,
  work: () => Promise<unknown>,
  onError: (err: unknown) => void,
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return; // a slow round is not overlapped by the next
    busy = true;
    running = work()
      .catch(onError)
      .finally(() => (busy = false));
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
