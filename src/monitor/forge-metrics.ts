import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ServerStatus } from '../registry/server-record.js';
import type { ProcessSample } from './process-sample.js';

/** One server as /metrics shows it. */
export interface ServerMetric {
  id: string;
  name: string;
  status: ServerStatus;
  restarts: number;
  /** The monitor's latest reading; null when not streamed (stopped, or monitoring off). */
  sample: ProcessSample | null;
}

const STATUSES: ServerStatus[] = ['running', 'initialized', 'stopped', 'error'];
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * The forge's Prometheus metrics, in a registry of its own (several forges can share a process):
 * per-server CPU, memory, restarts and status, read when scraped; request and tool-call counts
 * and latencies, counted as they happen; and the forge process's own CPU and memory.
 */
export class ForgeMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly requestSeconds: Histogram<'method' | 'route'>;
  private readonly toolCalls: Counter<'tool' | 'outcome'>;
  private readonly toolSeconds: Histogram<'tool'>;
  private readonly server: Record<'cpu' | 'memory' | 'limit' | 'restarts', Gauge<'server_id' | 'server_name'>>;
  private readonly status: Gauge<'server_id' | 'server_name' | 'status'>;
  private readonly process: Record<'cpu' | 'rss', Gauge>;

  constructor(private readonly servers: () => Promise<ServerMetric[]>) {
    const registers = [this.registry];
    const perServer = (name: string, help: string) => new Gauge({ name, help, labelNames: ['server_id', 'server_name'] as const, registers });
    this.requests = new Counter({ name: 'mcp_forge_http_requests_total', help: 'HTTP requests served by the forge.', labelNames: ['method', 'route', 'status'] as const, registers });
    this.requestSeconds = new Histogram({ name: 'mcp_forge_http_request_duration_seconds', help: 'HTTP request latency.', labelNames: ['method', 'route'] as const, buckets: LATENCY_BUCKETS, registers });
    this.toolCalls = new Counter({ name: 'mcp_forge_tool_calls_total', help: 'MCP tool calls by outcome (success or an API error code).', labelNames: ['tool', 'outcome'] as const, registers });
    this.toolSeconds = new Histogram({ name: 'mcp_forge_tool_call_duration_seconds', help: 'MCP tool call latency.', labelNames: ['tool'] as const, buckets: LATENCY_BUCKETS, registers });
    this.server = {
      cpu: perServer('mcp_forge_server_cpu_percent', 'CPU use of a child in percent of one core (as docker stats).'),
      memory: perServer('mcp_forge_server_memory_bytes', 'Memory in use by a child without inactive page cache (as docker stats).'),
      limit: perServer('mcp_forge_server_memory_limit_bytes', "A child's memory limit (the host's memory when it has none)."),
      restarts: perServer('mcp_forge_server_restarts', 'Restarts of a child: restart_server calls plus Docker restarts.'),
    };
    this.status = new Gauge({ name: 'mcp_forge_server_status', help: "1 for a child's current status, 0 for the others.", labelNames: ['server_id', 'server_name', 'status'] as const, registers });
    this.process = {
      cpu: new Gauge({ name: 'mcp_forge_process_cpu_seconds_total', help: 'CPU time of the forge process.', registers }),
      rss: new Gauge({ name: 'mcp_forge_process_resident_memory_bytes', help: 'Resident memory of the forge process.', registers }),
    };
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.requestSeconds.observe({ method, route }, seconds);
  }

  observeToolCall(tool: string, outcome: string, seconds: number): void {
    this.toolCalls.inc({ tool, outcome });
    this.toolSeconds.observe({ tool }, seconds);
  }

  /** The exposition text; per-server figures are read now, once per scrape. */
  async text(): Promise<string> {
    const servers = await this.servers();
    for (const gauge of [...Object.values(this.server), this.status]) gauge.reset();
    for (const s of servers) {
      const labels = { server_id: s.id, server_name: s.name };
      this.server.restarts.set(labels, s.restarts);
      for (const status of STATUSES) this.status.set({ ...labels, status }, status === s.status ? 1 : 0);
      if (!s.sample) continue;
      this.server.cpu.set(labels, s.sample.cpu_percent);
      this.server.memory.set(labels, s.sample.memory_bytes);
      this.server.limit.set(labels, s.sample.memory_limit);
    }
    const cpu = process.cpuUsage();
    this.process.cpu.set((cpu.user + cpu.system) / 1e6);
    this.process.rss.set(process.memoryUsage.rss());
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** The per-server figures from the servers' live list and the monitor's readings. */
export function serverMetricsFrom(
  list: () => Promise<Array<{ id: string; name: string; status: ServerStatus }>>,
  manualRestarts: (serverId: string) => number,
  watch: (serverId: string) => { restartCount: number; latest: ProcessSample | null } | undefined,
): () => Promise<ServerMetric[]> {
  return async () =>
    (await list()).map((s) => {
      const w = watch(s.id);
      return { id: s.id, name: s.name, status: s.status, restarts: manualRestarts(s.id) + (w?.restartCount ?? 0), sample: w?.latest ?? null };
    });
}
