import type { ForgeConfig } from '../config/forge-config.js';
import type { ChildSpec, Mount } from '../runtime/runtime.js';
import { childLabels } from '../runtime/labels.js';
import type { ServerRecord } from '../registry/server-record.js';
import { limitsOf, toResourceLimits } from './limit-rules.js';
import { internalTokenHash } from './child-auth-headers.js';
import { childDigest } from './child-token.js';
import { childAddress } from './child-addresses.js';

/**
 * The container for a registry record. Identity, description and the units' per-server data
 * travel as environment data and mounts (never rendered into code), so servers with the same
 * program share one image.
 */
export function containerSpecFor(
  record: ServerRecord,
  config: ForgeConfig,
  instanceId: string,
  units: { env: Record<string, string>; mounts: Mount[]; egress: boolean },
): ChildSpec {
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
      FORGE_SESSION_IDLE_S: String(config.children.session_idle_timeout_s ?? config.server.session_idle_timeout_s),
      PORT: String(containerPort),
      FORGE_STORE_MAX_KEYS: String(config.children.store_max_keys),
      FORGE_STORE_MAX_BYTES: String(config.children.store_max_bytes),
      FORGE_MAX_SESSIONS: String(config.children.max_sessions),
      FORGE_ALLOWED_HOSTS: JSON.stringify(allowedHostsOf(record, config)),
      // Hashes only: the child can check a token but never learns one.
      FORGE_TOKEN_HASHES: [internalTokenHash(record, config), ...(record.token_hash ? [record.token_hash] : [])].map(childDigest).join(','),
      // Which of them is the forge's own: its sessions count neither toward the cap nor as connections.
      FORGE_INTERNAL_TOKEN_HASH: childDigest(internalTokenHash(record, config)),
      ...(record.token_hash ? { FORGE_REQUIRE_TOKEN: '1' } : {}),
    },
    ...(record.source?.type === 'image' && record.source.transport === 'http' && record.source.args.length ? { cmd: record.source.args } : {}),
    containerPort,
    hostIp: config.children.host_ip,
    hostPort: record.port,
    publish: config.children.publish_ports,
    restartPolicy: config.children.restart_policy,
    stopTimeoutS: config.children.stop_timeout_s,
    limits: toResourceLimits(limitsOf(record)),
    network: childNetworkOf(units.egress, config, instanceId),
    hardening: { user: record.source?.type === 'image' ? record.source.user : `${config.children.uid}:${config.children.uid}`, pidsLimit: config.children.pids_limit, tmpSizeBytes: config.children.tmp_size_mb * 1024 * 1024 },
    mounts: units.mounts,
    logRotation: { maxSize: config.children.log_max_size, maxFiles: config.children.log_max_files },
  };
}

/**
 * The Host values a child accepts (and the hosts its Origins may name): its published address,
 * loopback on the published port, its name on the forge's network with the container port, and
 * children.allowed_hosts. A wildcard bind (0.0.0.0, ::) names no host: configure the names.
 */
export function allowedHostsOf(record: Pick<ServerRecord, 'container_name' | 'port'>, config: ForgeConfig): string[] {
  const hosts = new Set<string>();
  if (config.children.publish_ports) {
    for (const name of ['127.0.0.1', 'localhost', '[::1]']) hosts.add(`${name}:${record.port}`);
    const ip = config.children.host_ip;
    if (ip !== '0.0.0.0' && ip !== '::') hosts.add(`${ip.includes(':') ? `[${ip}]` : ip}:${record.port}`);
  }
  hosts.add(`${record.container_name}:${config.children.container_port}`);
  for (const name of config.children.allowed_hosts) hosts.add(name);
  return [...hosts];
}

/**
 * Where the forge reaches a child: on the shared network, its learned address (a forge on the
 * host) or its name; else its published port at the address the engine reported for it
 * (`host_address`: the task's node on swarm), else on `children.host_ip` (a wildcard bind is
 * reached through loopback).
 */
export function childUrl(record: Pick<ServerRecord, 'container_name' | 'port' | 'host_address' | 'source'>, config: ForgeConfig): string {
  if (config.children.connect_via === 'network') {
    const address = childAddress(record.container_name);
    const host = address === undefined ? record.container_name : address.includes(':') ? `[${address}]` : address;
    return `http://${host}:${containerPortOf(record, config)}`;
  }
  const ip = record.host_address || config.children.host_ip;
  const host = ip === '0.0.0.0' ? '127.0.0.1' : ip === '::' ? '[::1]' : ip.includes(':') ? `[${ip}]` : ip;
  return `http://${host}:${record.port}`;
}

/** The network children join: the configured one, or one of this forge's own. */
export function childNetwork(config: ForgeConfig, instanceId: string): string {
  return config.children.network ?? `mcp-forge-${instanceId}`;
}

/**
 * The network children with no route out join: only where nothing is published (children are
 * reached through the forge, `children.publish_ports` false); Docker publishes no port from it.
 */
export function internalNetwork(config: ForgeConfig, instanceId: string): string | null {
  return config.children.publish_ports ? null : `${childNetwork(config, instanceId)}-internal`;
}

/** The network a child joins: the internal one when it needs no route out and there is one. */
export function childNetworkOf(egress: boolean, config: ForgeConfig, instanceId: string): string {
  return (!egress && internalNetwork(config, instanceId)) || childNetwork(config, instanceId);
}

export const containerNameFor = (name: string) => `mcp-forge-${name}`;

/** The port the child serves on inside its container: an http image's own, or the forge's. */
export function containerPortOf(record: Pick<ServerRecord, 'source'>, config: ForgeConfig): number {
  return record.source?.type === 'image' && record.source.port !== null ? record.source.port : config.children.container_port;
}

/** The path a child serves Streamable HTTP on. */
export function mcpPath(record: ServerRecord): string {
  return record.source?.type === 'image' && record.source.transport === 'http' ? record.source.path : '/mcp';
}
