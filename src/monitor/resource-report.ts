import type { ForgeConfig } from '../config/forge-config.js';
import type { Registry } from '../registry/registry.js';
import type { ServerRecord } from '../registry/server-record.js';
import type { Runtime } from '../runtime/runtime.js';
import { effectiveMemoryBytes } from '../runtime/resource-limits.js';
import { defaultLimits, ENFORCED_LIMITS, LIMIT_NAMES, limitsOf, toResourceLimits } from '../servers/limit-rules.js';
import type { ServerQueries } from '../servers/server-queries.js';
import type { Monitor } from './monitor.js';
import type { ProcessStats, ServerStats } from './server-stats.js';
import type { HostStats, SystemStats } from './system-stats.js';

const WATCHED = LIMIT_NAMES.filter((n) => !ENFORCED_LIMITS.includes(n));
const round = (value: number) => Math.round(value * 100) / 100;

/** The system and resource views: get_system_stats, system://resources, servers://{id}/resources. */
export class ResourceReport {
  constructor(
    private readonly config: ForgeConfig,
    private readonly registry: Registry,
    private readonly runtime: Runtime,
    private readonly queries: ServerQueries,
    private readonly monitor: Monitor,
    private readonly stats: ServerStats,
    private readonly system: SystemStats,
  ) {}

  /** The api-spec `system` object. */
  async systemStats(): Promise<HostStats & { server_count: number; server_count_active: number }> {
    const [host, servers] = await Promise.all([this.system.read(), this.queries.list()]);
    return { ...host, server_count: servers.length, server_count_active: servers.filter((s) => s.status === 'running').length };
  }

  /** One server's limits next to its use of them. */
  async server(record: ServerRecord) {
    const limits = limitsOf(record);
    const usage: ProcessStats | null = await this.stats.process(record).catch(() => null);
    const used: Record<string, number | null> = usage
      ? {
          cpu_percent: usage.cpu_percent,
          memory_bytes: usage.memory_bytes,
          memory_percent: usage.memory_percent,
          io_read_bytes: usage.io_read_bytes,
          io_write_bytes: usage.io_write_bytes,
          connections: usage.connections,
        }
      : {};
    const utilization = Object.fromEntries(
      LIMIT_NAMES.filter((n) => limits[n] !== null && typeof used[n] === 'number').map((n) => [n, round(((used[n] as number) / limits[n]!) * 100)]),
    );
    return {
      server_id: record.id,
      name: record.name,
      limits,
      enforced_by_docker: ENFORCED_LIMITS,
      watched_by_monitor: WATCHED,
      usage,
      utilization_percent: utilization,
      alerts: this.monitor.listAlerts({ serverId: record.id, kind: 'limit_exceeded', limit: 10 }),
    };
  }

  /** The host's size and use, and what the children are allowed and use together. */
  async systemResources() {
    const host = await this.runtime.host();
    const records = this.registry.list();
    let cpu = 0;
    let memory = 0;
    let usedCpu = 0;
    let usedMemory = 0;
    for (const record of records) {
      const limits = limitsOf(record);
      cpu += limits.cpu_percent ?? 0;
      memory += effectiveMemoryBytes(toResourceLimits(limits), host) ?? 0;
      const latest = this.monitor.watch(record.id)?.latest;
      usedCpu += latest?.cpu_percent ?? 0;
      usedMemory += latest?.memory_bytes ?? 0;
    }
    return {
      host: { cpus: host.cpus, cpu_capacity_percent: host.cpus * 100, memory_bytes: host.memoryBytes },
      system: await this.systemStats(),
      default_limits: defaultLimits(this.config.resources),
      children: {
        count: records.length,
        limited_cpu_percent: round(cpu),
        limited_memory_bytes: memory,
        used_cpu_percent: round(usedCpu),
        used_memory_bytes: usedMemory,
      },
      monitoring: this.monitor.enabled,
    };
  }
}
