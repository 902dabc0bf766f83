import type { Role } from '../security/caller.js';

/** The forge's typed configuration: loaded and validated once, then passed through constructors. */
export interface ForgeConfig {
  server: {
    host: string;
    port: number;
    log_level: LogLevel;
    /** Extra Host header names accepted besides the loopback names. */
    allowed_hosts: string[];
    session_idle_timeout_s: number;
    /** Null: use the id generated and kept in the data directory. */
    instance_id: string | null;
    max_body_bytes: number;
    /** Open MCP sessions (/mcp and /sse together): in total (503 above) and per token (429 above). */
    max_sessions: number;
    max_sessions_per_token: number;
  };
  children: {
    host_ip: string;
    port_range_start: number;
    port_range_end: number;
    container_port: number;
    restart_policy: 'no' | 'on-failure' | 'unless-stopped' | 'always';
    ready_timeout_s: number;
    stop_timeout_s: number;
    connect_via: 'host' | 'network';
    network: string | null;
    remove_orphans: boolean;
    pids_limit: number;
    tmp_size_mb: number;
    /** Stop the children on shutdown (keeping them registered as desired running); start-up starts them again. */
    stop_on_shutdown: boolean;
    /** Host folders file_reader may mount from (forge-visible paths); empty: none. */
    allowed_host_roots: string[];
    /** Forge-visible path prefix → host path prefix, for a forge in a container. */
    host_path_map: Record<string, string>;
    /** uid and gid children run as. */
    uid: number;
    /** Docker json-file rotation of each child's log: one file's size (Docker's `max-size`, e.g. 10m) and files kept. */
    log_max_size: string;
    log_max_files: number;
    /** Quota of each child's persistence store. */
    store_max_keys: number;
    store_max_bytes: number;
    /** Extra Host names children accept ("name" any port, "name:port" one), besides their own addresses. */
    allowed_hosts: string[];
    /** New children require a forge-issued bearer token; forced on when host_ip is not loopback. */
    require_token: boolean;
    /** Most MCP sessions one child keeps open (both transports together). */
    max_sessions: number;
    /** Idle timeout of a child's sessions; null: server.session_idle_timeout_s. */
    session_idle_timeout_s: number | null;
    /** Publish each child's port on host_ip; off: children are reached through the forge only. */
    publish_ports: boolean;
  };
  images: {
    node_base: string;
    local_node_base: string;
    child_base: string;
    child_repository: string;
  };
  resources: {
    /** Percent of one core; null for no limit. */
    default_cpu_limit: number | null;
    /** Bytes; null for no limit. */
    default_memory_limit: number | null;
    /** Percent of the host's memory; the lower of this and default_memory_limit applies. */
    default_memory_percent: number | null;
    /** Watched (alert), not enforced: bytes read or written since the child started, open MCP sessions. */
    default_io_read_bytes: number | null;
    default_io_write_bytes: number | null;
    default_connections: number | null;
  };
  storage: { data_dir: string };
  /** `dir` must be the shipped templates folder or inside one of `allowed_dirs` (config file or environment only). */
  templates: { dir: string | null; allowed_dirs: string[] };
  docker: { socket_path: string; extra_labels: Record<string, string> };
  /** The engine that runs the children (see runtime/runtime.ts). */
  runtime: {
    kind: 'docker' | 'swarm';
    /** swarm: host[:port] of the registry child images are pushed to; null: the image stays on the forge's node. */
    registry: string | null;
    /** swarm: placement constraints of every child service. */
    placement: string[];
    /** swarm: node hostname or id → that node's Docker endpoint (stats and processes of its tasks). */
    node_engines: Record<string, string>;
  };
  auth: {
    /** A token with the admin role, besides the named ones. */
    admin_token: string | null;
    tokens: AuthToken[];
    metrics_public: boolean;
  };
  /** null: no limit. */
  quotas: {
    max_servers: number | null;
    max_servers_per_token: number | null;
    max_running: number | null;
    creates_per_minute_per_token: number | null;
  };
  audit: { max_bytes: number; max_files: number };
  monitor: MonitorConfig;
  scaling: ScalingConfig;
  /** The aggregated endpoint /gateway/mcp and /gateway/sse. */
  gateway: {
    /** The forge's own /mcp lists (and routes) the children's tools too. */
    include_children: boolean;
  };
  /** Bring-your-own servers (docs/sources.md). */
  sources: {
    npm_registry: string | null;
    npm_ca_file: string | null;
    npm_allow_scripts: boolean;
    npm_install_timeout_s: number;
    images_allow_root: boolean;
    /** Encrypts create_server secrets at rest; null: a key generated into the data directory. */
    secrets_key: string | null;
  };
}

/** A named bearer token: `admin` may do everything, `use` also calls children's tools through the gateway, `read` may list and inspect only. */
export interface AuthToken {
  name: string;
  token: string;
  role: Role;
}

/** The monitor: the engine's stats and events of running children, history, alerts. */
export interface MonitorConfig {
  /** Off: no streams, no history or alerts; stats are read on demand. */
  enabled: boolean;
  history_interval_s: number;
  history_retention_s: number;
  alerts_max: number;
  /** CPU or memory use at this percent of a limit raises limit_exceeded. */
  alert_threshold_percent: number;
  alert_cooldown_s: number;
  crash_loop_restarts: number;
  crash_loop_window_s: number;
  connections_interval_s: number;
  reattach_max_backoff_s: number;
  /** Full re-listing of the children besides events: no engine's event stream is taken as complete. */
  resync_interval_s: number;
}

/** The auto-scaler (manage_auto_scaling groups). Read at every evaluation, so changes apply live. */
export interface ScalingConfig {
  enabled: boolean;
  interval_s: number;
  /** Rules compare the average over this many seconds of the monitor's points. */
  window_s: number;
  /** Points a member needs in the window before its average counts. */
  min_points: number;
  events_max: number;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
