import type { Context } from 'koa';
import type { ForgeServices } from '../mcp/forge-tool.js';
import type { ResourceTable } from '../mcp/resource-table.js';
import { callTool } from '../mcp/tool-call.js';
import type { ToolTable } from '../mcp/tool-table.js';
import type { Caller } from '../security/caller.js';

/** What the dashboard's feed reads from: the MCP tools and resources themselves. */
export interface FeedSource {
  table: ToolTable;
  resources: ResourceTable;
  services: ForgeServices;
  health: () => Promise<Record<string, unknown>>;
}

/** History points per server in a snapshot (5 minutes at the default 5 s interval). */
const HISTORY_POINTS = 60;
const LOG_LINES = 200;
const DETAIL_MAX_AGE_MS = 30_000;

function pick(from: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in from).map((k) => [k, from[k]]));
}

/**
 * The dashboard's live stream (text/event-stream at GET /api/events): a `snapshot` event once per
 * `monitor.history_interval_s` (when the monitor has new points) and right after an action, and a
 * `logs` event when the followed server's log changed. Everything comes from the read-only tools and
 * resources, i.e. from the monitor's ring buffers and the registry; only the followed server's log is
 * read from Docker.
 */
export class DashboardFeed {
  private readonly streams = new Set<() => void>();
  private readonly detailCache = new Map<string, { status: string; at: number; uptime: number; detail: Record<string, unknown> }>();

  constructor(private readonly source: FeedSource) {}

  /** Pushes a snapshot to every open stream now (after a state-changing call). */
  nudge(): void {
    for (const push of this.streams) push();
  }

  open(ctx: Context, caller: Caller): void {
    const follow = typeof ctx.query.logs === 'string' && ctx.query.logs ? ctx.query.logs : null;
    const res = ctx.res;
    ctx.respond = false;
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no', Connection: 'keep-alive' });
    let lastLogs = '';
    let busy = false;
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    const push = async () => {
      if (busy || res.destroyed) return;
      busy = true;
      try {
        send('snapshot', await this.snapshot(caller));
        if (follow) {
          const logs = await callTool(this.source.table, this.source.services, caller, 'get_server_logs', { server_id: follow, max_lines: LOG_LINES }, { quiet: true });
          const text = JSON.stringify(logs);
          if (text !== lastLogs) send('logs', logs);
          lastLogs = text;
        }
      } catch (err) {
        this.source.services.log.warn({ err }, 'dashboard feed failed');
      } finally {
        busy = false;
      }
    };
    const tick = () => void push();
    const timer = setInterval(tick, Math.max(1, this.source.services.config.monitor.history_interval_s) * 1000);
    this.streams.add(tick);
    res.on('close', () => {
      clearInterval(timer);
      this.streams.delete(tick);
    });
    tick();
  }

  /**
   * A server's uptime, capabilities, restarts and error (one Docker inspect and log read each), read
   * again only when its status changed or the copy is older than DETAIL_MAX_AGE_MS.
   */
  private async details(summary: { id: string; status: string }, read: () => Promise<unknown>): Promise<Record<string, unknown>> {
    const cached = this.detailCache.get(summary.id);
    if (cached && cached.status === summary.status && Date.now() - cached.at < DETAIL_MAX_AGE_MS) {
      return { ...cached.detail, uptime: cached.uptime + (summary.status === 'running' ? (Date.now() - cached.at) / 1000 : 0) };
    }
    const info = (await read().catch(() => ({}))) as Record<string, unknown>;
    const detail = pick(info, ['uptime', 'capabilities', 'handlers', 'error', 'restart_count', 'created_at', 'image']);
    this.detailCache.set(summary.id, { status: summary.status, at: Date.now(), uptime: Number(info.uptime ?? 0), detail });
    return detail;
  }

  /** Servers with their history, alerts, groups, health and versions, as the caller may see them. */
  async snapshot(caller: Caller): Promise<Record<string, unknown>> {
    const { table, resources, services } = this.source;
    const tool = (name: string, args: Record<string, unknown> = {}) => callTool(table, services, caller, name, args, { quiet: true });
    const resource = async (uri: string) => JSON.parse((await resources.read(uri, services)).text) as unknown;
    const listed = await tool('list_servers');
    const summaries = (listed.servers as Array<{ id: string; status: string }> | undefined) ?? [];
    for (const id of this.detailCache.keys()) if (!summaries.some((s) => s.id === id)) this.detailCache.delete(id);
    const history: Record<string, unknown> = {};
    const servers = await Promise.all(
      summaries.map(async (s) => {
        const [h, limits, detail] = await Promise.all([
          tool('get_server_process_history', { server_id: s.id, metric: 'all', points: HISTORY_POINTS }),
          tool('get_resource_limits', { server_id: s.id }),
          this.details(s, () => resource(`servers://${s.id}/info`)),
        ]);
        history[s.id] = h.history ?? [];
        return { ...detail, ...s, limits: limits.limits ?? null };
      }),
    );
    const [alerts, groups, version, health] = await Promise.all([
      tool('get_alerts', { limit: 20 }),
      resource('autoscaling://groups'),
      resource('system://version'),
      this.source.health(),
    ]);
    return { time: new Date().toISOString(), caller, servers, history, alerts: alerts.alerts ?? [], groups, version, health, interval_s: services.config.monitor.history_interval_s };
  }
}
