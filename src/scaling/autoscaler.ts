import type { ForgeConfig } from '../config/forge-config.js';
import type { Logger } from '../logging/logger.js';
import type { Monitor } from '../monitor/monitor.js';
import type { KeyedLock } from '../registry/keyed-lock.js';
import type { Registry } from '../registry/registry.js';
import type { ScalingGroup } from '../registry/scaling-group.js';
import type { ServerRecord } from '../registry/server-record.js';
import type { Runtime, ChildState } from '../runtime/runtime.js';
import { instanceFilter, LABELS } from '../runtime/labels.js';
import { hasEnded } from '../runtime/child-state.js';
import type { GroupActuator } from './group-actuator.js';
import { memberSamples, ruleBlocker } from './member-samples.js';
import { evaluateRule, memberAverages } from './rule-evaluator.js';
import type { ScalingEvents } from './scaling-events.js';

/** Container states by server id, from one listing per tick; a member missing from it has no container. */
type Containers = Map<string, ChildState>;

/** A rule's latest evaluation, shown in the group's resource. */
export interface RuleEvaluation {
  time: string;
  reason: string;
}

/**
 * The auto-scaler: every `scaling.interval_s` (read each time, so changes apply live) each group
 * is looked at under its lock, one step at a time: adopt or forget what a restart left behind,
 * top up below min_instances, trim above max_instances, start members that should run but do
 * not, then judge its rules on the monitor's windowed data. Actions run in the background
 * (GroupActuator) so a long create never holds a group's lock.
 */
export class Autoscaler {
  private readonly evaluations = new Map<string, RuleEvaluation>();
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly config: ForgeConfig,
    private readonly registry: Registry,
    private readonly runtime: Runtime,
    private readonly monitor: Monitor,
    private readonly actuator: GroupActuator,
    private readonly events: ScalingEvents,
    private readonly lock: KeyedLock,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  /** Stops the loop and waits for the tick and the actions under way to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.current;
    await this.actuator.flights.settle();
  }

  evaluation(group: string, rule: string): RuleEvaluation | null {
    return this.evaluations.get(`${group}/${rule}`) ?? null;
  }

  /** One look at every group; the loop calls it. */
  async tick(): Promise<void> {
    if (!this.config.scaling.enabled) return;
    const groups = this.registry.groups.list();
    if (groups.length === 0) return;
    const listed = await this.runtime.children.list(instanceFilter(this.registry.instanceId).label).catch((err: Error) => {
      this.log.warn({ err: err.message }, 'scaling skipped: cannot list containers');
      return null;
    });
    if (!listed) return;
    const containers: Containers = new Map(listed.map((c) => [c.labels[LABELS.serverId]!, c.status]));
    await Promise.all(
      groups.map((g) => this.lock.run(g.name, () => this.step(g.name, containers)).catch((err) => this.log.error({ err, group: g.name }, 'scaling step failed'))),
    );
  }

