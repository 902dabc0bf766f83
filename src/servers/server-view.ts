import type { Alert } from '../monitor/alert-log.js';
import type { ChildInfo, ChildSummary } from '../runtime/runtime.js';
import type { ServerRecord, ServerStatus } from '../registry/server-record.js';
import { sourceView, type SourceView } from '../sources/source-view.js';

/** The API's `server` object (api-spec create_server result). */
export interface ServerInfo {
  id: string;
  name: string;
  description: string;
  port: number;
  /** The node the child runs on (swarm: its hostname) and the address its port answers at; null on the docker runtime. */
  node: string | null;
  host_address: string | null;
  status: ServerStatus;
  uptime: number;
  capabilities: string[];
  handlers: string[];
  /** As given at creation (host folders resolved); issued credentials are never part of it. */
  options: Record<string, unknown>;
  /** The server's data volume (persistence), removed only by delete_server. */
  volume: string | null;
  /** A bring-your-own server's package (resolved version) or image (and digest); null for forged servers. */
  source: SourceView | null;
  script_path: string;
  image: string | null;
  container_id: string | null;
  container_name: string;
  error: string | null;
  restart_count: number;
  latest_logs: { stdout: string[]; stderr: string[] };
  /** The monitor's newest alerts for this server (empty when monitoring is off). */
  alerts: Alert[];
  created_at: string;
}

/** The list_servers entry without details. */
export type ServerSummary = Pick<ServerInfo, 'id' | 'name' | 'description' | 'status' | 'port'> & Partial<Pick<ServerInfo, 'source'>>;

/**
 * Status and error as the child's state (ChildState, whatever the engine) and the user's intent imply them; the registry's words come
 * second. A running container the monitor saw crash-looping (`crashLoop`: why) is an error.
 */
export function deriveStatus(
  record: ServerRecord,
  container: Pick<ChildInfo, 'status'> & Partial<ChildInfo> | ChildSummary | null,
  crashLoop: string | null = null,
): { status: ServerStatus; error: string | null } {
  if (record.phase === 'creating') return { status: record.status === 'error' ? 'error' : 'initialized', error: record.error };
  if (!container) {
    return { status: 'error', error: record.error ?? 'container is missing (removed outside the forge?); start_server re-creates it' };
  }
  switch (container.status) {
    case 'running':
      return crashLoop ? { status: 'error', error: crashLoop } : { status: 'running', error: null };
    case 'created':
      return { status: record.desired === 'running' ? 'initialized' : 'stopped', error: null };
    case 'restarting':
      return { status: 'error', error: crashLoop ?? 'container is restarting after a crash' };
    case 'exited': {
      if (record.desired === 'stopped') return { status: 'stopped', error: null };
      const info = container as Partial<ChildInfo>;
      const why = info.oomKilled ? 'killed for exceeding its memory limit' : `exited unexpectedly${info.exitCode != null ? ` with code ${info.exitCode}` : ''}`;
      return { status: 'error', error: `container ${why}` };
    }
    default:
      return { status: 'error', error: `container is ${container.status}` };
  }
}

/** Builds the API's server object from the record and the engine's view of its child (`container_*` keep api-spec's names). */
export function toServerInfo(
  record: ServerRecord,
  container: ChildInfo | null,
  logs: { stdout: string[]; stderr: string[] },
  now = Date.now(),
  health: { crashLoop: string | null; alerts: Alert[] } = { crashLoop: null, alerts: [] },
): ServerInfo {
  const { status, error } = deriveStatus(record, container, health.crashLoop);
  const startedAt = container?.running && container.startedAt ? container.startedAt.getTime() : null;
  return {
    id: record.id,
    name: record.name,
    description: record.description,
    port: record.port,
    node: container?.node?.name ?? null,
    host_address: container?.hostAddress ?? record.host_address ?? null,
    status,
    uptime: startedAt ? Math.max(0, (now - startedAt) / 1000) : 0,
    capabilities: record.capabilities,
    handlers: record.handlers,
    options: record.options,
    volume: record.volume ?? null,
    source: sourceView(record),
    script_path: '/app/server.js',
    image: record.image,
    container_id: container?.id ?? null,
    container_name: record.container_name,
    error,
    restart_count: record.manual_restarts + (container?.restartCount ?? 0),
    latest_logs: logs,
    alerts: health.alerts,
    created_at: record.created_at,
  };
}
