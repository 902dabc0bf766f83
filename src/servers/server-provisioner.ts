import type { ForgeConfig } from '../config/forge-config.js';
import { ForgeError } from '../errors/forge-error.js';
import type { Logger } from '../logging/logger.js';
import type { CapabilityCatalog } from '../render/capability-catalog.js';
import type { Registry } from '../registry/registry.js';
import type { ServerRecord, ServerSource, StoredCredentials } from '../registry/server-record.js';
import { RuntimeError, type Runtime } from '../runtime/runtime.js';
import { isOwnChild, volumeLabels } from '../runtime/labels.js';
import { ownedContainer } from './server-health.js';
import type { ChildImages, EnsuredImage } from './child-images.js';
import { childNetworkOf, childUrl, containerSpecFor, mcpPath } from './child-spec.js';
import { childAuthHeaders } from './child-auth-headers.js';
import { followHostAddress } from './child-address.js';
import type { CreateRequest } from './create-request.js';
import type { WaitStrategy } from './mcp-ready.js';
import type { Quotas } from '../security/quotas.js';
import { checkRecordFolders, needsEgress, prepareUnits, programUnits, unitRuntime, volumeNameFor, type PreparedUnits } from './server-units.js';
import { learnChildAddress } from './child-addresses.js';
import { PhaseTimer } from './phase-timer.js';
import { ServerRegistration, type Registration } from './server-registration.js';
import type { ServerSources } from '../sources/server-sources.js';

const PORT_ATTEMPTS = 8;

/** What happens to a container that misses ready_timeout_s: a create's is removed, a start's is kept, stopped. */
export type NotReadyAction = 'remove' | 'stop';

/** A new server, and the credentials issued for it (shown this once; the registry keeps a hash). */
export type CreatedServer = Registration;

/** Stored credentials a clone takes over from the server it copies, so it answers the same ones. */
export interface ReusedCredentials {
  credentials?: StoredCredentials | null;
  /** `sha256:<hex>` of the original's bearer token. */
  token_hash?: string | null;
}

/** Turns a create request into a registered, running, MCP-ready child; undoes everything on failure. */
export class ServerProvisioner {
  /** Ports the engine refused (held by something outside the registry): skipped by later allocations. */
  private readonly refusedPorts = new Set<number>();
  private readonly registration: ServerRegistration;

  constructor(
    private readonly config: ForgeConfig,
    private readonly registry: Registry,
    private readonly runtime: Runtime,
    private readonly images: ChildImages,
    private readonly wait: WaitStrategy,
    private readonly catalog: CapabilityCatalog,
    quotas: Quotas,
    private readonly log: Logger,
    private readonly sources: ServerSources,
  ) {
    this.registration = new ServerRegistration(config, registry, runtime, quotas, this.refusedPorts);
  }

  /**
   * `reuse`: a server that needs credentials (or a token) gets these stored hashes instead of new
   * ones, so clones of a scaling group's member answer the same credentials; none are issued then.
   */
  async create(
    request: CreateRequest,
    owner: string,
    onProgress?: (line: string) => void,
    reuse: ReusedCredentials = {},
  ): Promise<CreatedServer> {
    const timer = new PhaseTimer();
    const prepared = await prepareUnits(request, this.catalog, this.config, this.runtime);
    const source = request.source ? await this.sources.prepare({ ...request.source, folders: prepared.folders }, onProgress) : null;
    const { record, credentials, token } = await this.registration.register(request, prepared, owner, reuse, source);
    timer.lap('register');
    try {
      if (source) await this.sources.saveSecrets(record.id, request.secrets);
      const image = await this.imageFor(record, onProgress, timer);
      // Written once more, when ready: a crash before that leaves the entry `creating`, and reconciliation
      // finds its container by label (the image and child id are the engine's to tell then).
      const launched = await this.launch({ ...record, image: image.tag }, timer);
      const ready = (await this.registry.update(record.id, { ...launched, image: image.tag, phase: 'ready', status: 'running', error: null }))!;
      timer.lap('register');
      this.log.debug({ server_id: record.id, built: image.built, phases_ms: timer.ms }, 'create_server phases');
      return { record: ready, credentials, token };
    } catch (err) {
      await this.removeOwnContainer(record).catch(() => undefined);
      if (record.volume) await this.runtime.volumes.remove(record.volume).catch(() => undefined);
      await this.sources.forget(record.id).catch(() => undefined);
      await this.registry.remove(record.id);
      throw err;
    }
  }

  /**
   * A container for the record again (after it was removed outside the forge, or a crash mid-create);
   * its data volume is reused. A container that does not get ready is kept, stopped (start_server).
   */
  async recreate(record: ServerRecord): Promise<void> {
    const image = await this.imageFor(record);
    const launched = await this.launch({ ...record, image: image.tag }, undefined, 'stop');
    await this.registry.update(record.id, { ...launched, image: image.tag, phase: 'ready', status: 'running', error: null });
  }

