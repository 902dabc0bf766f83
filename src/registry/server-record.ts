import type { ScalingGroup } from './scaling-group.js';

/** Statuses the API reports (api-spec `server.status`). */
export type ServerStatus = 'running' | 'initialized' | 'stopped' | 'error';

/** What the forge keeps of issued credentials: the user name and a salted hash, never the password. */
export interface StoredCredentials {
  scheme: 'basic';
  username: string;
  /** `scrypt$N$r$p$<salt base64>$<key base64>` (templates/capabilities/auth checks this format). */
  hash: string;
}

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
  /** As validated at creation (host paths resolved); per-server data, never part of the image. */
  options: Record<string, unknown>;
  /** The named Docker volume holding the server's data (options that need one); removed only by delete_server. */
  volume?: string | null;
  /** Hash of the credentials issued at creation (auth); never shown by any tool or resource. */
  credentials?: StoredCredentials | null;
  /** `sha256:<hex>` of the bearer token issued at creation (children.require_token); absent: no token required. Never shown. */
  token_hash?: string | null;
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
  /** Name of the token that created it (`anonymous` without authentication); quotas count by it. */
  owner?: string;
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
  /** Auto-scaling groups; absent in files written before groups existed. */
  groups?: ScalingGroup[];
}
