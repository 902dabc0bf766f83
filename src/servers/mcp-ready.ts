import { setTimeout as delay } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Runtime } from '../runtime/runtime.js';
import { hasEnded } from '../runtime/child-state.js';

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
  /**
   * The base URL when the engine publishes the child's port at `hostAddress` (null: the
   * configured address). Given, the wait asks the engine where the child runs before the first
   * attempt and with each status check, and follows it (a swarm task lands on a node after start).
   */
  urlAt?: (hostAddress: string | null) => string;
  /** Where the child serves Streamable HTTP; `/mcp` unless an http image says otherwise. */
  path?: string;
  containerId: string;
  /** The child requires credentials (auth, token). */
  guarded?: boolean;
  /** Headers that let the forge in (its internal token): sent with every attempt. */
  headers?: Record<string, string>;
}

/** Decides when a started container is ready; throws NotReadyError otherwise. */
export interface WaitStrategy {
  waitUntilReady(target: ReadyTarget, timeoutMs: number): Promise<void>;
}

/**
 * Ready means a real MCP `initialize` over Streamable HTTP succeeded, sent with the forge's own
 * headers. A guarded child whose container predates internal tokens refuses those: it is ready
 * when it answers initialize with a 401 challenge. Fails fast if the container exits.
 */
export class McpInitializeWait implements WaitStrategy {
  constructor(
    private readonly runtime: Runtime,
    private readonly maxPollMs = 50,
  ) {}

  async waitUntilReady(target: ReadyTarget, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no attempt made';
    let base = target.url;
    if (target.urlAt) base = target.urlAt((await this.runtime.children.inspect(target.containerId).catch(() => null))?.hostAddress ?? null);
    // A child answers within a few hundred ms: poll often at first, then back off to maxPollMs.
    let pollMs = 5;
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      try {
        const attemptMs = Math.max(200, Math.min(5000, deadline - Date.now()));
        const url = `${base}${target.path ?? '/mcp'}`;
        try {
          await initializeOnce(url, attemptMs, target.headers);
        } catch (err) {
          if (!target.guarded || (err as { code?: unknown }).code !== 401) throw err;
          await challengeOnce(url, attemptMs);
        }
        return;
      } catch (err) {
        last = (err as Error).message;
      }
      if (attempt % 4 === 3) {
        const info = await this.runtime.children.inspect(target.containerId);
        if (!info) throw new NotReadyError('container disappeared before answering MCP', true);
        if (target.urlAt) base = target.urlAt(info.hostAddress);
        if (hasEnded(info.status)) {
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
export async function initializeOnce(url: string, timeoutMs: number, headers?: Record<string, string>): Promise<void> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { signal: AbortSignal.timeout(timeoutMs), ...(headers ? { headers } : {}) },
  });
  const client = new Client({ name: 'mcp-forge-readiness', version: '1.0.0' });
  try {
    await client.connect(transport, { timeout: timeoutMs });
    await transport.terminateSession().catch(() => undefined);
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** An anonymous initialize that a guarded child must refuse with 401 and a Basic or Bearer challenge. */
async function challengeOnce(url: string, timeoutMs: number): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: '{}',
    signal: AbortSignal.timeout(timeoutMs),
  });
  await response.body?.cancel();
  const challenge = response.headers.get('www-authenticate') ?? '';
  if (response.status !== 401 || !/^(Basic|Bearer) /i.test(challenge)) {
    throw new Error(`expected a 401 challenge from the guarded server, got ${response.status}`);
  }
}
