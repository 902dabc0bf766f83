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

/** A started child to wait for. */
export interface ReadyTarget {
  url: string;
  containerId: string;
  /** The child requires credentials (auth); `authorization` carries them when the forge knows them. */
  guarded?: boolean;
  authorization?: string;
}

/** Decides when a started container is ready; throws NotReadyError otherwise. */
export interface WaitStrategy {
  waitUntilReady(target: ReadyTarget, timeoutMs: number): Promise<void>;
}

/**
 * Ready means a real MCP `initialize` over Streamable HTTP succeeded (with credentials, if the
 * child is guarded and they are known). A guarded child whose credentials the forge never keeps
 * (after creation) is ready when it answers initialize with a Basic challenge. Fails fast if
 * the container exits.
 */
export class McpInitializeWait implements WaitStrategy {
  constructor(
    private readonly runtime: ContainerRuntime,
    private readonly maxPollMs = 50,
  ) {}

  async waitUntilReady(target: ReadyTarget, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no attempt made';
    // A child answers within a few hundred ms: poll often at first, then back off to maxPollMs.
    let pollMs = 5;
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      try {
        const attemptMs = Math.max(200, Math.min(5000, deadline - Date.now()));
        if (target.guarded && !target.authorization) await challengeOnce(`${target.url}/mcp`, attemptMs);
        else await initializeOnce(`${target.url}/mcp`, attemptMs, target.authorization);
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
      await delay(pollMs);
      pollMs = Math.min(this.maxPollMs, pollMs * 1.5);
    }
    throw new NotReadyError(`no MCP initialize answer within ${timeoutMs} ms (last error: ${last})`, false);
  }
}

/** One MCP initialize handshake; the session is ended afterwards so it does not linger in the child. */
export async function initializeOnce(url: string, timeoutMs: number, authorization?: string): Promise<void> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { signal: AbortSignal.timeout(timeoutMs), ...(authorization ? { headers: { authorization } } : {}) },
  });
  const client = new Client({ name: 'mcp-forge-readiness', version: '1.0.0' });
  try {
    await client.connect(transport, { timeout: timeoutMs });
    await transport.terminateSession().catch(() => undefined);
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** An anonymous initialize that a guarded child must refuse with 401 and a Basic challenge. */
async function challengeOnce(url: string, timeoutMs: number): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: '{}',
    signal: AbortSignal.timeout(timeoutMs),
  });
  await response.body?.cancel();
  const challenge = response.headers.get('www-authenticate') ?? '';
  if (response.status !== 401 || !/^Basic /i.test(challenge)) {
    throw new Error(`expected a 401 Basic challenge from the guarded server, got ${response.status}`);
  }
}
