import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { CallToolRequest, CallToolResult, GetPromptResult, ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import type { ForgeConfig } from '../config/forge-config.js';
import type { Logger } from '../logging/logger.js';
import type { Registry } from '../registry/registry.js';
import type { ServerRecord } from '../registry/server-record.js';
import type { AuditLog } from '../security/audit-log.js';
import type { Caller } from '../security/caller.js';
import { GatewayCatalog, listChild } from './catalog.js';
import { childAuthHeaders } from '../servers/child-auth-headers.js';
import type { ChildHeaders } from './child-credentials.js';
import { ChildPool } from './child-pool.js';
import { CoalescingRunner } from './coalescing-runner.js';
import { Liveness } from './liveness.js';
import { parseUri } from './exposed-name.js';
import { Router } from './router.js';
import { currentTargets, isServing, type Target } from './targets.js';
import { gatewayCall, type CallExtra } from './gateway-call.js';

/** A session that gets list_changed notifications; `used` holds the prefixes it has called. */
export interface GatewaySession {
  server: Server;
  used: Set<string>;
  /** Also resources and prompts (gateway sessions; the forge's /mcp lists tools only). */
  all: boolean;
}

/**
 * The forge's front door: the aggregated lists of every running child (groups once), kept
 * current by registry changes, unreachable children and the children's own list_changed, and
 * the calls routed over the pool. Every attached session hears when a list changes.
 */
export class Gateway {
  readonly pool: ChildPool;
  readonly catalog = new GatewayCatalog();
  private readonly router: Router;
  private readonly liveness: Liveness;
  private readonly draining = new Set<string>();
  private readonly sessions = new Set<GatewaySession>();
  private readonly lists: CoalescingRunner;
  /** What calls are routed over, recomputed at once on every change (the lists follow a refresh later). */
  private targets = new Map<string, Target>();
  private unsubscribe: (() => void) | null = null;
  private readonly headersFor: ChildHeaders;

  constructor(private readonly deps: { config: ForgeConfig; registry: Registry; audit: AuditLog; log: Logger; headersFor?: ChildHeaders }) {
    this.headersFor = deps.headersFor ?? ((record) => childAuthHeaders(record, deps.config));
    this.pool = new ChildPool({ config: deps.config, headersFor: this.headersFor, log: deps.log, onListChanged: (id) => this.childChanged(id) });
    this.liveness = new Liveness({ registry: deps.registry, pool: this.pool, log: deps.log, changed: (id) => this.childChanged(id) });
    this.router = new Router(this.pool, (member, err) => this.liveness.markDown(member, err));
    this.lists = new CoalescingRunner(() => this.refreshOnce(), (err) => deps.log.error({ err }, 'gateway refresh failed'));
  }

  start(): void {
    this.unsubscribe = this.deps.registry.onChange(() => this.schedule());
    this.liveness.start();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.liveness.stop();
    await this.lists.idle();
    await this.pool.closeAll();
  }

  /** Adds a session to notify; returns its handle (detach when it closes). */
  attach(server: Server, all: boolean): { session: GatewaySession; detach: () => void } {
    const session: GatewaySession = { server, used: new Set(), all };
    this.sessions.add(session);
    return { session, detach: () => this.sessions.delete(session) };
  }

  /** Resolves once the lists reflect every change seen so far. */
  async settled(): Promise<GatewayCatalog> {
    await this.lists.idle();
    return this.catalog;
  }

  /** Whether `name` is a child's tool here, once the lists reflect every change seen so far. */
  async knowsTool(name: string): Promise<boolean> {
    return this.catalog.toolRoutes.has(name) || (await this.settled()).toolRoutes.has(name);
  }

  /** Forwards a call to the target's least busy member (a `read` caller is refused); audited. */
  async callTool(params: CallToolRequest['params'], extra: CallExtra, caller: Caller, session?: GatewaySession): Promise<CallToolResult> {
    await this.knowsTool(params.name);
    return gatewayCall(
      {
        route: (name) => this.catalog.toolRoutes.get(name),
        target: (prefix) => this.target(prefix),
        router: this.router,
        pool: this.pool,
        audit: this.deps.audit,
        log: this.deps.log,
      },
      params,
      extra,
      caller,
      session,
    );
  }

  async readResource(uri: string, signal: AbortSignal): Promise<ReadResourceResult | null> {
    const parsed = parseUri(uri);
    const target = parsed && this.target(parsed.prefix);
    if (!parsed || !target) return null;
    const result = await this.router.run(parsed.prefix, target.members, (m) => this.pool.use(m, (c) => c.readResource({ uri: parsed.uri }, { signal }), signal));
    // The contents carry the URI the caller asked for, as it knows it.
    return { ...result, contents: result.contents.map((c) => (c.uri === parsed.uri ? { ...c, uri } : c)) };
  }

  async getPrompt(name: string, args: Record<string, string> | undefined, signal: AbortSignal): Promise<GetPromptResult | null> {
    const route = this.catalog.promptRoutes.get(name);
    const target = route && this.target(route.prefix);
    if (!route || !target) return null;
    return this.router.run(route.prefix, target.members, (m) => this.pool.use(m, (c) => c.getPrompt({ name: route.name, arguments: args }, { signal }), signal));
  }

  /**
   * Takes a member out of rotation and waits (up to `timeoutMs`) for its calls in flight to
   * end: the scaler drains a member before it removes it.
   */
  async drain(serverId: string, timeoutMs: number): Promise<void> {
    this.draining.add(serverId);
    this.schedule();
    const deadline = Date.now() + timeoutMs;
    while (this.pool.inFlight(serverId) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  }

  /** Whether the member is being drained: out of rotation here and in the proxy's group path. */
  isDraining(serverId: string): boolean {
    return this.draining.has(serverId);
  }

  /**
   * What the gateway adds to a child's own session count for the `connections` rule: calls in
   * flight to it, plus its share of the sessions that have called its group (or it); the
   * forge's pooled session to it is not a client, so it is taken off.
   */
  connectionLoad(serverId: string): number {
    const record = this.deps.registry.get(serverId);
    if (!record) return 0;
    const group = this.deps.registry.groups.groupOf(serverId);
    const prefix = group?.name ?? record.name;
    const users = [...this.sessions].filter((s) => s.used.has(prefix)).length;
    const share = users / Math.max(1, group?.servers.length ?? 1);
    // The pooled session itself is not counted: children leave the forge's own sessions out.
    return this.pool.inFlight(serverId) + share;
  }

  private target(prefix: string): Target | undefined {
    return this.targets.get(prefix);
  }

  private excluded(record: ServerRecord): boolean {
    return this.liveness.isDown(record.id) || this.draining.has(record.id) || this.headersFor(record) === null;
  }

  private childChanged(serverId: string) {
    this.catalog.invalidate(serverId);
    this.schedule();
  }

  private schedule() {
    this.targets = new Map(currentTargets(this.deps.registry, (r) => this.excluded(r)).map((t) => [t.prefix, t]));
    this.lists.request();
  }

  private async refreshOnce() {
    const serving = new Set(this.deps.registry.list().filter(isServing).map((r) => r.id));
    for (const id of this.pool.openIds()) if (!serving.has(id)) await this.pool.close(id);
    for (const id of [...this.draining]) if (!serving.has(id)) this.draining.delete(id);
    for (const record of this.deps.registry.list()) {
      if (serving.has(record.id)) continue;
      this.liveness.forget(record.id);
      this.router.forget(record.id);
    }
    const changed = await this.catalog.refresh([...this.targets.values()], (m) => this.pool.use(m, listChild), (m, err) => this.liveness.markDown(m, err));
    if (changed) this.notify();
  }

  private notify() {
    for (const { server, all } of this.sessions) {
      if (!all && !this.deps.config.gateway.include_children) continue;
      server.sendToolListChanged().catch(() => undefined);
      if (!all) continue;
      server.sendResourceListChanged().catch(() => undefined);
      server.sendPromptListChanged().catch(() => undefined);
    }
  }
}
