import type { ForgeConfig } from '../config/forge-config.js';
import type { Logger } from '../logging/logger.js';
import { AsyncLock } from '../registry/async-lock.js';
import type { Registry } from '../registry/registry.js';
import type { Runtime } from '../runtime/runtime.js';
import type { ChildEvent } from '../runtime/child-stats.js';
import { instanceFilter, LABELS } from '../runtime/labels.js';
import { limitsOf } from '../servers/limit-rules.js';
import type { ServerHealthSource } from '../servers/server-health.js';
import { followHostAddress } from '../servers/child-address.js';
import { AlertLog, type Alert, type AlertFilter } from './alert-log.js';
import { countedConnections } from './child-connections.js';
import { learnChildAddress } from '../servers/child-addresses.js';
import { ConnectionPolls, type PollTarget } from './connection-polls.js';
import { ChildWatch } from './child-watch.js';
import { EventWatch } from './event-watch.js';
import { ExitTracker } from './exit-tracker.js';
import { checkLimits } from './limit-checks.js';
import type { ProcessSample } from './process-sample.js';
import { ThresholdGate } from './threshold-gate.js';

/**
 * Watches this forge's children through the runtime: one stats stream per running child (started
 * and stopped by child events, re-attached after a forge restart or a stream failure), bounded
 * history, limit alerts, and exits, OOM kills and crash loops (ExitTracker). No engine's events
 * are taken as complete: every `monitor.resync_interval_s` the children are listed and the running
 * ones inspected again, which also records where each is reachable (a swarm task that moved).
 * Off when `monitor.enabled` is false: then nothing streams and the views are empty.
 */
export class Monitor implements ServerHealthSource {
  readonly alerts: AlertLog;
  private readonly watches = new Map<string, ChildWatch>();
  private readonly gate: ThresholdGate;
  private readonly exits: ExitTracker;
  private events: EventWatch | null = null;
  private readonly inOrder = new AsyncLock();
  private stopped = false;
  private readonly polls: ConnectionPolls;
  private resyncTimer: NodeJS.Timeout | null = null;
  private hostMemoryBytes = 0;
  /** Children whose open sessions are wanted without a connections limit (members of groups with a connections rule). */
  wantsConnections: (serverId: string) => boolean = () => false;
  /** What others add to a child's own session count (the gateway: its calls in flight and sessions); subscribers add themselves. */
  readonly connectionSources = new Set<(serverId: string) => number>();

  constructor(
    private readonly config: ForgeConfig,
    private readonly registry: Registry,
    private readonly runtime: Runtime,
    private readonly log: Logger,
  ) {
    const m = config.monitor;
    this.alerts = new AlertLog(m.alerts_max, log);
    this.gate = new ThresholdGate(m.alert_cooldown_s * 1000);
    this.exits = new ExitTracker(config, registry, runtime, this.alerts, this.gate);
    this.polls = new ConnectionPolls(() => this.connectionTargets(), m.connections_interval_s * 1000);
  }

  get enabled(): boolean {
    return this.config.monitor.enabled;
  }

