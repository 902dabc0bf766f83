import type { ForgeConfig } from '../config/forge-config.js';
import { ForgeError } from '../errors/forge-error.js';
import type { ServerRecord } from '../registry/server-record.js';
import { RuntimeError, type Runtime } from '../runtime/runtime.js';
import { ownedContainer } from '../servers/server-health.js';
import { deriveStatus } from '../servers/server-view.js';
import { countedConnections } from './child-connections.js';
import type { Monitor } from './monitor.js';
import { mcpServerPid } from './mcp-server-pid.js';
import { toSample, type ProcessSample } from './process-sample.js';

/** get_server_process_stats' `process` (api-spec fields first, then what else Docker reports). */
export interface ProcessStats {
  pid: number;
  cpu_percent: number;
  memory_percent: number;
  memory_rss: number;
  uptime: number;
  status: string;
  threads: number;
  io_read_bytes: number;
  io_write_bytes: number;
  connections: number | null;
  memory_bytes: number;
  memory_limit: number;
  network_rx_bytes: number;
  network_tx_bytes: number;
  sampled_at: string;
}

export type HistoryMetric = 'cpu' | 'memory' | 'io' | 'all';

/** Readings stream about once a second: an older latest one means the stream stalls, so the engine is asked directly. */
const FRESH_MS = 3_000;

/** Per-server figures: live process stats (from the stream, or one engine reading) and history. */
export class ServerStats {
  constructor(
    private readonly config: ForgeConfig,
    private readonly runtime: Runtime,
    private readonly monitor: Monitor,
    private readonly instance: string,
  ) {}

  /** ForgeError `server_not_running` unless the server's container runs. */
  async process(record: ServerRecord): Promise<ProcessStats> {
    const container = await ownedContainer(this.runtime, record, this.instance);
    const notRunning = () => new ForgeError('server_not_running', `server ${record.name} is not running`);
    if (!container?.running) throw notRunning();
    const watch = this.monitor.watch(record.id);
    const streamed = watch?.containerId === container.id ? watch.latest : null;
    let sample: ProcessSample | null = streamed && Date.now() - streamed.time < FRESH_MS ? streamed : null;
    if (!sample) {
      const stats = await this.runtime.children.statsOnce(container.id).catch((err) => {
        // A child whose engine the forge cannot read (a task on another node): say why, never zeros.
        if (err instanceof RuntimeError && err.reason === 'unavailable') throw new ForgeError('server_error', `stats of server ${record.name} unavailable: ${err.message}`);
        throw err;
      });
      if (!stats) throw notRunning();
      sample = toSample(stats, (await this.runtime.host()).memoryBytes);
    }
    const { status } = deriveStatus(record, container, this.monitor.crashLoop(record.id));
    return {
      pid: mcpServerPid(container.pid, await this.runtime.children.processes(container.id)),
      cpu_percent: sample.cpu_percent,
      memory_percent: sample.memory_percent,
      memory_rss: sample.memory_rss,
      uptime: container.startedAt ? Math.max(0, (Date.now() - container.startedAt.getTime()) / 1000) : 0,
      status,
      threads: sample.pids,
      io_read_bytes: sample.io_read_bytes,
      io_write_bytes: sample.io_write_bytes,
      connections: await countedConnections(record, this.config, this.monitor.connectionSources),
      memory_bytes: sample.memory_bytes,
      memory_limit: sample.memory_limit,
      network_rx_bytes: sample.network_rx_bytes,
      network_tx_bytes: sample.network_tx_bytes,
      sampled_at: new Date(sample.time).toISOString(),
    };
  }

  /** The newest `points` history points of one metric, oldest first (empty when monitoring is off). */
  history(record: ServerRecord, metric: HistoryMetric, points: number): Array<Record<string, number>> {
    const history = this.monitor.watch(record.id)?.history.last(points) ?? [];
    return history.map((p): Record<string, number> => {
      switch (metric) {
        case 'cpu':
          return { timestamp: p.timestamp, value: p.cpu_percent };
        case 'memory':
          return { timestamp: p.timestamp, value: p.memory_bytes, percent: p.memory_percent };
        case 'io':
          return { timestamp: p.timestamp, value: p.io_read_bytes + p.io_write_bytes, read_bytes: p.io_read_bytes, write_bytes: p.io_write_bytes };
        default: {
          // memory_limit is kept for the scaling rules' memory metric, not part of the API's point.
          const { memory_limit: _limit, ...point } = p;
          return point;
        }
      }
    });
  }
}
