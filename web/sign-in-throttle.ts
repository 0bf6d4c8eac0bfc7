/**
 * Failed sign-ins per user name. After `maxFailures` in one window the name is refused for the
 * rest of it, whatever the password and from whichever address, so spreading guesses over many
 * addresses gains nothing. Unknown names are counted alike: the refusal says nothing about which
 * names exist. In memory, like the rate limiter (one web process; docs/web.md).
 */
export class SignInThrottle {
  private readonly failures = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly maxFailures = 10,
    readonly windowMs = 15 * 60_000,
  ) {}

  locked(name: string, now = Date.now()): boolean {
    const w = this.failures.get(name.toLowerCase());
    return w !== undefined && now - w.start < this.windowMs && w.count >= this.maxFailures;
  }

  failed(name: string, now = Date.now()): void {
    const key = name.toLowerCase();
    const w = this.failures.get(key);
    if (!w || now - w.start >= this.windowMs) {
      if (this.failures.size > 10_000) this.failures.clear(); // bounded memory under a flood
      this.failures.set(key, { start: now, count: 1 });
    } else w.count += 1;
  }

  succeeded(name: string): void {
    this.failures.delete(name.toLowerCase());
  }
}
