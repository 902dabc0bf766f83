/**
 * Restarts of one child within a sliding window: `threshold` or more restarts within `windowMs`
 * make it crash-looping. Only restarts inside the window are kept, so memory stays bounded.
 */
export class CrashLoopWindow {
  private restarts: number[] = [];

  constructor(
    private readonly threshold: number,
    private readonly windowMs: number,
  ) {}

  /** Records `times` restarts seen at `now`. */
  record(now: number, times = 1): void {
    for (let i = 0; i < times && i < this.threshold; i++) this.restarts.push(now);
    this.prune(now);
  }

  count(now: number): number {
    this.prune(now);
    return this.restarts.length;
  }

  looping(now: number): boolean {
    return this.count(now) >= this.threshold;
  }

  private prune(now: number) {
    const cutoff = now - this.windowMs;
    if (this.restarts.length && this.restarts[0]! <= cutoff) this.restarts = this.restarts.filter((t) => t > cutoff);
    // Never more than needed to decide: a long loop cannot grow this list.
    if (this.restarts.length > this.threshold * 4) this.restarts = this.restarts.slice(-this.threshold * 4);
  }
}