  /** The network the record's container joins (internal when its units need no route out and nothing is published). */
  networkOf(record: ServerRecord): string {
    return childNetworkOf(needsEgress(record, this.catalog), this.config, this.registry.instanceId);
  }

  /** The host folders of `record` checked again (before any container of it is created or started); their host paths. */
  checkHostFolders(record: ServerRecord): Promise<Record<string, string>> {
    return checkRecordFolders(record, this.catalog, this.config, this.runtime);
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
    await this.runtime.children.remove(existing.id);
    return true;
  }

  /**
   * Creates and starts the record's container (and its data volume, if missing) and waits for
   * MCP. A port the engine refuses is replaced; if the child never gets ready its container is
   * removed (or stopped, `notReady`) and the error carries its last stderr lines.
   */
  async launch(
    record: ServerRecord,
    timer?: PhaseTimer,
    notReady: NotReadyAction = 'remove',
  ): Promise<Pick<ServerRecord, 'container_id' | 'port'>> {
    let current = record;
    const instance = this.registry.instanceId;
    const hostPaths = await this.checkHostFolders(record);
    if (record.volume) await this.runtime.volumes.ensure(record.volume, volumeLabels(instance, record, this.config.docker.extra_labels));
    for (let attempt = 1; ; attempt++) {
      await this.clearStale(current);
      const units = unitRuntime(current, this.catalog, hostPaths);
      const env = { ...units.env, ...(await this.sources.runtimeEnv(current)) };
      const spec = containerSpecFor(current, this.config, instance, { ...units, env, egress: needsEgress(current, this.catalog) });
      // Swarm: pushed to runtime.registry and named by digest, so any node can pull it.
      const id = await this.runtime.children.deploy({ ...spec, image: await this.runtime.images.distribute(spec.image) });
      timer?.lap('create');
      try {
        await this.runtime.children.start(id);
        timer?.lap('start');
      } catch (err) {
        await this.runtime.children.remove(id);
        if (!(err instanceof RuntimeError && err.reason === 'port_in_use') || attempt >= PORT_ATTEMPTS) throw err;
        this.refusedPorts.add(current.port);
        this.log.warn({ server_id: current.id, port: current.port }, 'host port taken outside the forge; choosing another');
        current = { ...(await this.registration.reassignPort(current)), image: current.image };
        continue;
      }
      await this.awaitReady(current, id, notReady);
      timer?.lap('ready');
      return { container_id: id, port: current.port };
    }
  }

  /**
   * Waits for MCP at the address the engine reports (recorded once ready, `host_address`); on
   * failure removes the container (a create's) or stops it gracefully, keeping
   * it and its logs (a start's or restart's), and rethrows with the child's last stderr lines. The
   * forge initializes with its internal token, which every child it created accepts; a guarded
   * container from before internal tokens counts as ready once it challenges.
   */
  async awaitReady(record: ServerRecord, containerId: string, notReady: NotReadyAction = 'remove'): Promise<void> {
    const timeoutMs = this.config.children.ready_timeout_s * 1000;
    const started = await this.runtime.children.inspect(containerId);
    if (started) await learnChildAddress(this.runtime, started);
    const target = {
      url: childUrl(record, this.config),
      urlAt: (host_address: string | null) => childUrl({ ...record, host_address }, this.config),
      path: mcpPath(record),
      containerId,
      guarded: !!record.credentials || !!record.token_hash,
      headers: childAuthHeaders(record, this.config),
    };
    try {
      await this.wait.waitUntilReady(target, timeoutMs);
    } catch (err) {
      const logs = await this.runtime.children.logs(containerId, 20).catch(() => ({ stdout: [], stderr: [] }));
      if (notReady === 'remove') await this.runtime.children.remove(containerId);
      else await this.runtime.children.stop(containerId, this.config.children.stop_timeout_s).catch(() => undefined); // gone already: nothing to keep
      const stderr = logs.stderr.slice(-10).join('\n') || '(empty)';
      throw new ForgeError('server_error', `server ${record.name} did not become ready: ${(err as Error).message}; last stderr lines:\n${stderr}`);
    }
    await followHostAddress(this.registry, record.id, await this.runtime.children.inspect(containerId).catch(() => null), this.log);
  }

  /** Removes a leftover container with this record's name, if it is this record's; refuses a stranger's. */
  private async clearStale(record: ServerRecord) {
    const existing = await this.runtime.children.inspect(record.container_name);
    if (!existing) return;
    if (!isOwnChild(existing.labels, record.id, this.registry.instanceId)) {
      throw ForgeError.invalid(`container name ${record.container_name} is taken by a container this forge does not own`);
    }
    await this.runtime.children.remove(existing.id);
  }
}
