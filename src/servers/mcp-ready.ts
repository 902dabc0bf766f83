import { setTimeout as delay } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { ContainerRuntime } from '../runtime/container-runtime.js';

/** Why a child never became ready. */
export class NotReadyError extends Error {
  override name = 'NotReadyError';
  constructor(
    message: string,
    readonly exited: boolean,
  ) {
    super(message);
  }
}

/** Decides when a started container is ready; throws NotReadyError otherwise. */
export interface WaitStrategy {
  waitUntilReady(target: { url: string; containerId: string }, timeoutMs: number): Promise<void>;
}

/** Ready means a real MCP `initialize` over Streamable HTTP succeeded. Fails fast if the container exits. */
export class McpInitializeWait implements WaitStrategy {
  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly pollMs = 50,
  ) {}

  async waitUntilReady(target: { url: string; containerId: string }, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no attempt made';
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      try {
        await initializeOnce(`${target.url}/mcp`, Math.max(200, Math.min(5000, deadline - Date.now())));
        return;
      } catch (err) {
        last = (err as Error).message;
      }
      if (attempt % 4 === 3) {
        const info = await this.runtime.containers.inspect(target.containerId);
        if (!info) throw new NotReadyError('container disappeared before answering MCP', true);
        if (info.status === 'exited' || info.status === 'dead') {
          const code = info.exitCode != null ? ` with code ${info.exitCode}` : '';
          throw new NotReadyError(`container exited${code}${info.oomKilled ? ' (out of memory)' : ''} before answering MCP`, true);
        }
        // Under a restart policy a crashing child shows as restarting (or restarted) rather than exited.
        if (info.status === 'restarting' || info.restartCount > 0) {
          const code = info.exitCode ? `, last exit code ${info.exitCode}` : '';
          throw new NotReadyError(`container crashed before answering MCP (restarted ${info.restartCount} times${code})`, true);
        }
      }
      await delay(this.pollMs);
    }
    throw new NotReadyError(`no MCP initialize answer within ${timeoutMs} ms (last error: ${last})`, false);
  }
}

/** One MCP initialize handshake; the session is ended afterwards so it does not linger in the child. */
export async function initializeOnce(url: string, timeoutMs: number): Promise<void> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { signal: AbortSignal.timeout(timeoutMs) },
  });
  const client = new Client({ name: 'mcp-forge-readiness', version: '1.0.0' });
  try {
    await client.connect(transport, { timeout: timeoutMs });
    await transport.terminateSession().catch(() => undefined);
  } finally {
    await client.close().catch(() => undefined);
  }
}
