import type { ForgeConfig } from '../config/forge-config.js';
import type { ContainerSpec, Mount } from '../runtime/container-runtime.js';
import { childLabels } from '../runtime/labels.js';
import type { ServerRecord } from '../registry/server-record.js';
import { limitsOf, toResourceLimits } from './limit-rules.js';

/**
 * The container for a registry record. Identity, description and the units' per-server data
 * travel as environment data and mounts (never rendered into code), so servers with the same
 * program share one image.
 */
export function containerSpecFor(
  record: ServerRecord,
  config: ForgeConfig,
  instanceId: string,
  units: { env: Record<string, string>; mounts: Mount[] },
): ContainerSpec {
  if (!record.image) throw new Error(`server ${record.id} has no image yet`);
  return {
    name: record.container_name,
    image: record.image,
    labels: childLabels(instanceId, record, config.docker.extra_labels),
    env: {
      ...units.env,
      FORGE_SERVER_ID: record.id,
      FORGE_SERVER_NAME: record.name,
      FORGE_SERVER_DESCRIPTION: record.description,
      FORGE_SESSION_IDLE_S: String(config.server.session_idle_timeout_s),
      PORT: String(config.children.container_port),
      FORGE_STORE_MAX_KEYS: String(config.children.store_max_keys),
      FORGE_STORE_MAX_BYTES: String(config.children.store_max_bytes),
    },
    containerPort: config.children.container_port,
    hostIp: config.children.host_ip,
    hostPort: record.port,
    restartPolicy: config.children.restart_policy,
    stopTimeoutS: config.children.stop_timeout_s,
    limits: toResourceLimits(limitsOf(record)),
    network: childNetwork(config, instanceId),
    hardening: { user: `${config.children.uid}:${config.children.uid}`, pidsLimit: config.children.pids_limit, tmpSizeBytes: config.children.tmp_size_mb * 1024 * 1024 },
    mounts: units.mounts,
    logRotation: { maxSize: config.children.log_max_size, maxFiles: config.children.log_max_files },
  };
}

/** Where the forge reaches a child: its published host port, or its name on the shared network. */
export function childUrl(record: ServerRecord, config: ForgeConfig): string {
  if (config.children.connect_via === 'network') return `http://${record.container_name}:${config.children.container_port}`;
  const ip = config.children.host_ip;
  const host = ip === '0.0.0.0' ? '127.0.0.1' : ip === '::' ? '[::1]' : ip.includes(':') ? `[${ip}]` : ip;
  return `http://${host}:${record.port}`;
}

/** The network children join: the configured one, or one of this forge's own. */
export function childNetwork(config: ForgeConfig, instanceId: string): string {
  return config.children.network ?? `mcp-forge-${instanceId}`;
}

export const containerNameFor = (name: string) => `mcp-forge-${name}`;
