/**
 * Runs `task` one at a time: a request while it runs makes it run once more afterwards (any
 * number of requests meanwhile count as one), so the last run always sees the latest state.
 */
export class CoalescingRunner {
  private running: Promise<void> | null = null;
  private again = false;

  constructor(
    private readonly task: () => Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  request(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.task();
        } while (this.again);
      } catch (err) {
        this.onError(err);
      } finally {
        this.running = null;
      }
    })();
  }

  /** Resolves once no run is under way or asked for. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }
}
