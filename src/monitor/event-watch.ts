import type { Logger } from '../logging/logger.js';
import type { Runtime } from '../runtime/runtime.js';
import type { ChildEvent, Subscription } from '../runtime/child-stats.js';
import { backoffMs } from './backoff.js';

const SEEN_MAX = 512;

/**
 * Follows the container events of this forge's children. After a failure (daemon restart,
 * socket error) it re-attaches with a bounded backoff from the last event's time, so the
 * engine replays what was missed; replayed events already handled are dropped by their key.
 */
export class EventWatch {
  private subscription: Subscription | null = null;
  private retry: NodeJS.Timeout | null = null;
  private attempts = 0;
  private since: Date | undefined;
  private readonly seen = new Set<string>();
  private stopped = false;

  constructor(
    private readonly runtime: Runtime,
    private readonly labelFilters: string[],
    private readonly handlers: { onEvent(event: ChildEvent): void; onReattach(): void },
    private readonly maxBackoffMs: number,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.since = new Date();
    await this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.subscription?.close();
    this.subscription = null;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
  }

  private async connect() {
    try {
      const subscription = await this.runtime.events(this.labelFilters, (e) => this.take(e), (err) => this.lost(err), this.since);
      if (this.stopped) return subscription.close();
      this.subscription = subscription;
      if (this.attempts > 0) {
        this.log.info({ attempts: this.attempts }, 'events stream re-attached');
        this.attempts = 0;
        this.handlers.onReattach();
      }
    } catch (err) {
      this.lost(err as Error);
    }
  }

  private lost(err: Error | null) {
    this.subscription = null;
    if (this.stopped) return;
    const wait = backoffMs(this.attempts++, this.maxBackoffMs);
    this.log.warn({ err: err?.message ?? 'stream ended', retry_ms: wait }, 'events stream lost; re-attaching');
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.connect();
    }, wait);
    this.retry.unref();
  }

  private take(event: ChildEvent) {
    if (this.seen.has(event.key)) return;
    this.seen.add(event.key);
    if (this.seen.size > SEEN_MAX) this.seen.delete(this.seen.values().next().value!);
    this.since = event.time;
    this.handlers.onEvent(event);
  }
}
