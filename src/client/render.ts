import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { formatBytes, formatDuration, formatPairs, formatTable } from './table.js';

/** Human output for a tool's API JSON (successful results; errors are printed by the entry point). */
export type Renderer = (body: any, args?: Record<string, unknown>) => string;

const lines = (...parts: Array<string | false | undefined>) => parts.filter((p) => p !== false && p !== undefined).join('\n');

/** The api-spec `server` object as aligned fields, then its latest log lines. */
export function renderServer(server: any): string {
  const logs = server.latest_logs ?? { stdout: [], stderr: [] };
  return lines(
    formatPairs([
      ['id', server.id],
      ['name', server.name],
      ['description', server.description],
      ['status', server.status],
      ['port', server.port],
      ['uptime', typeof server.uptime === 'number' ? formatDuration(server.uptime) : undefined],
      ['capabilities', server.capabilities],
      ['handlers', server.handlers],
      ['image', server.image],
      ['container', server.container_name ?? server.container_id],
      ['restarts', server.restart_count],
      ['created', server.created_at],
      ['error', server.error],
    ].filter(([, v]) => v !== undefined) as Array<[string, unknown]>),
    (logs.stdout.length > 0 || logs.stderr.length > 0) && `\n${renderStreams(logs)}`,
  );
}

function renderStreams(logs: { stdout?: string[]; stderr?: string[] }): string {
  const streams = Object.entries(logs).filter(([, v]) => Array.isArray(v)) as Array<[string, string[]]>;
  if (streams.length === 1) return streams[0]![1].join('\n');
  return streams.map(([name, v]) => `== ${name} (${v.length} lines) ==${v.length ? `\n${v.join('\n')}` : ''}`).join('\n');
}

const renderList: Renderer = (body) => {
  const detailed = body.servers.some((s: any) => 'uptime' in s);
  const table = detailed
    ? formatTable(
        ['id', 'name', 'status', 'port', 'uptime', 'restarts', 'capabilities', 'error'],
        body.servers.map((s: any) => [s.id, s.name, s.status, s.port, formatDuration(s.uptime), s.restart_count, s.capabilities, s.error]),
      )
    : formatTable(['id', 'name', 'status', 'port', 'description'], body.servers.map((s: any) => [s.id, s.name, s.status, s.port, s.description]));
  return lines(body.count > 0 && table, `${body.count} server${body.count === 1 ? '' : 's'}`);
};

/** A status line: "warning: ..." for warnings, the message alone for successes. */
export const renderMessage: Renderer = (body) => `${body.status === 'warning' ? 'warning: ' : ''}${body.message ?? body.status}`;

const renderStats: Renderer = (body) =>
  formatPairs(
    Object.entries(body.process ?? {}).map(([k, v]) => {
      if (typeof v !== 'number') return [k, v];
      if (/bytes|rss/.test(k)) return [k, `${formatBytes(v)} (${v})`];
      if (k === 'uptime') return [k, formatDuration(v)];
      return [k, /percent/.test(k) ? `${v.toFixed(2)} %` : v];
    }),
  );

const renderConfig: Renderer = (body) => {
  const rows = (tree: Record<string, Record<string, unknown>>) =>
    Object.entries(tree).flatMap(([section, keys]) => Object.entries(keys).map(([key, v]) => [section, key, JSON.stringify(v)]));
  const pending = rows(body.pending_restart ?? {});
  return lines(
    formatTable(['section', 'key', 'value'], rows(body.config)),
    pending.length > 0 && `\nsaved, applied at the next start:\n${formatTable(['section', 'key', 'value'], pending)}`,
  );
};

const renderConfigChange: Renderer = (body) =>
  lines(
    `${body.section}.${body.key} = ${JSON.stringify(body.value)} (was ${JSON.stringify(body.previous_value)})`,
    body.message,
    body.restart_required && 'restart required: yes',
  );

/** Name and the first sentence of each tool's description. */
export function renderTools(tools: Tool[]): string {
  const summary = (t: Tool) => (t.title ?? t.description ?? '').split(/(?<=\.)\s/)[0];
  return formatTable(['tool', 'description'], tools.map((t) => [t.name, summary(t)]));
}

/** Renderers for the forge's tools; results of other tools are printed as JSON. */
export const TOOL_RENDERERS: Record<string, Renderer> = {
  create_server: (body) => lines(body.message, '', renderServer(body.server)),
  list_servers: renderList,
  start_server: renderMessage,
  stop_server: renderMessage,
  restart_server: renderMessage,
  delete_server: renderMessage,
  get_server_logs: (body, args) => {
    const only = args?.log_type;
    return typeof only === 'string' && only !== 'all' ? (body.logs?.[only] ?? []).join('\n') : renderStreams(body.logs ?? {});
  },
  get_server_process_stats: renderStats,
  get_config: renderConfig,
  set_config: renderConfigChange,
};
