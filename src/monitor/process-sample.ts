import type { ChildStats } from '../runtime/child-stats.js';

/** One reading of a child, in the units the API reports. */
export interface ProcessSample {
  /** Epoch milliseconds of the engine's reading. */
  time: number;
  /** Percent of one core (200 = two cores busy), as `docker stats` shows it. */
  cpu_percent: number;
  /** Memory in use without inactive page cache, as `docker stats` shows it. */
  memory_bytes: number;
  memory_rss: number;
  /** The cgroup limit, or the host's memory when there is none. */
  memory_limit: number;
  /**
   * `memory_bytes` as a percent of the host's memory: the unit of the memory_percent limit and of
   * the host's own memory_percent, so the figures compare directly. Not the share of `memory_limit`.
   */
  memory_percent: number;
  io_read_bytes: number;
  io_write_bytes: number;
  network_rx_bytes: number;
  network_tx_bytes: number;
  pids: number;
}

/**
 * CPU percent the way the docker CLI computes it: the container's share of the host's CPU time
 * between two readings, times the online CPUs. 0 without a previous reading.
 */
export function cpuPercent(cpu: ChildStats['cpu']): number {
  const cpuDelta = cpu.totalNs - cpu.previousTotalNs;
  const systemDelta = cpu.systemNs - cpu.previousSystemNs;
  if (cpu.previousSystemNs === 0 || cpuDelta <= 0 || systemDelta <= 0) return 0;
  return (cpuDelta / systemDelta) * cpu.onlineCpus * 100;
}

/** Memory in use as the docker CLI reports it: usage minus inactive file cache. */
export function memoryInUse(memory: ChildStats['memory']): number {
  return memory.inactiveFile < memory.usage ? memory.usage - memory.inactiveFile : memory.usage;
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * A ProcessSample from an engine reading. `hostMemoryBytes` is the engine host's memory; when it
 * is unknown (0), the reading's limit stands in, which is the host's memory for an unlimited child.
 */
export function toSample(stats: ChildStats, hostMemoryBytes: number): ProcessSample {
  const used = memoryInUse(stats.memory);
  const host = hostMemoryBytes > 0 ? hostMemoryBytes : stats.memory.limit;
  return {
    time: stats.read.getTime(),
    cpu_percent: round(cpuPercent(stats.cpu)),
    memory_bytes: used,
    memory_rss: stats.memory.rss || used,
    memory_limit: stats.memory.limit,
    memory_percent: host > 0 ? round((used / host) * 100, 3) : 0,
    io_read_bytes: stats.blockIo.readBytes,
    io_write_bytes: stats.blockIo.writeBytes,
    network_rx_bytes: stats.network.rxBytes,
    network_tx_bytes: stats.network.txBytes,
    pids: stats.pids,
  };
}
