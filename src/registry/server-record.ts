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

/** A host folder mounted read-only into a source child: `host` as checked (its real path, as the forge sees it), at `target` in the container. */
export interface SourceFolder {
  host: string;
  target: string;
}

/** An npm package run through the stdio bridge (docs/sources.md). */
export interface NpmSource {
  type: 'npm';
  package: string;
  /** The resolved version (a requested range is resolved once, at creation). */
  version: string;
  /** What the caller asked for, e.g. `^2026.8.0`. */
  requested: string;
  /** Cache folder name: `<name>@<version>-<lockfile hash>` (scoped names with `+` for `/`). */
  cache_key: string;
  /** The package's bin the child runs: its name and its file, relative to the package folder. */
  bin_name: string;
  bin: string;
  args: string[];
  /** Plain settings: visible in `docker inspect`. */
  env: Record<string, string>;
  /** Read-only host folders (absent in records from before folders). */
  folders?: SourceFolder[];
}

/** A local image run as a child: served over HTTP by itself, or bridged (stdio). */
export interface ImageSource {
  type: 'image';
  image: string;
  /** The image id at creation, and its repository digest when it has one. */
  image_id: string;
  digest: string | null;
  transport: 'stdio' | 'http';
  /** Container port (http); null for stdio (the bridge listens on the forge's container port). */
  port: number | null;
  /** MCP path (http). */
  path: string;
  /** The user the container runs as: the image's own, or the forge's child uid for a root image. */
  user: string;
  args: string[];
  env: Record<string, string>;
  folders?: SourceFolder[];
}

export type ServerSource = NpmSource | ImageSource;

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
  /** The named volume (the engine's) holding the server's data (options that need one); removed only by delete_server. */
  volume?: string | null;
  /** Hash of the credentials issued at creation (auth); never shown by any tool or resource. */
  credentials?: StoredCredentials | null;
  /** `sha256:<hex>` of the bearer token issued at creation (children.require_token); absent: no token required. Never shown. */
  token_hash?: string | null;
  /** Bring-your-own servers: what the child runs instead of forged units; absent or null for forged servers. */
  source?: ServerSource | null;
  /** Names of the secrets the server gets as env vars; the values live encrypted in the secret store, never here. */
  secret_names?: string[];
  port: number;
  container_name: string;
  /** The engine's id of the child: a container id (docker), a service id (swarm); api-spec keeps the name. */
  container_id: string | null;
  /**
   * Where the engine publishes the child's port when it names an address (swarm: the node the task
   * runs on), as last seen; null or absent (records from before): `children.host_ip`.
   */
  host_address?: string | null;
  image: string | null;
  /** creating: entry written, container may not exist yet; ready: normal; deleting: removal under way. */
  phase: 'creating' | 'ready' | 'deleting';
  /** What the user last asked for; reconciliation compares the engine's view with it. */
  desired: 'running' | 'stopped';
  status: ServerStatus;
  error: string | null;
  /** Entries written before a limit existed lack it: read them through `limitsOf`. */
  limits: LimitSet;
  /** restart_server calls; the engine's own restart count is added when reporting. */
  manual_restarts: number;
  /** Name of the token that created it (`anonymous` without authentication); quotas count by it. */
  owner?: string;
  created_at: string;
  updated_at: string;
}

/**
 * A server's resource limits (api-spec get_resource_limits); null means none. CPU and memory are
 * cgroup limits the engine enforces; I/O bytes (since the container started) and connections are watched.
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
