import type { Logger } from '../logging/logger.js';
import { RuntimeError, type Runtime } from '../runtime/runtime.js';
import type { ChildStats, Subscription } from '../runtime/child-stats.js';
import { backoffMs } from './backoff.js';
import { toSample, type ProcessSample } from './process-sample.js';
import { RingBuffer } from './ring-buffer.js';
import { SampleHistory } from './sample-history.js';

export interface ChildWatchSettings {
  historyCapacity: number;
  historyIntervalMs: number;
  maxBackoffMs: number;
  /** The engine host's memory, for memory_percent (0: unknown, the reading's limit stands in). */
  hostMemoryBytes?: number;
}

/** Readings arrive about once a second; a point is due when its interval has nearly passed. */
const INTERVAL_SLACK_MS = 200;

/**
 * One child's stats: a stats stream while its container runs (re-attached with a bounded
 * backoff when the stream fails), the latest reading, and the bounded history.
 */
export class ChildWatch {
  readonly history: SampleHistory;
  /** The polled connection counts (epoch ms, sessions), as many as history points. */
  readonly connectionHistory: RingBuffer<{ time: number; value: number }>;
  latest: ProcessSample | null = null;
  /** Open MCP sessions as the child last reported them (polled for a connections limit or scaling rule). */
  connections: number | null = null;
  /** The engine's restart count of the child when last inspected. */
  restartCount = 0;
  containerId: string | null = null;
  private subscription: Subscription | null = null;
  private retry: NodeJS.Timeout | null = null;
  private attempts = 0;
  private lastPointAt = -Infinity;
  /** Bumped by every attach/detach: callbacks of an older stream see a stale number and do nothing. */
  private generation = 0;

  constructor(
    readonly serverId: string,
    private readonly runtime: Runtime,
    private readonly settings: ChildWatchSettings,
    private readonly onSample: (watch: ChildWatch, sample: ProcessSample) => void,
    private readonly log: Logger,
  ) {
    this.history = new SampleHistory(settings.historyCapacity);
    this.connectionHistory = new RingBuffer(settings.historyCapacity);
  }

  /** True while a stream is open or being (re-)opened. */
  get following(): boolean {
    return this.containerId !== null;
  }

  /** Follows the container's stats; a no-op when already following it. */
  attach(containerId: string): void {
    if (this.containerId === containerId) return;
    this.detach();
    this.containerId = containerId;
    void this.connect(this.generation);
  }

  /** Records a poll of the child's open sessions (null: it did not answer). */
  noteConnections(count: number | null, now = Date.now()): void {
    this.connections = count;
    if (count !== null) this.connectionHistory.push({ time: now, value: count });
  }

  /** Stops following (the container stopped or is gone); the history stays. */
  detach(): void {
    this.generation++;
    this.subscription?.close();
    this.subscription = null;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.containerId = null;
    this.latest = null;
    this.connections = null;
    this.attempts = 0;
  }

  private async connect(generation: number) {
    const id = this.containerId!;
    try {
      const subscription = await this.runtime.children.streamStats(
        id,
        (stats) => generation === this.generation && this.take(stats),
        (err) => this.lost(generation, err),
      );
      if (generation !== this.generation) subscription.close();
      else if (!this.retry) this.subscription = subscription;
    } catch (err) {
      this.lost(generation, err as Error);
    }
  }

  /** The stream ended while wanted: try again after a backoff, unless the container no longer runs. */
  private lost(generation: number, err: Error | null) {
    if (generation !== this.generation) return;
    this.subscription = null;
    // Stats that cannot be read (a task on a node whose engine the forge cannot reach) stay so: no
    // readings rather than zeros; get_server_process_stats says why. The next start event tries again.
    if (err instanceof RuntimeError && err.reason === 'unavailable') {
      this.log.info({ server_id: this.serverId, reason: err.message }, 'stats unavailable');
      return;
    }
    const id = this.containerId!;
    const wait = backoffMs(this.attempts++, this.settings.maxBackoffMs);
    this.log.debug({ server_id: this.serverId, err: err?.message, retry_ms: wait }, 'stats stream lost');
    this.retry = setTimeout(async () => {
      this.retry = null;
      const info = await this.runtime.children.inspect(id).catch(() => undefined);
      if (generation !== this.generation) return;
      // Gone or stopped: the start event brings the stream back. Unknown (engine away): keep trying.
      if (info === null || (info && !info.running)) return this.detach();
      void this.connect(generation);
    }, wait);
    this.retry.unref();
  }

  private take(stats: ChildStats) {
    this.attempts = 0;
    const sample = toSample(stats, this.settings.hostMemoryBytes ?? 0);
    this.latest = sample;
    if (sample.time - this.lastPointAt >= this.settings.historyIntervalMs - INTERVAL_SLACK_MS) {
      this.history.push(sample);
      this.lastPointAt = sample.time;
    }
    this.onSample(this, sample);
  }
}
