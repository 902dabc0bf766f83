import type { ForgeConfig } from '../config/forge-config.js';
import type { Logger } from '../logging/logger.js';
import type { Registry } from '../registry/registry.js';
import type { ServerRecord } from '../registry/server-record.js';
import type { Runtime, ChildSummary } from '../runtime/runtime.js';
import { instanceFilter, LABELS } from '../runtime/labels.js';
import { awaitsStart } from '../runtime/child-state.js';
import { followHostAddress } from './child-address.js';

/** What start-up reconciliation found and did, by server id (orphans by container name). */
export interface ReconcileReport {
  /** Creates interrupted after their child was running: kept, as the engine shows them. */
  adopted: string[];
  /** Creates interrupted before a running container existed: kept as `error`, container removed. */
  interrupted: string[];
  /** Deletes interrupted by a crash: finished. */
  deleted: string[];
  /** Stopped containers whose entry wants them running (stopped with the forge, or crashed): started. */
  started: string[];
  /** Entries whose container is gone: marked `error`. */
  missing: string[];
  /** This forge's containers with no entry. */
  orphans: string[];
  /** Orphans removed because children.remove_orphans is set. */
  removed_orphans: string[];
}

const INTERRUPTED =
  'creation was interrupted by a forge restart; start_server creates its container, delete_server removes the entry';

/**
 * Brings the registry and the engine into agreement at start-up, for the children carrying
 * this forge's instance label only: statuses (and where running children are reachable) come
 * from the engine, interrupted work is finished or undone, missing children are marked,
 * orphans reported (and removed if configured).
 */
export class Reconciler {
  constructor(
    private readonly config: ForgeConfig,
    private readonly registry: Registry,
    private readonly runtime: Runtime,
    private readonly log: Logger,
    /** The host-folder check of every (re)create and start (ServerProvisioner.checkHostFolders). */
    private readonly checkHostFolders: (record: ServerRecord) => Promise<unknown> = async () => undefined,
  ) {}

  async reconcile(): Promise<ReconcileReport> {
    const report: ReconcileReport = { adopted: [], interrupted: [], deleted: [], missing: [], started: [], orphans: [], removed_orphans: [] };
    const starts: Array<Promise<string | null>> = [];
    const containers = await this.runtime.children.list(instanceFilter(this.registry.instanceId).label);
    const byServer = new Map<string, ChildSummary>(containers.map((c) => [c.labels[LABELS.serverId]!, c]));

    for (const record of this.registry.list()) {
      const container = byServer.get(record.id) ?? null;
      byServer.delete(record.id);
      if (record.phase === 'deleting') {
        if (container) await this.runtime.children.remove(container.id);
        if (record.volume) await this.runtime.volumes.remove(record.volume);
        await this.registry.remove(record.id);
        report.deleted.push(record.id);
      } else if (record.phase === 'creating') {
        if (container?.status === 'running') {
          // A create writes its image and child id only once ready: the engine tells them now.
          await this.registry.update(record.id, { phase: 'ready', status: 'running', container_id: container.id, image: container.image, error: null });
          await this.followAddress(record.id, container.id);
          report.adopted.push(record.id);
        } else {
          if (container) await this.runtime.children.remove(container.id);
          await this.registry.update(record.id, { phase: 'ready', status: 'error', container_id: null, error: INTERRUPTED });
          report.interrupted.push(record.id);
        }
      } else if (!container) {
        if (record.container_id !== null || record.status !== 'error') {
          await this.registry.update(record.id, { status: 'error', container_id: null, error: 'container is missing (removed outside the forge?); start_server re-creates it' });
        }
        report.missing.push(record.id);
      } else if (record.desired === 'running' && awaitsStart(container.status)) {
        starts.push(this.startStopped(record, container.id));
      } else {
        const status = container.status === 'running' ? 'running' : record.desired === 'stopped' ? 'stopped' : 'error';
        await this.registry.update(record.id, { container_id: container.id, status, error: status === 'error' ? `container is ${container.status}` : null });
        if (status === 'running') await this.followAddress(record.id, container.id);
      }
    }

    report.started = (await Promise.all(starts)).filter((id): id is string => id !== null);

    for (const orphan of byServer.values()) {
      report.orphans.push(orphan.name);
      if (this.config.children.remove_orphans) {
        await this.runtime.children.remove(orphan.id);
        report.removed_orphans.push(orphan.name);
      }
    }
    const level = report.orphans.length || report.missing.length || report.interrupted.length ? 'warn' : 'info';
    this.log[level]({ report }, 'reconciled registry with the engine');
    return report;
  }

  /** A running child may have moved while the forge was away (a swarm task rescheduled). */
  private async followAddress(serverId: string, childId: string) {
    await followHostAddress(this.registry, serverId, await this.runtime.children.inspect(childId).catch(() => null), this.log);
  }

  /** Starts (without waiting for MCP) a child that should run; the monitor records where it runs once it does. */
  private async startStopped(record: ServerRecord, containerId: string): Promise<string | null> {
    try {
      await this.checkHostFolders(record);
      await this.runtime.children.start(containerId);
      await this.registry.update(record.id, { container_id: containerId, status: 'running', error: null });
      return record.id;
    } catch (err) {
      await this.registry.update(record.id, { container_id: containerId, status: 'error', error: `cannot start its container: ${(err as Error).message}` });
      return null;
    }
  }
}
