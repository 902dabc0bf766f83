import type { ForgeConfig } from '../config/forge-config.js';
import type { Registry } from '../registry/registry.js';
import type { ServerRecord } from '../registry/server-record.js';
import { childUrl } from '../servers/child-spec.js';
import { ProxyRefusal, type ProxyTarget, type ProxyTargets } from './proxy-target.js';

/** The headers with which the forge admits itself to a child (its credential, when it has one). */
export type ChildHeaders = (record: ServerRecord) => Record<string, string>;

/** Proxy targets read from the registry: a server is a target while it runs and is not being made or removed. */
export class RegistryTargets implements ProxyTargets {
  constructor(
    private readonly registry: Registry,
    private readonly config: ForgeConfig,
    private readonly childHeaders: ChildHeaders,
    /** Members the gateway is draining (scale-down): a new group session never goes to one. */
    private readonly isDraining: (serverId: string) => boolean = () => false,
  ) {}

  server(ref: string): ProxyTarget {
    const record = this.registry.get(ref) ?? this.registry.findByName(ref);
    if (!record) throw new ProxyRefusal(404, `no server with id or name "${ref}"`);
    if (!this.takesWork(record)) throw new ProxyRefusal(409, `server "${record.name}" is ${record.phase === 'ready' ? record.status : record.phase}, not running`);
    return this.target(record);
  }

  members(group: string): ProxyTarget[] {
    const found = this.registry.groups.get(group);
    if (!found) throw new ProxyRefusal(404, `no auto-scaling group named "${group}"`);
    return found.servers.flatMap((id) => {
      const record = this.registry.get(id);
      return record && this.takesWork(record) && !this.isDraining(id) ? [this.target(record)] : [];
    });
  }

  private takesWork(record: ServerRecord): boolean {
    return record.phase === 'ready' && record.status === 'running';
  }

  private target(record: ServerRecord): ProxyTarget {
    return { serverId: record.id, name: record.name, url: childUrl(record, this.config), headers: this.childHeaders(record) };
  }
}
