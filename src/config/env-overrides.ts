/**
 * The FORGE_* environment variables and the config keys they override. This table is
 * the only reader of the environment besides FORGE_CONFIG (README documents both).
 */
type Parse = (raw: string) => unknown;

const text: Parse = (raw) => raw;
const int: Parse = (raw) => (/^-?\d+$/.test(raw.trim()) ? Number(raw) : raw);
const num: Parse = (raw) => (raw.trim() !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw);
const bool: Parse = (raw) => (/^(1|true|yes|on)$/i.test(raw) ? true : /^(0|false|no|off)$/i.test(raw) ? false : raw);
const list: Parse = (raw) => raw.split(',').map((s) => s.trim()).filter(Boolean);
/** "name:role:token,name:role:token" */
const tokens: Parse = (raw) =>
  (list(raw) as string[]).map((entry) => {
    const [name, role, ...rest] = entry.split(':');
    return { name, role, token: rest.join(':') };
  });
const nullable = (parse: Parse): Parse => (raw) => (raw === '' || raw === 'null' ? null : parse(raw));
const labels: Parse = (raw) =>
  Object.fromEntries(
    (list(raw) as string[]).map((kv) => {
      const at = kv.indexOf('=');
      return at < 0 ? [kv, ''] : [kv.slice(0, at), kv.slice(at + 1)];
    }),
  );

