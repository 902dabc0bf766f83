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
  /** True when the running (or stopped) container got the new cgroup limit right away. */
  applied: boolean;
}

/**
 * Reads and changes a server's limits. Enforced ones (CPU, memory) go to the existing container
 * as a live cgroup update, before the registry is written, so a refused value changes nothing;
 * re-created containers get them from the registry.
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
      if (container) await this.apply(container.id, after, name);
      try {
        const updated = (await this.registry.update(id, { limits: after }))!;
        this.log.info({ server_id: id, limit: name, value, applied: !!container }, 'resource limit set');
        return { record: updated, name, value, applied: !!container };
      } catch (err) {
        if (container) await this.runtime.children.updateLimits(container.id, toResourceLimits(before)).catch(() => undefined);
        throw err;
      }
    });
  }

  /** A value Docker or the kernel refuses (below what the child uses now, say) is the caller's to fix. */
  private async apply(containerId: string, limits: LimitSet, name: LimitName) {
    try {
      await this.runtime.children.updateLimits(containerId, toResourceLimits(limits));
    } catch (err) {
      if (err instanceof RuntimeError && (err.reason === 'failed' || err.reason === 'conflict')) {
        throw new ForgeError('invalid_request', `Docker refused ${name}: ${err.message}`, { cause: err });
      }
      throw err;
    }
  }
}
