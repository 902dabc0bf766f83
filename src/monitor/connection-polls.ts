/** One child to poll: `key` names it (its server id), `poll` asks it once and records the answer. */
export interface PollTarget {
  key: string;
  poll(): Promise<void>;
}

/**
 * Polls every wanted child on one fixed tick, each poll on its own: a child whose previous poll
 * has not ended yet (a slow child waits out the 2 s timeout) is skipped at this tick, so its polls
 * never overlap, nothing piles up, and the other children keep their pace. The tick itself does
 * no I/O, so it cannot overrun the interval.
 */
export class ConnectionPolls {
  private readonly inFlight = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly targets: () => PollTarget[],
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Starts a poll of every target that has none running. */
  tick(): void {
    for (const target of this.targets()) {
      if (this.inFlight.has(target.key)) continue;
      this.inFlight.add(target.key);
      void target
        .poll()
        .catch(() => undefined)
        .finally(() => this.inFlight.delete(target.key));
    }
  }
}
