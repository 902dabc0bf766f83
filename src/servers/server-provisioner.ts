import type { ForgeConfig } from '../config/forge-config.js';
import { ForgeError } from '../errors/forge-error.js';
import type { Logger } from '../logging/logger.js';
import type { CapabilityCatalog } from '../render/capability-catalog.js';
import type { Registry } from '../registry/registry.js';
import type { ServerRecord, ServerSource, StoredCredentials } from '../registry/server-record.js';
import { RuntimeError, type ContainerRuntime } from '../runtime/container-runtime.js';
import { isOwnChild, volumeLabels } from '../runtime/labels.js';
import { ownedContainer } from './server-health.js';
import { issueCredentials, type IssuedCredentials } from './basic-credentials.js';
import type { ChildImages, EnsuredImage } from './child-images.js';
import { childUrl, containerNameFor, containerSpecFor, mcpPath } from './child-spec.js';
import type { CreateRequest } from './create-request.js';
import { defaultLimits } from './limit-rules.js';
import type { WaitStrategy } from './mcp-ready.js';
import { allocatePort } from './port-allocator.js';
import { newServerId } from './server-id.js';
import type { Quotas } from '../security/quotas.js';
import { prepareUnits, programUnits, unitRuntime, volumeNameFor, type PreparedUnits } from './server-units.js';
import { PhaseTimer } from './phase-timer.js';
import type { ServerSources } from '../sources/server-sources.js';

const PORT_ATTEMPTS = 8;

/** A new server, and the credentials issued for it (shown this once; the registry keeps a hash). */
export interface CreatedServer {
  record: ServerRecord;
  credentials: IssuedCredentials | null;
}

/** Turns a create request into a registered, running, MCP-ready child; undoes everything on failure. */
export class ServerProvisioner {
  /** Ports Docker refused (held by something outside the registry): skipped by later allocations. */
  private readonly refusedPorts = new Set<number>();

  constructor(
    private readonly config: ForgeConfig,
    private readonly registry: Registry,
    private readonly runtime: ContainerRuntime,
    private readonly images: ChildImages,
    private readonly wait: WaitStrategy,
    private readonly catalog: CapabilityCatalog,
    private readonly quotas: Quotas,
    private readonly log: Logger,
    private readonly sources: ServerSources,
  ) {}

  /**
   * `reuse.credentials`: a server that needs credentials gets these (a stored hash) instead of new
   * ones, so clones of a scaling group's member answer the same credentials; none are issued then.
   */
  async create(
    request: CreateRequest,
    owner: string,
    onProgress?: (line: string) => void,
    reuse: { credentials?: StoredCredentials | null } = {},
  ): Promise<CreatedServer> {
    const timer = new PhaseTimer();
    const prepared = await prepareUnits(request, this.catalog, this.config);
    const source = request.source ? await this.sources.prepare(request.source, onProgress) : null;
    const { record, credentials } = await this.register(request, prepared, owner, reuse.credentials ?? null, source);
    timer.lap('register');
    try {
      if (source) await this.sources.saveSecrets(record.id, request.secrets);
      const image = await this.imageFor(record, onProgress, timer);
      const withImage = (await this.registry.update(record.id, { image: image.tag }))!;
      const launched = await this.launch(withImage, credentials?.authorization, timer);
      const ready = (await this.registry.update(record.id, { ...launched, phase: 'ready', status: 'running', error: null }))!;
      timer.lap('register');
      this.log.debug({ server_id: record.id, built: image.built, phases_ms: timer.ms }, 'create_server phases');
      return { record: ready, credentials };
    } catch (err) {
      await this.removeOwnContainer(record).catch(() => undefined);
      if (record.volume) await this.runtime.volumes.remove(record.volume).catch(() => undefined);
      await this.sources.forget(record.id).catch(() => undefined);
      await this.registry.remove(record.id);
      throw err;
    }
  }

  /** A container for the record again (after it was removed outside the forge, or a crash mid-create); its data volume is reused. */
  async recreate(record: ServerRecord): Promise<void> {
    const image = await this.imageFor(record);
    const withImage = (await this.registry.update(record.id, { image: image.tag }))!;
    const launched = await this.launch(withImage);
    await this.registry.update(record.id, { ...launched, phase: 'ready', status: 'running', error: null });
  }

  /** A forged program's image, or a bring-your-own source's. */
  private imageFor(record: ServerRecord, onProgress?: (line: string) => void, timer?: PhaseTimer): Promise<EnsuredImage> {
    if (record.source) return this.sources.ensureImage(record.source, onProgress, timer);
    return this.images.ensure({ capabilities: programUnits(record, this.catalog) }, onProgress, timer);
  }

  /** A server's secrets (for clones of a scaling group's member); empty when it has none. */
  secretsOf(serverId: string): Promise<Record<string, string>> {
    return this.sources.secretsOf(serverId);
  }

  /** Deletes what the forge keeps for a server outside the registry (its encrypted secrets). */
  forget(serverId: string): Promise<void> {
    return this.sources.forget(serverId);
  }

