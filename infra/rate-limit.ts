/**
 * A fixed-window request limit per client address and bucket, in memory: enough for one web
 * process; behind several, put the limit in the proxy in front (docs/web.md).
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limits: Record<string, number>,
    private readonly windowMs = 60_000,
  ) {}

  /** Counts one request; false when the client is over the bucket's limit. */
  allow(bucket: string, client: string, now = Date.now()): boolean {
    const limit = this.limits[bucket];
    if (limit === undefined) return true;
    const key = `${bucket}:${client}`;
    const w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      if (this.windows.size > 10_000) this.windows.clear(); // bounded memory under a flood
      this.windows.set(key, { start: now, count: 1 });
      return true;
    }
    w.count += 1;
    return w.count <= limit;
  }
}