  private schedule() {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.current = this.tick().finally(() => {
        this.current = null;
        this.schedule();
      });
    }, this.config.scaling.interval_s * 1000);
    this.timer.unref();
  }

  private async step(name: string, containers: Containers) {
    const found = this.registry.groups.get(name);
    if (!found) return;
    const group = await this.review(found);
    const flights = this.actuator.flights;
    const deleting = flights.deleting(name);
    const live = group.servers.map((id) => this.registry.get(id)).filter((r): r is ServerRecord => !!r && r.phase !== 'deleting' && !deleting.has(r.id));
    const count = live.length + flights.creating(name).size;
    if (count < group.min_instances) {
      const reason = `the group has ${count} of min_instances ${group.min_instances} members`;
      for (let n = count; n < group.min_instances; n++) await this.actuator.clone(group, 'top_up', null, reason);
      return;
    }
    this.events.clear(`${name}:top_up:`);
    if (count > group.max_instances) return this.trim(group, live, count);
    this.repairDead(group, live, containers);
    await this.applyRules(group, live, count, containers);
  }

  /** Forgets members whose entry is gone, and adopts (or forgets) clones a forge restart interrupted. */
  private async review(group: ScalingGroup): Promise<ScalingGroup> {
    const gone = group.servers.filter((id) => !this.registry.get(id));
    const creating = this.actuator.flights.creating(group.name);
    const stranded = group.pending.filter((name) => !creating.has(name));
    if (gone.length === 0 && stranded.length === 0) return group;
    for (const id of gone) this.events.add({ group: group.name, action: 'release', outcome: 'succeeded', server_id: id, reason: `member ${id} no longer exists` });
    for (const name of stranded) {
      const record = this.registry.findByName(name);
      if (record && record.phase !== 'deleting') await this.actuator.admit(group.name, record, 'adopt', null);
    }
    return (await this.registry.groups.update(group.name, (g) => {
      g.servers = g.servers.filter((id) => !gone.includes(id));
      g.pending = g.pending.filter((name) => !stranded.includes(name));
    }))!;
  }

  /** Above max_instances (it was lowered): the least busy members go, those without data first. */
  private trim(group: ScalingGroup, live: ServerRecord[], count: number) {
    if (this.actuator.flights.scaling(group.name)) return;
    const windowMs = this.config.scaling.window_s * 1000;
    const ids = live.map((r) => r.id);
    const averages = memberAverages(memberSamples(this.monitor, ids, 'cpu', windowMs, this.config.monitor), { now: Date.now(), windowMs, minPoints: 1 });
    const reporting = averages.map((a) => a.serverId);
    const order = [...ids.filter((id) => !reporting.includes(id)), ...reporting];
    const reason = `the group is above max_instances (${count} of ${group.max_instances})`;
    for (const id of order.slice(0, count - group.max_instances)) this.actuator.remove(group.name, 'trim', null, id, reason);
  }

  /** Members meant to run whose child is gone or ended by itself (the engine's restart policy brings crashes back itself). */
  private repairDead(group: ScalingGroup, live: ServerRecord[], containers: Containers) {
    const busy = this.actuator.flights.busy();
    for (const record of live) {
      const status = containers.get(record.id) ?? null;
      const dead = record.phase === 'ready' && record.desired === 'running' && (status === null || hasEnded(status));
      if (!dead) this.actuator.healthy(record.id);
      else if (!busy.has(record.id)) {
        const what = status === null ? 'has no container (removed outside the forge?)' : `has a container that is ${status}`;
        this.actuator.repair(group.name, record.id, `member ${record.name} should be running but ${what}`);
      }
    }
  }

  private async applyRules(group: ScalingGroup, live: ServerRecord[], count: number, containers: Containers) {
    const { scaling, monitor } = this.config;
    const windowMs = scaling.window_s * 1000;
    const running = live.filter((r) => containers.get(r.id) === 'running').map((r) => r.id);
    const busy = this.actuator.flights.busy();
    let scalingUnderWay = this.actuator.flights.scaling(group.name);
    for (const rule of group.rules) {
      const key = `${group.name}/${rule.name}`;
      const event = { group: group.name, action: rule.action, rule: rule.name };
      const unusable = ruleBlocker(rule.metric, this.config);
      if (unusable) {
        this.events.refuse(`${key}:config`, { ...event, reason: unusable });
        this.note(key, unusable);
        continue;
      }
      if (rule.action !== 'restart' && scalingUnderWay) {
        this.note(key, 'waiting: a member of the group is being created or removed');
        continue;
      }
      const now = Date.now();
      const samples = memberSamples(this.monitor, running, rule.metric, windowMs, monitor);
      const lastActionAt = rule.last_action_at ? Date.parse(rule.last_action_at) : null;
      const result = evaluateRule(rule, samples, { now, windowMs, minPoints: scaling.min_points, lastActionAt, count, min: group.min_instances, max: group.max_instances, busy });
      this.note(key, result.reason);
      if (!result.act) {
        if (result.held === 'bounds') this.events.refuse(`${key}:bounds`, { ...event, reason: result.reason });
        else if (result.held === null) this.events.clear(`${key}:`);
        continue;
      }
      this.events.clear(`${key}:`);
      await this.registry.groups.update(group.name, (g) => {
        const stored = g.rules.find((r) => r.name === rule.name);
        if (stored) stored.last_action_at = new Date(now).toISOString();
      });
      if (result.action === 'scale_up') await this.actuator.clone(group, 'scale_up', rule.name, result.reason);
      else if (result.action === 'scale_down') this.actuator.remove(group.name, 'scale_down', rule.name, result.serverId!, result.reason);
      else this.actuator.restart(group.name, rule.name, result.serverId!, result.reason);
      if (result.action === 'restart') busy.add(result.serverId!);
      else scalingUnderWay = true;
    }
  }

  private note(key: string, reason: string) {
    this.evaluations.set(key, { time: new Date().toISOString(), reason });
  }
}
