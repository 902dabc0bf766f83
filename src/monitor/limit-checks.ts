import type { LimitSet } from '../registry/server-record.js';
import type { LimitName } from '../servers/limit-rules.js';
import type { ProcessSample } from './process-sample.js';

/** One limit compared with a reading. */
export interface LimitCheck {
  name: LimitName;
  /** The stored limit. */
  value: number;
  /** What was measured, in the limit's unit. */
  observed: number;
  over: boolean;
}

/**
 * Compares a reading with a child's limits. CPU and memory are enforced by cgroups, so "over"
 * means at `thresholdPercent` of the limit; watched limits (I/O bytes, connections) are over
 * when passed. Limits that are not set are not checked.
 */
export function checkLimits(limits: LimitSet, sample: ProcessSample, connections: number | null, thresholdPercent: number): LimitCheck[] {
  const share = thresholdPercent / 100;
  const checks: LimitCheck[] = [];
  if (limits.cpu_percent !== null) {
    checks.push({ name: 'cpu_percent', value: limits.cpu_percent, observed: sample.cpu_percent, over: sample.cpu_percent >= limits.cpu_percent * share });
  }
  if (limits.memory_bytes !== null || limits.memory_percent !== null) {
    // The cgroup limit is the lower of the two settings (rounded down to whole pages by the kernel).
    const over = sample.memory_limit > 0 && sample.memory_bytes >= sample.memory_limit * share;
    const bytesRule = limits.memory_bytes !== null && (limits.memory_percent === null || limits.memory_bytes <= sample.memory_limit * 1.001);
    if (bytesRule) checks.push({ name: 'memory_bytes', value: limits.memory_bytes!, observed: sample.memory_bytes, over });
    else {
      const percent = limits.memory_percent!;
      // Both of the host's memory: the limit and the reading's memory_percent.
      checks.push({ name: 'memory_percent', value: percent, observed: sample.memory_percent, over });
    }
  }
  if (limits.io_read_bytes !== null) {
    checks.push({ name: 'io_read_bytes', value: limits.io_read_bytes, observed: sample.io_read_bytes, over: sample.io_read_bytes > limits.io_read_bytes });
  }
  if (limits.io_write_bytes !== null) {
    checks.push({ name: 'io_write_bytes', value: limits.io_write_bytes, observed: sample.io_write_bytes, over: sample.io_write_bytes > limits.io_write_bytes });
  }
  if (limits.connections !== null && connections !== null) {
    checks.push({ name: 'connections', value: limits.connections, observed: connections, over: connections > limits.connections });
  }
  return checks;
}
