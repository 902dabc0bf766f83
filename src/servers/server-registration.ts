import type { ForgeConfig } from '../config/forge-config.js';
import { ForgeError } from '../errors/forge-error.js';
import type { Registry } from '../registry/registry.js';
import type { ServerRecord, ServerSource } from '../registry/server-record.js';
import type { Runtime } from '../runtime/runtime.js';
import type { Quotas } from '../security/quotas.js';
import { issueCredentials, type IssuedCredentials } from './basic-credentials.js';
import { containerNameFor } from './child-spec.js';
import { issueChildToken } from './child-token.js';
import type { CreateRequest } from './create-request.js';
import { defaultLimits } from './limit-rules.js';
import { allocatePort } from './port-allocator.js';
import { newServerId } from './server-id.js';
import type { ReusedCredentials } from './server-provisioner.js';
import { volumeNameFor, type PreparedUnits } from './server-units.js';

/** A registered server (phase `creating`) and the credentials issued for it, if any (shown once). */
export interface Registration {
  record: ServerRecord;
  credentials: IssuedCredentials | null;
  /** The child's bearer token (children.require_token), or null. */
  token: string | null;
}

/**
 * Registers new servers. What is slow (the credentials' scrypt, Docker's list of published ports)
 * is planned outside the one registry lock; under it only the checks, the port choice and a single
 * write of the entry, so concurrent creates do not queue behind each other's hashing and listing.
 */
export class ServerRegistration {
  constructor(
    private readonly config: ForgeConfig,
    private readonly registry: Registry,
    private readonly runtime: Runtime,
    private readonly quotas: Quotas,
    /** Ports Docker refused (held by something outside the registry): skipped by later allocations. */
    private readonly refusedPorts: ReadonlySet<number>,
  ) {}

  /** Writes the entry (phase `creating`) before Docker is touched, so a crash from here on is visible at the next start-up. */
  async register(request: CreateRequest, prepared: PreparedUnits, owner: string, reuse: ReusedCredentials = {}, source: ServerSource | null = null): Promise<Registration> {
    const reused = reuse.credentials ?? null;
    for (;;) {
      // Checked here to fail before the costly plan, and again under the lock, where they count.
      if (request.name) this.checkNameFree(request.name);
      this.quotas.checkNewServer(owner);
      const id = newServerId((candidate) => candidate === request.name || this.taken(candidate));
      const name = request.name ?? id;
      const issued = !prepared.credentials ? null : reused ? { stored: reused, issued: null } : await issueCredentials(name);
      // A clone keeps its original's token; a new server gets one while children.require_token is on.
      const token = reuse.token_hash !== undefined ? null : this.config.children.require_token ? issueChildToken() : null;
      const tokenHash = reuse.token_hash !== undefined ? reuse.token_hash : (token?.hash ?? null);
      const published = await this.runtime.children.publishedPorts();
      const record = await this.registry.lock.run(async () => {
        if (request.name) this.checkNameFree(request.name);
        this.quotas.checkNewServer(owner);
        // Taken while the plan was made (a 1 in 36^6 chance): plan again, as the id may be the name the credentials carry.
        if (this.taken(id)) return null;
        const record = this.newRecord(request, prepared, owner, source, { id, name, credentials: issued?.stored ?? null, token_hash: tokenHash, port: this.freePort(published) });
        await this.registry.insert(record);
        return record;
      });
      if (record) return { record, credentials: issued?.issued ?? null, token: token?.token ?? null };
    }
  }

  /** Another port for a server whose port Docker refused (the caller added it to the refused ports). */
  async reassignPort(record: ServerRecord): Promise<ServerRecord> {
    const published = await this.runtime.children.publishedPorts();
    return (await this.registry.lock.run(() => this.registry.update(record.id, { port: this.freePort(published) })))!;
  }

  /** Ids and names resolve in one namespace (server_id takes either): a name may be neither. */
  private checkNameFree(name: string) {
    if (this.registry.findByName(name)) throw ForgeError.invalid(`a server named "${name}" already exists`);
    const owner = this.registry.get(name);
    if (owner) throw ForgeError.invalid(`"${name}" is already the id of server ${owner.name}; choose another name`);
  }

  private taken(idOrName: string): boolean {
    return !!this.registry.get(idOrName) || !!this.registry.findByName(idOrName);
  }

  /**
   * Call under the registry lock. Ports other containers publish (another forge's children, say) are
   * skipped up front; the refused set covers ports held outside Docker, which only a failed start reveals.
   */
  private freePort(published: number[]): number {
    const { port_range_start: start, port_range_end: end } = this.config.children;
    return allocatePort({ start, end }, [...this.registry.list().map((s) => s.port), ...published], this.refusedPorts);
  }

  private newRecord(
    request: CreateRequest,
    prepared: PreparedUnits,
    owner: string,
    source: ServerSource | null,
    planned: Pick<ServerRecord, 'id' | 'name' | 'credentials' | 'token_hash' | 'port'>,
  ): ServerRecord {
    const now = new Date().toISOString();
    return {
      ...planned,
      ...(source ? { source, secret_names: Object.keys(request.secrets).sort() } : {}),
      description: request.description,
      capabilities: request.capabilities,
      handlers: request.handlers,
      options: prepared.options,
      volume: prepared.volume ? volumeNameFor(planned.id) : null,
      container_name: containerNameFor(planned.name),
      container_id: null,
      image: null,
      phase: 'creating',
      desired: 'running',
      status: 'initialized',
      error: null,
      limits: defaultLimits(this.config.resources),
      manual_restarts: 0,
      owner,
      created_at: now,
      updated_at: now,
    };
  }
}
