import type { Registry } from '../registry/registry.js';
import type { ServerRecord } from '../registry/server-record.js';

/** What the gateway exposes under one prefix: a server, or an auto-scaling group with its members. */
export interface Target {
  prefix: string;
  kind: 'server' | 'group';
  /** Members that may take new work: running, ready and not being removed or drained. */
  members: ServerRecord[];
}

/** A server that has finished being created, is running and is not being deleted. */
export const isServing = (record: ServerRecord) => record.phase === 'ready' && record.status === 'running' && !!record.container_id;

/**
 * Every group once (by its name) and every server outside a group (by its own name). A
 * server named like a group is left out: the group's name is the one clients know.
 */
export function currentTargets(registry: Registry, excluded: (record: ServerRecord) => boolean): Target[] {
  const records = new Map(registry.list().map((r) => [r.id, r]));
  const eligible = (r: ServerRecord | undefined): r is ServerRecord => !!r && isServing(r) && !excluded(r);
  const targets: Target[] = [];
  const grouped = new Set<string>();
  for (const group of registry.groups.list()) {
    for (const id of group.servers) grouped.add(id);
    targets.push({ prefix: group.name, kind: 'group', members: group.servers.map((id) => records.get(id)).filter(eligible) });
  }
  const taken = new Set(targets.map((t) => t.prefix));
  for (const record of records.values()) {
    if (grouped.has(record.id) || taken.has(record.name)) continue;
    targets.push({ prefix: record.name, kind: 'server', members: eligible(record) ? [record] : [] });
  }
  return targets.sort((a, b) => a.prefix.localeCompare(b.prefix));
}
