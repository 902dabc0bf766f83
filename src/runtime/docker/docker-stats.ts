import type { ChildAction, ChildEvent, ChildStats } from '../child-stats.js';

type Raw = Record<string, any>;

const sumBy = (entries: Raw[], op: string) =>
  entries.filter((e) => String(e.op).toLowerCase() === op).reduce((total, e) => total + (Number(e.value) || 0), 0);

/**
 * A stats object of the Engine API (cgroup v1 or v2) as ChildStats; null for the empty
 * readings the engine sends while a container is not running.
 */
export function toContainerStats(raw: Raw): ChildStats | null {
  if (!raw || typeof raw.read !== 'string' || raw.read.startsWith('0001-') || !raw.cpu_stats?.cpu_usage) return null;
  const cpu = raw.cpu_stats;
  const pre = raw.precpu_stats ?? {};
  const mem = raw.memory_stats ?? {};
  const detail: Raw = mem.stats ?? {};
  const io: Raw[] = raw.blkio_stats?.io_service_bytes_recursive ?? [];
  const networks: Raw[] = Object.values(raw.networks ?? {});
  return {
    read: new Date(raw.read),
    cpu: {
      totalNs: Number(cpu.cpu_usage.total_usage) || 0,
      previousTotalNs: Number(pre.cpu_usage?.total_usage) || 0,
      systemNs: Number(cpu.system_cpu_usage) || 0,
      previousSystemNs: Number(pre.system_cpu_usage) || 0,
      onlineCpus: Number(cpu.online_cpus) || cpu.cpu_usage.percpu_usage?.length || 1,
    },
    memory: {
      usage: Number(mem.usage) || 0,
      // cgroup v1 names it total_inactive_file, v2 inactive_file (as the docker CLI reads them).
      inactiveFile: Number(detail.total_inactive_file ?? detail.inactive_file) || 0,
      rss: Number(detail.total_rss ?? detail.rss ?? detail.anon) || 0,
      limit: Number(mem.limit) || 0,
    },
    blockIo: { readBytes: sumBy(io, 'read'), writeBytes: sumBy(io, 'write') },
    network: {
      rxBytes: networks.reduce((total, n) => total + (Number(n.rx_bytes) || 0), 0),
      txBytes: networks.reduce((total, n) => total + (Number(n.tx_bytes) || 0), 0),
    },
    pids: Number(raw.pids_stats?.current) || 0,
  };
}

export const EVENT_ACTIONS: ChildAction[] = ['start', 'die', 'oom', 'kill', 'stop', 'restart', 'destroy'];

/** A container event of the Engine API as ChildEvent; null for anything else. */
export function toContainerEvent(raw: Raw): ChildEvent | null {
  const action = String(raw?.Action ?? raw?.status ?? '') as ChildAction;
  if ((raw?.Type ?? 'container') !== 'container' || !EVENT_ACTIONS.includes(action)) return null;
  const attributes: Record<string, string> = raw.Actor?.Attributes ?? {};
  const { exitCode, name: _name, image: _image, signal: _signal, ...labels } = attributes;
  const nanos = raw.timeNano ? BigInt(raw.timeNano) : BigInt(raw.time ?? 0) * 1_000_000_000n;
  const containerId = String(raw.Actor?.ID ?? raw.id ?? '');
  return {
    action,
    childId: containerId,
    labels,
    exitCode: action === 'die' && exitCode !== undefined ? Number(exitCode) : null,
    time: new Date(Number(nanos / 1_000_000n)),
    key: `${nanos}:${containerId}:${action}`,
  };
}
