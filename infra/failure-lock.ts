/**
 * Failed attempts per key (a user name, an address). After `maxFailures` in one window the key is
 * refused for the rest of it, even with the right secret, so spreading guesses over many
 * addresses (or many names) gains nothing. Keys that match nothing are counted alike, so a
 * refusal says nothing about which exist. In memory, like the rate limiter (one process per
 * service; docs/web.md).
 */
export class FailureLock {
  private readonly failures = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly maxFailures = 10,
    readonly windowMs = 15 * 60_000,
  ) {}

  locked(key: string, now = Date.now()): boolean {
    const w = this.failures.get(key.toLowerCase());
    return w !== undefined && now - w.start < this.windowMs && w.count >= this.maxFailures;
  }

  failed(key: string, now = Date.now()): void {
    const k = key.toLowerCase();
    const w = this.failures.get(k);
    if (!w || now - w.start >= this.windowMs) {
      if (this.failures.size > 10_000) this.failures.clear(); // bounded memory under a flood
      this.failures.set(k, { start: now, count: 1 });
    } else w.count += 1;
  }

  succeeded(key: string): void {
    this.failures.delete(key.toLowerCase());
  }

  /** What a locked-out caller is told. */
  get message(): string {
    return `Too many failed attempts; try again in ${this.windowMs / 60_000} minutes.`;
  }
}
