import type { ForgeConfig } from '../config/forge-config.js';
import type { Logger } from '../logging/logger.js';
import type { Monitor } from '../monitor/monitor.js';
import { KeyedLock } from '../registry/keyed-lock.js';
import type { Registry } from '../registry/registry.js';
import type { CapabilityCatalog } from '../render/capability-catalog.js';
import type { Runtime } from '../runtime/runtime.js';
import type { ServerLifecycle } from '../servers/server-lifecycle.js';
import type { ServerLimits } from '../servers/server-limits.js';
import type { ServerProvisioner } from '../servers/server-provisioner.js';
import type { ServerQueries } from '../servers/server-queries.js';
import { Autoscaler } from './autoscaler.js';
import { GroupActuator } from './group-actuator.js';
import { addServer, createGroup, deleteGroup, removeServer, updateGroup } from './group-actions.js';
import { groupDetail, groupJson } from './group-view.js';
import { MemberOps } from './member-ops.js';
import { addRule, removeRule, updateRule } from './rule-actions.js';
import { noSuchGroup, type ScalingContext, type ScalingHandler } from './scaling-context.js';
import { ScalingEvents } from './scaling-events.js';
import { checkParams, type ScalingAction, type ScalingArgs } from './scaling-params.js';

const HANDLERS: Record<ScalingAction, ScalingHandler> = {
  create_group: createGroup,
  delete_group: deleteGroup,
  add_server: addServer,
  remove_server: removeServer,
  add_rule: addRule,
  remove_rule: removeRule,
  update_group: updateGroup,
  update_rule: updateRule,
};

const EVENTS_IN_DETAIL = 20;

/** Auto-scaling: the manage_auto_scaling actions, the views of the groups, and the scaler that acts on them. */
export class AutoScaling {
  readonly events: ScalingEvents;
  readonly scaler: Autoscaler;
  private readonly actuator: GroupActuator;
  private readonly context: ScalingContext;

  constructor(
    private readonly deps: {
      config: ForgeConfig;
      registry: Registry;
      runtime: Runtime;
      monitor: Monitor;
      catalog: CapabilityCatalog;
      provisioner: ServerProvisioner;
      lifecycle: ServerLifecycle;
      limits: ServerLimits;
      queries: ServerQueries;
      log: Logger;
      /** Drains a member before the scaler removes it (the gateway). */
      drain?: (serverId: string) => Promise<void>;
    },
  ) {
    const { config, registry, runtime, monitor, log } = deps;
    const lock = new KeyedLock();
    this.events = new ScalingEvents(config.scaling.events_max, log);
    this.actuator = new GroupActuator(registry, new MemberOps(deps), this.events, lock);
    this.scaler = new Autoscaler(config, registry, runtime, monitor, this.actuator, this.events, lock, log);
    const flights = this.actuator.flights;
    this.context = {
      config,
      registry,
      queries: deps.queries,
      runtime,
      locked: (group, fn) => lock.run(group, fn),
      creating: (group) => flights.creating(group),
      settle: (group) => flights.settle(group),
    };
    monitor.wantsConnections = (serverId) => !!registry.groups.groupOf(serverId)?.rules.some((r) => r.metric === 'connections');
  }

  start(): void {
    this.deps.log.info({ enabled: this.deps.config.scaling.enabled, groups: this.deps.registry.groups.list().length }, 'auto-scaler started');
    this.scaler.start();
  }

  stop(): Promise<void> {
    return this.scaler.stop();
  }

  /** One manage_auto_scaling call: the api-spec result, or a ForgeError with nothing stored changed. */
  async perform(args: ScalingArgs): Promise<Record<string, unknown>> {
    checkParams(args);
    const { message, group } = await HANDLERS[args.action](args, this.context);
    return { status: 'success', message, group: groupJson(group) };
  }

  /** How the scaler runs (part of both autoscaling:// resources). */
  get scalerState() {
    const { config } = this.deps;
    return { ...config.scaling, monitoring: config.monitor.enabled };
  }

  groupNames(): string[] {
    return this.deps.registry.groups.list().map((g) => g.name);
  }

  /** Every group in detail (autoscaling://groups). */
  async overview() {
    const members = await this.deps.queries.list();
    const groups = this.deps.registry.groups.list().map((g) => this.detailOf(g.name, members));
    return { scaler: this.scalerState, count: groups.length, groups };
  }

  /** One group in detail (autoscaling://groups/{group_name}); `not_found` for an unknown one. */
  async detail(name: string) {
    if (!this.deps.registry.groups.get(name)) throw noSuchGroup(name);
    return { scaler: this.scalerState, group: this.detailOf(name, await this.deps.queries.list()) };
  }

  private detailOf(name: string, servers: Awaited<ReturnType<ServerQueries['list']>>) {
    const group = this.deps.registry.groups.get(name);
    if (!group) throw noSuchGroup(name);
    return groupDetail(group, {
      members: servers.filter((s) => group.servers.includes(s.id)),
      creating: [...this.actuator.flights.creating(name)],
      evaluation: (rule) => this.scaler.evaluation(name, rule),
      events: this.events.list({ group: name, limit: EVENTS_IN_DETAIL }),
    });
  }
}