  /** Subscribes to events first, then attaches to every running child, so nothing falls in between. */
  async start(): Promise<void> {
    if (!this.enabled) return;
    this.hostMemoryBytes = await this.runtime.host().then((host) => host.memoryBytes, () => 0);
    const filters = instanceFilter(this.registry.instanceId).label;
    this.events = new EventWatch(
      this.runtime,
      filters,
      {
        // One at a time, in order: a start handled after the die that followed it would attach to a dead container.
        onEvent: (e) => void this.inOrder.run(() => this.handle(e)).catch((err) => this.log.warn({ err, event: e.action }, 'event handling failed')),
        onReattach: () => void this.inOrder.run(() => this.resync()),
      },
      this.config.monitor.reattach_max_backoff_s * 1000,
      this.log,
    );
    await this.events.start();
    await this.inOrder.run(() => this.resync());
    this.polls.start();
    this.resyncTimer = setInterval(() => void this.inOrder.run(() => this.resync()).catch(() => undefined), this.config.monitor.resync_interval_s * 1000);
    this.resyncTimer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.resyncTimer) clearInterval(this.resyncTimer);
    this.resyncTimer = null;
    this.events?.stop();
    this.polls.stop();
    for (const watch of this.watches.values()) watch.detach();
  }

  /** The child's watch when it is being followed (its latest reading, history, connections). */
  watch(serverId: string): ChildWatch | undefined {
    return this.watches.get(serverId);
  }

  crashLoop(serverId: string): string | null {
    return this.exits.crashLoop(serverId);
  }

  recentAlerts(serverId: string, max: number): Alert[] {
    return this.alerts.list({ serverId, limit: max });
  }

  listAlerts(filter: AlertFilter): Alert[] {
    return this.alerts.list(filter);
  }

  /** Follows every running child and stops following the rest (start-up, after an events outage, periodically). */
  private async resync() {
    const containers = await this.runtime.children.list(instanceFilter(this.registry.instanceId).label).catch(() => null);
    if (!containers) return;
    const running = new Map(containers.filter((c) => c.status === 'running').map((c) => [c.labels[LABELS.serverId]!, c.id]));
    for (const [serverId, watch] of this.watches) if (running.get(serverId) !== watch.containerId) watch.detach();
    for (const [serverId, containerId] of running) if (this.registry.get(serverId)) await this.follow(serverId, containerId);
  }

  private async follow(serverId: string, containerId: string) {
    const info = await this.runtime.children.inspect(containerId);
    if (!info) return;
    // A restarted child may have a new address on its network: the forge reaches it there next.
    await learnChildAddress(this.runtime, info);
    if (this.stopped) return;
    await followHostAddress(this.registry, serverId, info, this.log);
    const watch = this.watchFor(serverId);
    // Counted even when it died again already: a crash loop is a run of such short starts.
    this.exits.started(serverId, info);
    watch.restartCount = info.restartCount;
    if (info.running) watch.attach(containerId);
  }

  private async handle(event: ChildEvent) {
    const serverId = event.labels[LABELS.serverId];
    if (!serverId) return;
    this.exits.note(event);
    if (event.action === 'start') return this.registry.get(serverId) ? this.follow(serverId, event.childId) : undefined;
    if (event.action === 'die') {
      this.watches.get(serverId)?.detach();
      return this.exits.died(serverId, event);
    }
    // Removed with its server (deleted, or being deleted): forget it. Removed alone: it comes back re-created.
    if (event.action === 'destroy' && (this.registry.get(serverId)?.phase ?? 'deleting') === 'deleting') {
      this.watches.get(serverId)?.detach();
      this.watches.delete(serverId);
      this.exits.forget(serverId);
      this.gate.forget(`${serverId}:`);
    }
  }

  private watchFor(serverId: string): ChildWatch {
    let watch = this.watches.get(serverId);
    if (!watch) {
      const m = this.config.monitor;
      const settings = {
        historyCapacity: Math.max(1, Math.ceil(m.history_retention_s / m.history_interval_s)),
        historyIntervalMs: m.history_interval_s * 1000,
        maxBackoffMs: m.reattach_max_backoff_s * 1000,
        hostMemoryBytes: this.hostMemoryBytes,
      };
      watch = new ChildWatch(serverId, this.runtime, settings, (w, s) => this.checkSample(w, s), this.log);
      this.watches.set(serverId, watch);
    }
    return watch;
  }

  private checkSample(watch: ChildWatch, sample: ProcessSample) {
    const record = this.registry.get(watch.serverId);
    if (!record) return;
    for (const check of checkLimits(limitsOf(record), sample, watch.connections, this.config.monitor.alert_threshold_percent)) {
      if (!this.gate.crossed(`${record.id}:${check.name}`, check.over, sample.time)) continue;
      this.alerts.add({
        server_id: record.id,
        server_name: record.name,
        kind: 'limit_exceeded',
        severity: 'warning',
        message: `server ${record.name} is over its ${check.name} limit (${check.observed} of ${check.value})`,
        limit: { name: check.name, value: check.value, observed: check.observed },
      });
    }
  }

  /** Children with a connections limit (the only limit the engine cannot see) or rule are asked for their open sessions. */
  private connectionTargets(): PollTarget[] {
    const targets: PollTarget[] = [];
    for (const watch of this.watches.values()) {
      const record = watch.following ? this.registry.get(watch.serverId) : undefined;
      if (!record || (limitsOf(record).connections === null && !this.wantsConnections(record.id))) continue;
      const containerId = watch.containerId;
      targets.push({
        key: record.id,
        poll: async () => {
          const count = await countedConnections(record, this.config, this.connectionSources);
          // An answer from a container the watch no longer follows is stale.
          if (watch.containerId === containerId) watch.noteConnections(count);
        },
      });
    }
    return targets;
  }
}
