import { ForgeError } from '../errors/forge-error.js';
import type { Logger } from '../logging/logger.js';
import type { KeyedLock } from '../registry/keyed-lock.js';
import type { Registry } from '../registry/registry.js';
import type { LimitSet, ServerRecord } from '../registry/server-record.js';
import { RuntimeError, type Runtime } from '../runtime/runtime.js';
import { checkLimit, ENFORCED_LIMITS, limitsOf, toResourceLimits, type LimitName } from './limit-rules.js';
import { ownedContainer } from './server-health.js';
import type { ServerQueries } from './server-queries.js';

/** What set_resource_limit did. */
export interface LimitChange {
  record: ServerRecord;
  name: LimitName;
  value: number | null;
  /** True when the child (running or stopped) got the new limit right away. */
  applied: boolean;
  /**
   * True when the engine replaced the child to apply it (swarm: a new task; its sessions are
   * gone); false when the limit changed in place (docker: live cgroup update) or was only stored.
   */
  restarted: boolean;
}

/**
 * Reads and changes a server's limits. Enforced ones (CPU, memory) go to the existing child
 * through the runtime (in place, or by replacing it, as the engine does it) before the registry
 * is written, so a refused value changes nothing; re-created children get them from the registry.
 */
export class ServerLimits {
  constructor(
    private readonly registry: Registry,
    private readonly runtime: Runtime,
    private readonly queries: ServerQueries,
    private readonly perServer: KeyedLock,
    private readonly log: Logger,
  ) {}

  get(ref: string): { record: ServerRecord; limits: LimitSet } {
    const record = this.queries.resolve(ref);
    return { record, limits: limitsOf(record) };
  }

  async set(ref: string, rawName: string, rawValue: unknown): Promise<LimitChange> {
    const id = this.queries.resolve(ref).id;
    const { name, value } = checkLimit(rawName, rawValue, await this.runtime.host());
    return this.perServer.run(id, async () => {
      const record = this.registry.get(id);
      if (!record) throw ForgeError.notFound(`server ${ref} was deleted`);
      // A create or delete under way holds its own copy of the record: a limit set now would be lost.
      if (record.phase !== 'ready') throw ForgeError.invalid(`server ${record.name} is being ${record.phase === 'creating' ? 'created' : 'deleted'}`);
      const before = limitsOf(record);
      const after: LimitSet = { ...before, [name]: value };
      const container = ENFORCED_LIMITS.includes(name) ? await ownedContainer(this.runtime, record, this.registry.instanceId) : null;
      const restarted = container ? (await this.apply(container.id, after, name)).restarted : false;
      try {
        const updated = (await this.registry.update(id, { limits: after }))!;
        this.log.info({ server_id: id, limit: name, value, applied: !!container, restarted }, 'resource limit set');
        return { record: updated, name, value, applied: !!container, restarted };
      } catch (err) {
        if (container) await this.runtime.children.updateLimits(container.id, toResourceLimits(before)).catch(() => undefined);
        throw err;
      }
    });
  }

  /** A value the engine or the kernel refuses (below what the child uses now, say) is the caller's to fix. */
  private async apply(childId: string, limits: LimitSet, name: LimitName): Promise<{ restarted: boolean }> {
    try {
      return await this.runtime.children.updateLimits(childId, toResourceLimits(limits));
    } catch (err) {
      if (err instanceof RuntimeError && (err.reason === 'failed' || err.reason === 'conflict')) {
        throw new ForgeError('invalid_request', `the ${this.runtime.kind} engine refused ${name}: ${err.message}`, { cause: err });
      }
      throw err;
    }
  }
}
