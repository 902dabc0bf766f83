import type { Logger } from '../logging/logger.js';
import type { Registry } from '../registry/registry.js';
import type { ChildInfo } from '../runtime/runtime.js';

/**
 * Writes the address the engine publishes a running child's port on into its record when it
 * differs from the one recorded (a swarm task rescheduled to another node); the gateway, the
 * proxy and the monitor read `childUrl` from the record and follow it. A child that does not
 * run says nothing about where it will run next: its record is left alone. Returns whether it wrote.
 */
export async function followHostAddress(registry: Registry, serverId: string, info: Pick<ChildInfo, 'running' | 'hostAddress'> | null, log?: Logger): Promise<boolean> {
  if (!info?.running) return false;
  const record = registry.get(serverId);
  if (!record || record.phase === 'deleting' || (record.host_address ?? null) === info.hostAddress) return false;
  await registry.update(serverId, { host_address: info.hostAddress });
  log?.info({ server_id: serverId, from: record.host_address ?? null, to: info.hostAddress }, 'child reachable at a new address');
  return true;
}
