import type { CapabilityCatalog } from '../render/capability-catalog.js';
import type { Registry } from '../registry/registry.js';
import type { GroupTemplate } from '../registry/scaling-group.js';
import type { ServerRecord } from '../registry/server-record.js';
import { toCreateRequest } from '../servers/create-request.js';
import { sourceArgsOf } from '../sources/source-args.js';
import { LIMIT_NAMES, limitsOf } from '../servers/limit-rules.js';
import type { ServerLifecycle } from '../servers/server-lifecycle.js';
import type { ServerLimits } from '../servers/server-limits.js';
import type { ServerProvisioner } from '../servers/server-provisioner.js';

/** The owner servers the scaler creates are counted under (quotas.max_servers_per_token). */
export const SCALER_OWNER = 'autoscaler';

/**
 * What the scaler does to servers, through the same provisioner, lifecycle and limits service
 * the tools use: so quotas, per-server locks and crash safety apply to it as to any caller.
 */
export class MemberOps {
  constructor(
    private readonly deps: {
      catalog: CapabilityCatalog;
      registry: Registry;
      provisioner: ServerProvisioner;
      lifecycle: ServerLifecycle;
      limits: ServerLimits;
      /** Waits for the member's calls in flight (the gateway's) to end before it is removed. */
      drain?: (serverId: string) => Promise<void>;
    },
  ) {}

  /** A new server from the template under `name` (checked against the catalog as create_server would). */
  async clone(template: GroupTemplate, name: string): Promise<ServerRecord> {
    const { description, capabilities, handlers, options } = template;
    const request = template.source
      ? toCreateRequest({ name, description, source: sourceArgsOf(template.source), secrets: await this.deps.provisioner.secretsOf(template.from_server) }, this.deps.catalog)
      : toCreateRequest({ name, description, capabilities, handlers, options }, this.deps.catalog);
    const { record } = await this.deps.provisioner.create(request, SCALER_OWNER, undefined, {
      credentials: template.credentials,
      token_hash: template.token_hash ?? null,
    });
    return record;
  }

  /** Gives the server the template's limits where its own differ; returns what could not be set. */
  async applyLimits(serverId: string, template: GroupTemplate): Promise<string[]> {
    const record = this.deps.registry.get(serverId);
    if (!record) return [];
    const current = limitsOf(record);
    const wanted = limitsOf(template);
    const refused: string[] = [];
    for (const name of LIMIT_NAMES) {
      if (current[name] === wanted[name]) continue;
      await this.deps.limits.set(serverId, name, wanted[name]).catch((err: Error) => refused.push(`${name}: ${err.message}`));
    }
    return refused;
  }

  async remove(serverId: string) {
    await this.deps.drain?.(serverId);
    return this.deps.lifecycle.delete(serverId);
  }

  restart(serverId: string) {
    return this.deps.lifecycle.restart(serverId);
  }

  /** Starts a member whose container stopped or is gone (re-creating it with the same id and port). */
  repair(serverId: string) {
    return this.deps.lifecycle.start(serverId);
  }
}
