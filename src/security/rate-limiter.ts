/** At most `limit` events per key in any sliding window of `windowMs` (in memory). */
export class RateLimiter {
  private readonly events = new Map<string, number[]>();

  constructor(
    private readonly limit: () => number | null,
    private readonly windowMs = 60_000,
  ) {}

  /** Records an event for `key` and returns true, or returns false (recording nothing) when over the limit. */
  take(key: string, now = Date.now()): boolean {
    const limit = this.limit();
    if (limit === null) return true;
    const recent = (this.events.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (recent.length >= limit) {
      this.events.set(key, recent);
      return false;
    }
    recent.push(now);
    this.events.set(key, recent);
    return true;
  }
}