  /** Removes the container named for `record` only if it carries the record's id and this forge's instance. */
  async removeOwnContainer(record: ServerRecord): Promise<boolean> {
    const existing = await ownedContainer(this.runtime, record, this.registry.instanceId);
    if (!existing) return false;
    await this.runtime.containers.remove(existing.id);
    return true;
  }

  /** Writes the entry first (phase `creating`), so a crash from here on is visible at the next start-up. */
  private register(
    request: CreateRequest,
    prepared: PreparedUnits,
    owner: string,
    reused: StoredCredentials | null,
    source: ServerSource | null,
  ): Promise<CreatedServer> {
    return this.registry.lock.run(async () => {
      if (request.name && this.registry.findByName(request.name)) {
        throw ForgeError.invalid(`a server named "${request.name}" already exists`);
      }
      this.quotas.checkNewServer(owner);
      const id = newServerId((candidate) => !!this.registry.get(candidate) || !!this.registry.findByName(candidate));
      const name = request.name ?? id;
      const issued = !prepared.credentials ? null : reused ? { stored: reused, issued: null } : await issueCredentials(name);
      const now = new Date().toISOString();
      const record: ServerRecord = {
        id,
        name,
        description: request.description,
        capabilities: request.capabilities,
        handlers: request.handlers,
        options: prepared.options,
        volume: prepared.volume ? volumeNameFor(id) : null,
        credentials: issued?.stored ?? null,
        ...(source ? { source, secret_names: Object.keys(request.secrets).sort() } : {}),
        port: await this.nextPort(),
        container_name: containerNameFor(name),
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
      await this.registry.insert(record);
      return { record, credentials: issued?.issued ?? null };
    });
  }

  /**
   * Creates and starts the record's container (and its data volume, if missing) and waits for
   * MCP. A port Docker refuses is replaced; if the child never gets ready its container is
   * removed and the error carries its last stderr lines. `authorization` is known only at creation.
   */
  async launch(record: ServerRecord, authorization?: string, timer?: PhaseTimer): Promise<Pick<ServerRecord, 'container_id' | 'port'>> {
    let current = record;
    const instance = this.registry.instanceId;
    if (record.volume) await this.runtime.volumes.ensure(record.volume, volumeLabels(instance, record, this.config.docker.extra_labels));
    for (let attempt = 1; ; attempt++) {
      await this.clearStale(current);
      const units = unitRuntime(current, this.catalog);
      const env = { ...units.env, ...(await this.sources.runtimeEnv(current)) };
      const id = await this.runtime.containers.create(containerSpecFor(current, this.config, instance, { ...units, env }));
      timer?.lap('create');
      try {
        await this.runtime.containers.start(id);
        timer?.lap('start');
      } catch (err) {
        await this.runtime.containers.remove(id);
        if (!(err instanceof RuntimeError && err.reason === 'port_in_use') || attempt >= PORT_ATTEMPTS) throw err;
        this.refusedPorts.add(current.port);
        this.log.warn({ server_id: current.id, port: current.port }, 'host port taken outside the forge; choosing another');
        current = (await this.registry.lock.run(async () => this.registry.update(current.id, { port: await this.nextPort() })))!;
        continue;
      }
      await this.registry.update(current.id, { container_id: id });
      await this.awaitReady(current, id, authorization);
      timer?.lap('ready');
      return { container_id: id, port: current.port };
    }
  }

  /**
   * Waits for MCP; on failure removes the container and rethrows with the child's last stderr
   * lines. A child guarded by credentials the forge no longer knows counts as ready once it
   * challenges for them.
   */
  async awaitReady(record: ServerRecord, containerId: string, authorization?: string): Promise<void> {
    const timeoutMs = this.config.children.ready_timeout_s * 1000;
    const target = { url: childUrl(record, this.config), path: mcpPath(record), containerId, guarded: !!record.credentials, authorization };
    try {
      await this.wait.waitUntilReady(target, timeoutMs);
    } catch (err) {
      const logs = await this.runtime.containers.logs(containerId, 20).catch(() => ({ stdout: [], stderr: [] }));
      await this.runtime.containers.remove(containerId);
      const stderr = logs.stderr.slice(-10).join('\n') || '(empty)';
      throw new ForgeError('server_error', `server ${record.name} did not become ready: ${(err as Error).message}; last stderr lines:\n${stderr}`);
    }
  }

  /** Removes a leftover container with this record's name, if it is this record's; refuses a stranger's. */
  private async clearStale(record: ServerRecord) {
    const existing = await this.runtime.containers.inspect(record.container_name);
    if (!existing) return;
    if (!isOwnChild(existing.labels, record.id, this.registry.instanceId)) {
      throw ForgeError.invalid(`container name ${record.container_name} is taken by a container this forge does not own`);
    }
    await this.runtime.containers.remove(existing.id);
  }

  /** Call under the registry lock. */
  private async nextPort(): Promise<number> {
    const { port_range_start: start, port_range_end: end } = this.config.children;
    // Ports other containers publish (another forge's children, say) are skipped up front; the
    // refused set covers ports held outside Docker, which only a failed start reveals.
    const published = await this.runtime.containers.publishedPorts();
    return allocatePort({ start, end }, [...this.registry.list().map((s) => s.port), ...published], this.refusedPorts);
  }
}
