import type { ForgeConfig } from '../config/forge-config.js';
import { ForgeError } from '../errors/forge-error.js';
import type { Logger } from '../logging/logger.js';
import { KeyedLock } from '../registry/keyed-lock.js';
import type { Registry } from '../registry/registry.js';
import type { ServerRecord } from '../registry/server-record.js';
import type { ChildInfo, Runtime } from '../runtime/runtime.js';
import { instanceFilter } from '../runtime/labels.js';
import { isUp } from '../runtime/child-state.js';
import { ownedContainer } from './server-health.js';
import type { ServerProvisioner } from './server-provisioner.js';
import type { ServerQueries } from './server-queries.js';
import type { Quotas } from '../security/quotas.js';

/** What start/stop/restart/delete answer (api-spec: status, message). */
export interface ActionResult {
  status: 'success' | 'warning';
  message: string;
  server_id: string;
}

/** start, stop, restart and delete on the real child, through the runtime; one operation per server at a time. */
export class ServerLifecycle {
  constructor(
    private readonly config: ForgeConfig,
    private readonly registry: Registry,
    private readonly runtime: Runtime,
    private readonly provisioner: ServerProvisioner,
    private readonly queries: ServerQueries,
    private readonly quotas: Quotas,
    private readonly log: Logger,
    /** Shared with whatever else changes one server (limits), so changes to a server never interleave. */
    private readonly perServer = new KeyedLock(),
  ) {}

  start(ref: string): Promise<ActionResult> {
    return this.withServer(ref, async (record, container) => {
      if (container?.running) return this.result('warning', `server ${record.name} is already running`, record);
      this.quotas.checkRunning(record);
      await this.registry.update(record.id, { desired: 'running' });
      if (!container) {
        await this.stoppedUnlessReady(record, () => this.provisioner.recreate(record));
        return this.result('success', `server ${record.name} started (its container was re-created)`, record);
      }
      await this.provisioner.checkHostFolders(record);
      await this.runtime.children.start(container.id);
      await this.stoppedUnlessReady(record, () => this.provisioner.awaitReady(record, container.id, 'stop'));
      await this.registry.update(record.id, { status: 'running', error: null });
      return this.result('success', `server ${record.name} started`, record);
    });
  }

  stop(ref: string): Promise<ActionResult> {
    return this.withServer(ref, async (record, container) => {
      await this.registry.update(record.id, { desired: 'stopped' });
      if (!container || !container.running && !isUp(container.status)) {
        await this.registry.update(record.id, { status: 'stopped' });
        return this.result('warning', `server ${record.name} was not running`, record);
      }
      await this.runtime.children.stop(container.id, this.config.children.stop_timeout_s);
      await this.registry.update(record.id, { status: 'stopped', error: null });
      return this.result('success', `server ${record.name} stopped`, record);
    });
  }

  restart(ref: string): Promise<ActionResult> {
    return this.withServer(ref, async (record, container) => {
      if (!container?.running) this.quotas.checkRunning(record);
      await this.registry.update(record.id, { desired: 'running', manual_restarts: record.manual_restarts + 1 });
      if (!container) {
        await this.stoppedUnlessReady(record, () => this.provisioner.recreate(record));
        return this.result('success', `server ${record.name} was not running; its container was re-created and started`, record);
      }
      await this.provisioner.checkHostFolders(record);
      if (container.running) await this.runtime.children.restart(container.id, this.config.children.stop_timeout_s);
      else await this.runtime.children.start(container.id);
      await this.stoppedUnlessReady(record, () => this.provisioner.awaitReady(record, container.id, 'stop'));
      await this.registry.update(record.id, { status: 'running', error: null });
      return this.result('success', `server ${record.name} ${container.running ? 'restarted' : 'was not running; started'}`, record);
    });
  }

  delete(ref: string): Promise<ActionResult> {
    return this.withServer(ref, async (record, container) => {
      // Marked first: a crash before the entry is gone is finished by reconciliation.
      await this.registry.update(record.id, { phase: 'deleting' });
      if (container) await this.stopThenRemove(record, container);
      if (record.volume) await this.runtime.volumes.remove(record.volume);
      await this.provisioner.forget(record.id);
      await this.registry.remove(record.id);
      this.log.info({ server_id: record.id, name: record.name, volume: record.volume ?? null }, 'server deleted');
      const note = container ? (container.running ? 'stopped and removed' : 'removed') : 'had no container; entry removed';
      const data = record.volume ? `; its data volume ${record.volume} and the data on it were removed` : '';
      return this.result('success', `server ${record.name} deleted (container ${note}${data})`, record);
    });
  }

  /**
   * Shutdown with children.stop_on_shutdown: stops every running child of this forge at once.
   * Entries keep desired = running, so the next start-up starts them again. Returns their names.
   */
  async stopAllForShutdown(): Promise<string[]> {
    const containers = await this.runtime.children.list(instanceFilter(this.registry.instanceId).label);
    const running = containers.filter((c) => isUp(c.status));
    const results = await Promise.allSettled(running.map((c) => this.runtime.children.stop(c.id, this.config.children.stop_timeout_s)));
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`${running[i]!.name}: ${(r.reason as Error).message}`] : []));
    this.log[failed.length ? 'warn' : 'info']({ stopped: running.length - failed.length, failed }, 'stopped children on shutdown');
    return running.map((c) => c.name);
  }

  /**
   * Graceful first, as stop_server does (SIGTERM, then children.stop_timeout_s before SIGKILL), so
   * the child's shutdown and its units' close hooks run; a stop that fails does not keep the removal.
   */
  private async stopThenRemove(record: ServerRecord, container: ChildInfo): Promise<void> {
    if (container.running || isUp(container.status)) {
      await this.runtime.children.stop(container.id, this.config.children.stop_timeout_s).catch((err: Error) => {
        this.log.warn({ server_id: record.id, err: err.message }, 'graceful stop before delete failed; removing anyway');
      });
    }
    await this.runtime.children.remove(container.id);
  }

  /**
   * A start that misses ready_timeout_s (or whose re-created container cannot start) leaves the
   * server stopped: its container (stopped by awaitReady), logs and data stay, start_server tries
   * again, and a forge restart does not start it by itself. The error goes to the caller.
   */
  private async stoppedUnlessReady(record: ServerRecord, start: () => Promise<void>): Promise<void> {
    try {
      await start();
    } catch (err) {
      await this.registry.update(record.id, { desired: 'stopped', status: 'stopped', error: (err as Error).message });
      throw err;
    }
  }

  private withServer(ref: string, fn: (record: ServerRecord, container: ChildInfo | null) => Promise<ActionResult>) {
    const id = this.queries.resolve(ref).id;
    return this.perServer.run(id, async () => {
      const record = this.registry.get(id);
      if (!record) throw ForgeError.notFound(`server ${ref} was deleted`);
      if (record.phase !== 'ready') throw ForgeError.invalid(`server ${record.name} is being ${record.phase === 'creating' ? 'created' : 'deleted'}`);
      return fn(record, await ownedContainer(this.runtime, record, this.registry.instanceId));
    });
  }

  private result(status: ActionResult['status'], message: string, record: ServerRecord): ActionResult {
    return { status, message, server_id: record.id };
  }
}
