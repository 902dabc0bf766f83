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
  templates: { dir: string | null };
  docker: { socket_path: string; extra_labels: Record<string, string> };
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

/** A named bearer token: `admin` may do everything, `read` may list and inspect only. */
export interface AuthToken {
  name: string;
  token: string;
  role: 'admin' | 'read';
}

/** The monitor: docker stats and events of running children, history, alerts. */
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
