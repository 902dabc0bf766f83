import { toErrorBody } from '../errors/forge-error.js';
import type { KeyedLock } from '../registry/keyed-lock.js';
import type { Registry } from '../registry/registry.js';
import type { ScalingGroup } from '../registry/scaling-group.js';
import type { ServerRecord } from '../registry/server-record.js';
import { randomSuffix } from '../servers/server-id.js';
import { InFlight } from './in-flight.js';
import type { MemberOps } from './member-ops.js';
import { RetryBackoff } from './retry-backoff.js';
import type { ScalingEventAction, ScalingEvents } from './scaling-events.js';

/** Longest wait before retrying a failed repair or top-up. */
const MAX_RETRY_WAIT_MS = 60_000;

/**
 * Carries out the scaler's decisions in the background, each tracked in `flights` until it ends
 * and recorded as events (decided, then succeeded or failed). A clone's name is stored in the
 * group's `pending` list before its creation starts; it joins the group once it runs. Group
 * records change only under the group's lock.
 */
export class GroupActuator {
  readonly flights = new InFlight();
  /** Repairs (by server id) and top-ups (by `top_up:<group>`) that failed wait before the next try. */
  private readonly retries = new RetryBackoff(MAX_RETRY_WAIT_MS);

  constructor(
    private readonly registry: Registry,
    private readonly ops: MemberOps,
    private readonly events: ScalingEvents,
    private readonly lock: KeyedLock,
  ) {}

  /** Starts creating one clone from the group's template. Call under the group's lock. */
  async clone(group: ScalingGroup, action: 'scale_up' | 'top_up', rule: string | null, reason: string): Promise<void> {
    const template = group.template;
    if (!template) {
      this.events.refuse(`${group.name}:${action}:template`, { group: group.name, action, rule, reason: `${reason}; but the group has no template yet: add a server to it` });
      return;
    }
    const retryKey = `top_up:${group.name}`;
    if (action === 'top_up' && !this.retries.ready(retryKey)) return;
    let name: string;
    do name = `${group.name}-${randomSuffix()}`;
    while (this.registry.findByName(name) || group.pending.includes(name));
    if (!(await this.registry.groups.update(group.name, (g) => void g.pending.push(name)))) return;
    this.events.add({ group: group.name, action, outcome: 'decided', rule, server_name: name, reason });
    this.flights.run(group.name, { kind: 'creating', key: name }, async () => {
      try {
        const record = await this.ops.clone(template, name);
        this.retries.succeeded(retryKey);
        await this.lock.run(group.name, () => this.admit(group.name, record, action, rule));
      } catch (err) {
        if (action === 'top_up') this.retries.failed(retryKey);
        await this.lock.run(group.name, () => this.registry.groups.update(group.name, (g) => void (g.pending = g.pending.filter((n) => n !== name))));
        this.failed(group.name, action, rule, { id: null, name }, err);
      }
    });
  }

  /** Starts deleting a member (scale_down, trim). */
  remove(group: string, action: 'scale_down' | 'trim', rule: string | null, serverId: string, reason: string): void {
    this.track(group, 'deleting', action, rule, serverId, reason, async (server) => {
      await this.ops.remove(serverId);
      return `server ${server.name} deleted; the group has one member fewer`;
    });
  }

  /** Starts restarting a member (a restart rule). */
  restart(group: string, rule: string, serverId: string, reason: string): void {
    this.track(group, 'restarting', 'restart', rule, serverId, reason, async () => (await this.ops.restart(serverId)).message);
  }

  /** Starts a member that should run but has no running container; a failure is retried after a growing wait. */
  repair(group: string, serverId: string, reason: string): void {
    if (!this.retries.ready(serverId)) return;
    this.track(group, 'restarting', 'repair', null, serverId, reason, async () => {
      try {
        const result = await this.ops.repair(serverId);
        this.retries.succeeded(serverId);
        return result.message;
      } catch (err) {
        this.retries.failed(serverId);
        throw err;
      }
    });
  }

  /** Forgets the retry wait of a member that runs again. */
  healthy(serverId: string): void {
    this.retries.succeeded(serverId);
  }

  /**
   * Takes a server created for the group in: the template's limits, then membership. A clone
   * whose creation a forge restart interrupted (`adopt`) comes this way too. Call under the lock.
   */
  async admit(group: string, record: ServerRecord, action: ScalingEventAction, rule: string | null): Promise<void> {
    const template = this.registry.groups.get(group)?.template;
    const refused = template ? await this.ops.applyLimits(record.id, template) : [];
    const joined = await this.registry.groups.update(group, (g) => {
      g.pending = g.pending.filter((n) => n !== record.name);
      if (!g.servers.includes(record.id)) g.servers.push(record.id);
    });
    const server = { server_id: record.id, server_name: record.name };
    const limits = refused.length ? `; limits not applied: ${refused.join('; ')}` : '';
    const reason = joined
      ? `server ${record.name} is running on port ${record.port} and joined the group (${joined.servers.length} members)${limits}`
      : `server ${record.name} was created, but the group was deleted meanwhile: it stays as a standalone server`;
    this.events.add({ group, action, outcome: refused.length ? 'failed' : 'succeeded', rule, ...server, reason });
  }

  private track(
    group: string,
    kind: 'deleting' | 'restarting',
    action: ScalingEventAction,
    rule: string | null,
    serverId: string,
    reason: string,
    work: (server: ServerRecord) => Promise<string>,
  ): void {
    const server = this.registry.get(serverId);
    if (!server) return;
    const who = { id: serverId, name: server.name };
    this.events.add({ group, action, outcome: 'decided', rule, server_id: who.id, server_name: who.name, reason });
    this.flights.run(group, { kind, key: serverId }, async () => {
      try {
        const done = await work(server);
        this.events.add({ group, action, outcome: 'succeeded', rule, server_id: who.id, server_name: who.name, reason: done });
      } catch (err) {
        this.failed(group, action, rule, who, err);
      }
    });
  }

  /** A failure is an event, never a crash: a quota reached is `limit_exceeded` there. */
  private failed(group: string, action: ScalingEventAction, rule: string | null, server: { id: string | null; name: string }, err: unknown) {
    const { error } = toErrorBody(err);
    this.events.add({ group, action, outcome: 'failed', rule, server_id: server.id, server_name: server.name, reason: error.message, error });
  }
}