/** [variable, config path, parser] */
export const ENV_OVERRIDES: ReadonlyArray<readonly [string, string, Parse]> = [
  ['FORGE_HOST', 'server.host', text],
  ['FORGE_PORT', 'server.port', int],
  ['FORGE_LOG_LEVEL', 'server.log_level', text],
  ['FORGE_ALLOWED_HOSTS', 'server.allowed_hosts', list],
  ['FORGE_SESSION_IDLE_TIMEOUT_S', 'server.session_idle_timeout_s', num],
  ['FORGE_INSTANCE_ID', 'server.instance_id', nullable(text)],
  ['FORGE_CHILD_HOST_IP', 'children.host_ip', text],
  ['FORGE_PORT_RANGE_START', 'children.port_range_start', int],
  ['FORGE_PORT_RANGE_END', 'children.port_range_end', int],
  ['FORGE_RESTART_POLICY', 'children.restart_policy', text],
  ['FORGE_READY_TIMEOUT_S', 'children.ready_timeout_s', num],
  ['FORGE_CONNECT_VIA', 'children.connect_via', text],
  ['FORGE_CHILD_NETWORK', 'children.network', nullable(text)],
  ['FORGE_REMOVE_ORPHANS', 'children.remove_orphans', bool],
  ['FORGE_STOP_CHILDREN_ON_SHUTDOWN', 'children.stop_on_shutdown', bool],
  ['FORGE_ALLOWED_HOST_ROOTS', 'children.allowed_host_roots', list],
  ['FORGE_HOST_PATH_MAP', 'children.host_path_map', labels],
  ['FORGE_CHILD_UID', 'children.uid', int],
  ['FORGE_CHILD_LOG_MAX_SIZE', 'children.log_max_size', text],
  ['FORGE_CHILD_LOG_MAX_FILES', 'children.log_max_files', int],
  ['FORGE_CHILD_ALLOWED_HOSTS', 'children.allowed_hosts', list],
  ['FORGE_CHILD_REQUIRE_TOKEN', 'children.require_token', bool],
  ['FORGE_CHILD_MAX_SESSIONS', 'children.max_sessions', int],
  ['FORGE_CHILD_SESSION_IDLE_TIMEOUT_S', 'children.session_idle_timeout_s', nullable(num)],
  ['FORGE_CHILD_PUBLISH_PORTS', 'children.publish_ports', bool],
  ['FORGE_NODE_BASE_IMAGE', 'images.node_base', text],
  ['FORGE_CHILD_REPOSITORY', 'images.child_repository', text],
  ['FORGE_CHILD_BASE_IMAGE', 'images.child_base', text],
  ['FORGE_CHILD_REPOSITORY', 'images.child_repository', text],
  ['FORGE_DEFAULT_CPU_LIMIT', 'resources.default_cpu_limit', nullable(num)],
  ['FORGE_DEFAULT_MEMORY_LIMIT', 'resources.default_memory_limit', nullable(int)],
  ['FORGE_DEFAULT_MEMORY_PERCENT', 'resources.default_memory_percent', nullable(num)],
  ['FORGE_DEFAULT_IO_READ_BYTES', 'resources.default_io_read_bytes', nullable(int)],
  ['FORGE_DEFAULT_IO_WRITE_BYTES', 'resources.default_io_write_bytes', nullable(int)],
  ['FORGE_DEFAULT_CONNECTIONS', 'resources.default_connections', nullable(int)],
  ['FORGE_DATA_DIR', 'storage.data_dir', text],
  ['FORGE_TEMPLATES_DIR', 'templates.dir', nullable(text)],
  ['FORGE_TEMPLATES_ALLOWED_DIRS', 'templates.allowed_dirs', list],
  ['FORGE_DOCKER_SOCKET', 'docker.socket_path', text],
  ['FORGE_EXTRA_LABELS', 'docker.extra_labels', labels],
  ['FORGE_RUNTIME', 'runtime.kind', text],
  ['FORGE_RUNTIME_REGISTRY', 'runtime.registry', nullable(text)],
  ['FORGE_RUNTIME_PLACEMENT', 'runtime.placement', list],
  ['FORGE_RUNTIME_NODE_ENGINES', 'runtime.node_engines', labels],
  ['FORGE_MAX_BODY_BYTES', 'server.max_body_bytes', int],
  ['FORGE_AUTH_TOKEN', 'auth.admin_token', nullable(text)],
  ['FORGE_AUTH_TOKENS', 'auth.tokens', tokens],
  ['FORGE_METRICS_PUBLIC', 'auth.metrics_public', bool],
  ['FORGE_MAX_SERVERS', 'quotas.max_servers', nullable(int)],
  ['FORGE_MAX_SERVERS_PER_TOKEN', 'quotas.max_servers_per_token', nullable(int)],
  ['FORGE_MAX_RUNNING', 'quotas.max_running', nullable(int)],
  ['FORGE_CREATES_PER_MINUTE', 'quotas.creates_per_minute_per_token', nullable(int)],
  ['FORGE_MONITOR_ENABLED', 'monitor.enabled', bool],
  ['FORGE_MONITOR_HISTORY_INTERVAL_S', 'monitor.history_interval_s', num],
  ['FORGE_MONITOR_HISTORY_RETENTION_S', 'monitor.history_retention_s', num],
  ['FORGE_MONITOR_ALERTS_MAX', 'monitor.alerts_max', int],
  ['FORGE_MONITOR_ALERT_THRESHOLD_PERCENT', 'monitor.alert_threshold_percent', num],
  ['FORGE_MONITOR_ALERT_COOLDOWN_S', 'monitor.alert_cooldown_s', num],
  ['FORGE_MONITOR_CRASH_LOOP_RESTARTS', 'monitor.crash_loop_restarts', int],
  ['FORGE_MONITOR_CRASH_LOOP_WINDOW_S', 'monitor.crash_loop_window_s', num],
  ['FORGE_MONITOR_CONNECTIONS_INTERVAL_S', 'monitor.connections_interval_s', num],
  ['FORGE_MONITOR_REATTACH_MAX_BACKOFF_S', 'monitor.reattach_max_backoff_s', num],
  ['FORGE_MONITOR_RESYNC_INTERVAL_S', 'monitor.resync_interval_s', num],
  ['FORGE_NPM_REGISTRY', 'sources.npm_registry', nullable(text)],
  ['FORGE_NPM_CA_FILE', 'sources.npm_ca_file', nullable(text)],
  ['FORGE_NPM_ALLOW_SCRIPTS', 'sources.npm_allow_scripts', bool],
  ['FORGE_IMAGES_ALLOW_ROOT', 'sources.images_allow_root', bool],
  ['FORGE_SECRETS_KEY', 'sources.secrets_key', nullable(text)],
  ['FORGE_SCALING_ENABLED', 'scaling.enabled', bool],
  ['FORGE_SCALING_INTERVAL_S', 'scaling.interval_s', num],
  ['FORGE_SCALING_WINDOW_S', 'scaling.window_s', num],
  ['FORGE_SCALING_MIN_POINTS', 'scaling.min_points', int],
  ['FORGE_SCALING_EVENTS_MAX', 'scaling.events_max', int],
  ['FORGE_GATEWAY_INCLUDE_CHILDREN', 'gateway.include_children', bool],
];

/** Writes each set variable's parsed value into `target` at its config path. */
export function applyEnvOverrides(target: Record<string, any>, env: NodeJS.ProcessEnv): string[] {
  const applied: string[] = [];
  for (const [name, keyPath, parse] of ENV_OVERRIDES) {
    const raw = env[name];
    if (raw === undefined) continue;
    const [section, key] = keyPath.split('.') as [string, string];
    target[section] = { ...(target[section] ?? {}), [key]: parse(raw) };
    applied.push(name);
  }
  return applied;
}
