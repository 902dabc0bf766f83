import type { ProcessSample } from './process-sample.js';

/** The history points the API returns: one per `history_interval_s`. */
export interface HistoryPoint {
  /** Unix seconds. */
  timestamp: number;
  cpu_percent: number;
  memory_bytes: number;
  /** Percent of the host's memory. */
  memory_percent: number;
  /** The container's memory limit then (the host's memory when it had none). */
  memory_limit: number;
  io_read_bytes: number;
  io_write_bytes: number;
}

const COLUMNS = ['timestamp', 'cpu_percent', 'memory_bytes', 'memory_percent', 'memory_limit', 'io_read_bytes', 'io_write_bytes'] as const;

/**
 * A child's history in one preallocated Float64Array, oldest point overwritten first: its memory
 * is fixed when the child is first seen (capacity × 56 bytes) and never grows, however long it runs.
 */
export class SampleHistory {
  private readonly data: Float64Array;
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`history capacity must be a positive integer, got ${capacity}`);
    this.data = new Float64Array(capacity * COLUMNS.length);
  }

  get size(): number {
    return this.count;
  }

  push(sample: ProcessSample): void {
    const slot = (this.start + this.count) % this.capacity;
    const values = [sample.time / 1000, sample.cpu_percent, sample.memory_bytes, sample.memory_percent, sample.memory_limit, sample.io_read_bytes, sample.io_write_bytes];
    this.data.set(values, slot * COLUMNS.length);
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** The newest `n` points, oldest first. */
  last(n: number): HistoryPoint[] {
    const take = Math.max(0, Math.min(n, this.count));
    const out: HistoryPoint[] = [];
    for (let i = this.count - take; i < this.count; i++) {
      const at = ((this.start + i) % this.capacity) * COLUMNS.length;
      const point = {} as Record<(typeof COLUMNS)[number], number>;
      COLUMNS.forEach((column, c) => (point[column] = this.data[at + c]!));
      point.timestamp = Math.round(point.timestamp * 1000) / 1000;
      out.push(point);
    }
    return out;
  }
}
