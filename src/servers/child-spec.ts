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
  const containerPort = containerPortOf(record, config);
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
      PORT: String(containerPort),
    },
    ...(record.source?.type === 'image' && record.source.transport === 'http' && record.source.args.length ? { cmd: record.source.args } : {}),
    containerPort,
    hostIp: config.children.host_ip,
    hostPort: record.port,
    restartPolicy: config.children.restart_policy,
    stopTimeoutS: config.children.stop_timeout_s,
    limits: toResourceLimits(limitsOf(record)),
    network: childNetwork(config, instanceId),
    hardening: { user: record.source?.type === 'image' ? record.source.user : '1000:1000', pidsLimit: config.children.pids_limit, tmpSizeBytes: config.children.tmp_size_mb * 1024 * 1024 },
    mounts: units.mounts,
  };
}

/** Where the forge reaches a child: its published host port, or its name on the shared network. */
export function childUrl(record: ServerRecord, config: ForgeConfig): string {
  if (config.children.connect_via === 'network') return `http://${record.container_name}:${containerPortOf(record, config)}`;
  const ip = config.children.host_ip;
  const host = ip === '0.0.0.0' ? '127.0.0.1' : ip === '::' ? '[::1]' : ip.includes(':') ? `[${ip}]` : ip;
  return `http://${host}:${record.port}`;
}

/** The network children join: the configured one, or one of this forge's own. */
export function childNetwork(config: ForgeConfig, instanceId: string): string {
  return config.children.network ?? `mcp-forge-${instanceId}`;
}

export const containerNameFor = (name: string) => `mcp-forge-${name}`;

/** The port the child serves on inside its container: an http image's own, or the forge's. */
export function containerPortOf(record: ServerRecord, config: ForgeConfig): number {
  return record.source?.type === 'image' && record.source.port !== null ? record.source.port : config.children.container_port;
}

/** The path a child serves Streamable HTTP on. */
export function mcpPath(record: ServerRecord): string {
  return record.source?.type === 'image' && record.source.transport === 'http' ? record.source.path : '/mcp';
}
