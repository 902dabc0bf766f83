/**
 * When a set_config change takes effect:
 * - `live`: applied to the running forge's one config object; components read it at their next action.
 * - `restart`: saved, used from the next start (the running forge keeps its value until then).
 * - `fixed`: cannot be changed at run time at all.
 */
export type KeyEffect = 'live' | 'restart' | 'fixed';

/**
 * Keys whose new value the running forge picks up by itself. Everything else needs a restart:
 * it was copied into a component at start-up (listen address, Host guard, session reaper,
 * image settings, templates, the Docker connection, the monitor's streams, intervals, buffers
 * and crash-loop windows) or decides how existing children are reached (host_ip,
 * container_port, connect_via, network). New keys default to `restart`; add them here once
 * their readers look at the config at each action.
 */
export const LIVE_KEYS: ReadonlySet<string> = new Set([
  'server.log_level',
  'children.port_range_start',
  'children.port_range_end',
  'children.restart_policy',
  'children.ready_timeout_s',
  'children.stop_timeout_s',
  'resources.default_cpu_limit',
  'resources.default_memory_limit',
  'server.max_body_bytes',
  'server.max_sessions',
  'server.max_sessions_per_token',
  'children.pids_limit',
  'children.tmp_size_mb',
  'children.stop_on_shutdown',
  'children.log_max_size',
  'children.log_max_files',
  'children.store_max_keys',
  'children.store_max_bytes',
  'auth.admin_token',
  'auth.tokens',
  'auth.metrics_public',
  'quotas.max_servers',
  'quotas.max_servers_per_token',
  'quotas.max_running',
  'quotas.creates_per_minute_per_token',
  'audit.max_bytes',
  'audit.max_files',
  'resources.default_memory_percent',
  'resources.default_io_read_bytes',
  'resources.default_io_write_bytes',
  'resources.default_connections',
  'monitor.alert_threshold_percent',
  'scaling.enabled',
  'scaling.interval_s',
  'scaling.window_s',
  'scaling.min_points',
  'gateway.include_children',
]);

/**
 * Keys set_config refuses, with the reason. The saved settings live inside the data directory,
 * so they cannot move it; a new instance id would strand every existing child (they are found
 * by their instance label).
 */
export const FIXED_KEYS: ReadonlyMap<string, string> = new Map([
  ['storage.data_dir', 'the saved settings live inside the data directory; set FORGE_DATA_DIR or the config file and restart'],
  ['children.allowed_host_roots', "an operator's decision, not a client's: set children.allowed_host_roots in config/default.json (or the FORGE_CONFIG file) or FORGE_ALLOWED_HOST_ROOTS and restart"],
  ['children.host_path_map', "an operator's decision, not a client's: set it in the config file or FORGE_HOST_PATH_MAP and restart"],
  ['server.instance_id', "existing children carry the instance id in their labels and would no longer be this forge's"],
  ['templates.allowed_dirs', 'it decides which host folders may hold code for children; set it in the config file or FORGE_TEMPLATES_ALLOWED_DIRS and restart'],
  ['sources.secrets_key', 'saved settings sit in the data directory beside the secrets the key protects, and stored secrets would no longer decrypt; set FORGE_SECRETS_KEY and restart'],
]);

export function effectOf(keyPath: string): KeyEffect {
  if (FIXED_KEYS.has(keyPath)) return 'fixed';
  return LIVE_KEYS.has(keyPath) ? 'live' : 'restart';
}
