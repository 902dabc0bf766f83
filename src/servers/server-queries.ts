import { sourceView } from '../sources/source-view.js';
import { ForgeError } from '../errors/forge-error.js';
import type { Registry } from '../registry/registry.js';
import type { ServerRecord } from '../registry/server-record.js';
import type { Runtime } from '../runtime/runtime.js';
import { instanceFilter, LABELS } from '../runtime/labels.js';
import { NO_HEALTH, ownedContainer, type ServerHealthSource } from './server-health.js';
import { SERVER_ID_PATTERN } from './server-id.js';
import { followHostAddress } from './child-address.js';
import { deriveStatus, toServerInfo, type ServerInfo, type ServerSummary } from './server-view.js';

const NAME_PATTERN = /^[A-Za-z0-9_-]{3,64}$/;
const LOG_LINES_IN_INFO = 10;
const ALERTS_IN_INFO = 5;

/** Which of a child's streams get_server_logs returns. */
export type LogType = 'stdout' | 'stderr' | 'all';

/** Views of the servers: the engine is asked for state (and where a running child is reachable, kept), the registry for everything else. */
export class ServerQueries {
  constructor(
    private readonly registry: Registry,
    private readonly runtime: Runtime,
    private readonly health: ServerHealthSource = NO_HEALTH,
  ) {}

  /** Finds a server by id or by name: `invalid_id` for neither shape, `not_found` for no such server. */
  resolve(ref: string): ServerRecord {
    if (!SERVER_ID_PATTERN.test(ref) && !NAME_PATTERN.test(ref)) {
      throw new ForgeError('invalid_id', `"${ref.slice(0, 80)}" is not a server id (mcp-YYYYMMDD-xxxxxx) or a server name`);
    }
    const record = this.registry.get(ref) ?? this.registry.findByName(ref);
    if (!record) throw ForgeError.notFound(`no server with id or name "${ref}"`);
    return record;
  }

  async info(ref: string | ServerRecord): Promise<ServerInfo> {
    const record = typeof ref === 'string' ? this.resolve(ref) : ref;
    // Asked of the engine even while creating: a create records its child only once it is ready.
    const owned = await ownedContainer(this.runtime, record, this.registry.instanceId);
    await followHostAddress(this.registry, record.id, owned);
    const logs = owned ? await this.runtime.children.logs(owned.id, LOG_LINES_IN_INFO).catch(() => ({ stdout: [], stderr: [] })) : { stdout: [], stderr: [] };
    const health = { crashLoop: this.health.crashLoop(record.id), alerts: this.health.recentAlerts(record.id, ALERTS_IN_INFO) };
    return toServerInfo(record, owned, logs, Date.now(), health);
  }

  /** The child's own output from the engine's log, each stream kept apart; empty when it has no child. */
  async logs(ref: string, type: LogType, maxLines: number): Promise<{ record: ServerRecord; logs: Partial<Record<'stdout' | 'stderr', string[]>> }> {
    const record = this.resolve(ref);
    const owned = await ownedContainer(this.runtime, record, this.registry.instanceId);
    const all = owned ? await this.runtime.children.logs(owned.id, maxLines) : { stdout: [], stderr: [] };
    return { record, logs: type === 'all' ? all : { [type]: all[type] } };
  }

  /** Summaries from one container listing, however many servers there are. */
  async list(): Promise<ServerSummary[]> {
    const containers = await this.runtime.children.list(instanceFilter(this.registry.instanceId).label);
    const byId = new Map(containers.map((c) => [c.labels[LABELS.serverId], c]));
    return this.registry.list().map((record) => ({
      id: record.id,
      name: record.name,
      description: record.description,
      status: deriveStatus(record, byId.get(record.id) ?? null, this.health.crashLoop(record.id)).status,
      port: record.port,
      ...(record.source ? { source: sourceView(record) } : {}),
    }));
  }

  async listDetailed(): Promise<ServerInfo[]> {
    return Promise.all(this.registry.list().map((record) => this.info(record)));
  }
}
