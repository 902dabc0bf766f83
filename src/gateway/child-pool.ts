import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  ErrorCode,
  McpError,
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ToolListChangedNotificationSchema,
  type CallToolRequest,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import type { ForgeConfig } from '../config/forge-config.js';
import type { Logger } from '../logging/logger.js';
import type { ServerRecord } from '../registry/server-record.js';
import { childUrl } from '../servers/child-spec.js';
import { FORGE_VERSION } from '../version.js';
import type { ChildHeaders } from './child-credentials.js';
import { pooledFetch } from './pooled-fetch.js';

interface Pooled {
  /** The child the session was opened on: a new child means a new session. */
  containerId: string | null;
  /** Where it was opened: a child that moved (a swarm task on another node) means a new session. */
  url: string;
  opening: Promise<Client>;
}

/** Raised when a child cannot be reached at all (as opposed to a tool or protocol error it answered). */
export class UnreachableError extends Error {
  override name = 'UnreachableError';
}

/**
 * One MCP client session per child, opened on first use over Streamable HTTP, opened again
 * when the child is replaced or reachable elsewhere (its record's `childUrl` changed) or the
 * session stops working, closed when the child stops.
 */
export class ChildPool {
  private readonly sessions = new Map<string, Pooled>();
  private readonly flights = new Map<string, number>();

  constructor(
    private readonly deps: {
      config: ForgeConfig;
      headersFor: ChildHeaders;
      log: Logger;
      /** The child announced a changed tool, resource or prompt list. */
      onListChanged: (serverId: string) => void;
      timeoutMs?: number;
    },
  ) {}

  /** Calls in flight to the child through the pool. */
  inFlight(serverId: string): number {
    return this.flights.get(serverId) ?? 0;
  }

  isOpen(serverId: string): boolean {
    return this.sessions.has(serverId);
  }

  /** Servers with a session open (or opening). */
  openIds(): string[] {
    return [...this.sessions.keys()];
  }

  /** Runs `fn` on the child's session; a broken session is replaced once before the child counts as unreachable. */
  async use<T>(record: ServerRecord, fn: (client: Client) => Promise<T>, signal?: AbortSignal): Promise<T> {
    this.flights.set(record.id, this.inFlight(record.id) + 1);
    try {
      for (let attempt = 0; ; attempt++) {
        const client = await this.client(record).catch((err: Error) => {
          throw new UnreachableError(`server "${record.name}" cannot be reached: ${err.message}`);
        });
        try {
          return await fn(client);
        } catch (err) {
          if (!brokenSession(err) || signal?.aborted) throw err;
          await this.close(record.id);
          if (attempt > 0) throw new UnreachableError(`server "${record.name}" cannot be reached: ${(err as Error).message}`);
        }
      }
    } finally {
      const left = this.inFlight(record.id) - 1;
      if (left > 0) this.flights.set(record.id, left);
      else this.flights.delete(record.id);
    }
  }

  /** Forwards a tools/call; `options` carries the caller's abort signal and progress callback. */
  callTool(record: ServerRecord, params: CallToolRequest['params'], options: RequestOptions): Promise<CallToolResult> {
    const call = (client: Client) => client.callTool(params, undefined, { timeout: this.timeoutMs, resetTimeoutOnProgress: true, ...options });
    return this.use(record, call as (client: Client) => Promise<CallToolResult>, options.signal);
  }

  get timeoutMs(): number {
    return this.deps.timeoutMs ?? 300_000;
  }

  async close(serverId: string): Promise<void> {
    const pooled = this.sessions.get(serverId);
    if (!pooled) return;
    this.sessions.delete(serverId);
    const client = await pooled.opening.catch(() => null);
    if (!client) return;
    const transport = client.transport as StreamableHTTPClientTransport | undefined;
    await transport?.terminateSession().catch(() => undefined);
    await client.close().catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.close(id)));
  }

  private client(record: ServerRecord): Promise<Client> {
    const url = `${childUrl(record, this.deps.config)}/mcp`;
    const pooled = this.sessions.get(record.id);
    if (pooled && pooled.containerId === record.container_id && pooled.url === url) return pooled.opening;
    if (pooled) void this.close(record.id);
    const opening = this.open(record, url);
    const entry = { containerId: record.container_id, url, opening };
    this.sessions.set(record.id, entry);
    opening.catch(() => this.sessions.get(record.id) === entry && this.sessions.delete(record.id));
    return opening;
  }

  private async open(record: ServerRecord, url: string): Promise<Client> {
    const headers = this.deps.headersFor(record);
    if (!headers) throw new Error('it is guarded by credentials the forge does not hold');
    const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers }, fetch: pooledFetch });
    const client = new Client({ name: 'mcp-forge-gateway', version: FORGE_VERSION });
    const changed = () => this.deps.onListChanged(record.id);
    client.setNotificationHandler(ToolListChangedNotificationSchema, changed);
    client.setNotificationHandler(ResourceListChangedNotificationSchema, changed);
    client.setNotificationHandler(PromptListChangedNotificationSchema, changed);
    client.onclose = () => {
      const pooled = this.sessions.get(record.id);
      if (pooled) void pooled.opening.then((c) => c === client && this.sessions.delete(record.id), () => undefined);
    };
    await client.connect(transport, { timeout: 5000 });
    this.deps.log.debug({ server: record.id }, 'gateway session to child opened');
    return client;
  }
}

/** Transport failures and a lost session (the child restarted); a child's own JSON-RPC errors are not. */
function brokenSession(err: unknown): boolean {
  if (err instanceof McpError) return err.code === ErrorCode.ConnectionClosed;
  return err instanceof Error && err.name !== 'AbortError';
}
