/** Statuses the API reports (api-spec `server.status`). */
export type ServerStatus = 'running' | 'initialized' | 'stopped' | 'error';

/**
 * One child server as the registry keeps it. `phase` records the forge's own progress so a
 * crash at any moment can be finished or undone on the next start-up.
 */
export interface ServerRecord {
  id: string;
  name: string;
  description: string;
  capabilities: string[];
  handlers: string[];
  options: Record<string, unknown>;
  port: number;
  container_name: string;
  container_id: string | null;
  image: string | null;
  /** creating: entry written, container may not exist yet; ready: normal; deleting: removal under way. */
  phase: 'creating' | 'ready' | 'deleting';
  /** What the user last asked for; reconciliation compares Docker with it. */
  desired: 'running' | 'stopped';
  status: ServerStatus;
  error: string | null;
  /** Entries written before a limit existed lack it: read them through `limitsOf`. */
  limits: LimitSet;
  /** restart_server calls; Docker's own restart count is added when reporting. */
  manual_restarts: number;
  created_at: string;
  updated_at: string;
}

/**
 * A server's resource limits (api-spec get_resource_limits); null means none. CPU and memory are
 * cgroup limits Docker enforces; I/O bytes (since the container started) and connections are watched.
 */
export interface LimitSet {
  /** Percent of one core. */
  cpu_percent: number | null;
  memory_bytes: number | null;
  /** Percent of the host's memory; with memory_bytes set too, the lower one applies. */
  memory_percent: number | null;
  io_read_bytes: number | null;
  io_write_bytes: number | null;
  /** Open MCP sessions. */
  connections: number | null;
}

/** The registry file's whole content. */
export interface RegistryData {
  version: 1;
  instance_id: string;
  servers: ServerRecord[];
}
