import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { FORGE_VERSION } from '../version.js';
import { CliError } from './cli-error.js';

/** A tool call's outcome: the forge's API JSON (structuredContent) or a child's plain result. */
export interface ToolOutcome {
  result: CallToolResult;
  /** structuredContent, or the JSON of the only text item, when there is one. */
  body: Record<string, unknown> | undefined;
}

/** `http://h:p` → `http://h:p/mcp`; URLs ending in /mcp or /sse are kept (and pick the transport). */
export function endpointOf(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError('usage', `not a URL: ${url}`);
  }
  if (!/\/(mcp|sse)\/?$/.test(parsed.pathname)) parsed.pathname = `${parsed.pathname.replace(/\/$/, '')}/mcp`;
  return parsed;
}

/** One MCP session with the forge or a child server, through the official SDK client. */
export class McpConnection {
  private constructor(
    readonly endpoint: URL,
    readonly client: Client,
    private readonly transport: StreamableHTTPClientTransport | SSEClientTransport,
    private readonly timeoutMs: number,
  ) {}

  static async open(url: string, timeoutMs: number, token?: string): Promise<McpConnection> {
    const endpoint = endpointOf(url);
    const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
    const transport = endpoint.pathname.endsWith('/sse')
      ? new SSEClientTransport(endpoint, {
          requestInit: { headers },
          eventSourceInit: { fetch: (u, init) => fetch(u, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }) },
        })
      : new StreamableHTTPClientTransport(endpoint, { requestInit: { headers } });
    const client = new Client({ name: 'mcp-forge-cli', version: FORGE_VERSION });
    try {
      await client.connect(transport, { timeout: Math.min(timeoutMs, 30_000) });
    } catch (err) {
      const cause = (err as { cause?: { message?: string } }).cause?.message;
      if (/\b401\b|unauthorized/i.test((err as Error).message)) {
        throw new CliError('unauthorized', `${endpoint.href} needs a bearer token: pass --token or set MCP_FORGE_TOKEN${token ? ' (the one given was refused)' : ''}`);
      }
      throw new CliError('connection_failed', `cannot reach ${endpoint.href}: ${(err as Error).message}${cause ? ` (${cause})` : ''}`);
    }
    return new McpConnection(endpoint, client, transport, timeoutMs);
  }

  /** Calls a tool; progress notifications (e.g. image build steps) go to `onProgress`. */
  async callTool(name: string, args: Record<string, unknown>, onProgress?: (message: string) => void): Promise<ToolOutcome> {
    const result = (await this.request(() =>
      this.client.callTool({ name, arguments: args }, undefined, {
        timeout: this.timeoutMs,
        resetTimeoutOnProgress: true,
        ...(onProgress ? { onprogress: (p) => p.message && onProgress(p.message) } : {}),
      }),
    )) as CallToolResult;
    return { result, body: result.structuredContent ?? jsonOfText(result) };
  }

  /** A resource's JSON content. The forge's error body comes back as a CliError with its code. */
  async readJson(uri: string): Promise<unknown> {
    const read = await this.request(() => this.client.readResource({ uri }, { timeout: this.timeoutMs }));
    const first = read.contents[0];
    return first && 'text' in first ? JSON.parse(first.text) : undefined;
  }

  async listTools(): Promise<Tool[]> {
    return (await this.request(() => this.client.listTools(undefined, { timeout: this.timeoutMs }))).tools;
  }

  /** Ends the session on the server too (a client's close alone leaves it to the idle reaper). */
  async close(): Promise<void> {
    if (this.transport instanceof StreamableHTTPClientTransport) await this.transport.terminateSession().catch(() => undefined);
    await this.client.close().catch(() => undefined);
  }

  private async request<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      if (err instanceof McpError) {
        const body = err.data as { status?: string; error?: { code: string; message: string } } | undefined;
        if (body?.status === 'error' && body.error) throw new CliError(body.error.code, body.error.message, body);
        throw new CliError('mcp_error', err.message);
      }
      throw new CliError('connection_failed', `${this.endpoint.href}: ${(err as Error).message}`);
    }
  }
}

function jsonOfText(result: CallToolResult): Record<string, unknown> | undefined {
  const texts = result.content.filter((c) => c.type === 'text');
  if (texts.length !== 1) return undefined;
  try {
    const parsed = JSON.parse(texts[0]!.text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
