/**
 * Wall-clock milliseconds per phase of one operation (create_server: register, render, build,
 * create, start, ready), logged at debug level so a profile can name the biggest cost.
 */
export class PhaseTimer {
  readonly ms: Record<string, number> = {};
  private last: number;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.last = now();
  }

  /** Ends the phase under way as `name` (repeated names add up) and starts the next one. */
  lap(name: string): void {
    const at = this.now();
    this.ms[name] = Math.round(((this.ms[name] ?? 0) + at - this.last) * 10) / 10;
    this.last = at;
  }
}
