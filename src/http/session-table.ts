import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../logging/logger.js';

/** The caps, read at each new session so set_config changes apply at once. */
export interface SessionCaps {
  max_sessions: number;
  max_sessions_per_token: number;
}

export type SessionKind = 'streamable' | 'sse';

interface Session {
  kind: SessionKind;
  owner: string;
  lastSeen: number;
  /** Ids of requests the client sent that are not answered yet: a session with one is never idle. */
  inFlight: Set<string | number>;
  transport: Transport;
  close(): Promise<void>;
}

/** Why a new session was refused: 429 for the token's cap, 503 for the forge's total. */
export interface Refusal {
  status: 429 | 503;
  message: string;
}

/** A place held for a session being opened; `open` fills it, `release` gives it back if it never opened. */
export interface Slot {
  open(id: string, transport: Transport, close: () => Promise<void>): void;
  release(): void;
}

/**
 * Every MCP session of the forge, both transports: the caps (per token, in total), the owner
 * check (a session answers only the token that opened it) and the idle reaper (clients rarely
 * close). A refused session never affects one already open.
 */
export class SessionTable {
  private readonly sessions = new Map<string, Session>();
  /** Places held by initializations under way, by owner. */
  private readonly opening = new Map<string, number>();
  private readonly reaper: NodeJS.Timeout;

  constructor(
    private readonly caps: () => SessionCaps,
    private readonly idleMs: number,
    private readonly log: Logger,
  ) {
    this.reaper = setInterval(() => this.reap(), Math.min(60_000, Math.max(500, idleMs / 4)));
    this.reaper.unref();
  }

  count(kind?: SessionKind): number {
    let n = 0;
    for (const s of this.sessions.values()) if (!kind || s.kind === kind) n++;
    return n;
  }

  reserve(owner: string, kind: SessionKind): Slot | Refusal {
    const { max_sessions, max_sessions_per_token } = this.caps();
    const pending = [...this.opening.values()].reduce((a, b) => a + b, 0);
    const mine = [...this.sessions.values()].filter((s) => s.owner === owner).length + (this.opening.get(owner) ?? 0);
    if (mine >= max_sessions_per_token) {
      return { status: 429, message: `token "${owner}" already has ${mine} open MCP sessions (server.max_sessions_per_token); close one first` };
    }
    if (this.sessions.size + pending >= max_sessions) {
      return { status: 503, message: `the forge has ${max_sessions} open MCP sessions (server.max_sessions); try again later` };
    }
    this.opening.set(owner, (this.opening.get(owner) ?? 0) + 1);
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      const left = (this.opening.get(owner) ?? 1) - 1;
      if (left > 0) this.opening.set(owner, left);
      else this.opening.delete(owner);
    };
    return {
      open: (id, transport, close) => {
        release();
        const session: Session = { kind, owner, lastSeen: Date.now(), inFlight: new Set(), transport, close };
        watchTraffic(session);
        this.sessions.set(id, session);
        this.log.debug({ session: id, kind, open: this.sessions.size }, 'session opened');
      },
      release,
    };
  }

  /** The transport of `owner`'s session `id` of this kind (marked as used), or undefined. */
  use<T>(id: string, owner: string, kind: SessionKind): T | undefined {
    const session = this.sessions.get(id);
    if (!session || session.owner !== owner || session.kind !== kind) return undefined;
    session.lastSeen = Date.now();
    return session.transport as T;
  }

  /** Forgets a session that closed by itself. */
  remove(id: string): void {
    if (this.sessions.delete(id)) this.log.debug({ session: id, open: this.sessions.size }, 'session closed');
  }

  reap(now = Date.now()): number {
    let closed = 0;
    for (const [id, session] of this.sessions) {
      if (session.inFlight.size > 0 || now - session.lastSeen < this.idleMs) continue;
      this.sessions.delete(id);
      session.close().catch(() => undefined);
      closed++;
    }
    if (closed) this.log.info({ closed, open: this.sessions.size }, 'reaped idle sessions');
    return closed;
  }

  async closeAll(): Promise<void> {
    clearInterval(this.reaper);
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((s) => s.close().catch(() => undefined)));
  }
}

/**
 * Marks a session as used by every message either way, and tracks its unanswered requests.
 * Wraps the handlers the MCP server installed on connect, so a session is opened after connect.
 */
function watchTraffic(session: Session): void {
  const t = session.transport;
  const receive = t.onmessage;
  const send = t.send.bind(t);
  t.onmessage = (message: JSONRPCMessage, extra?: Parameters<NonNullable<Transport['onmessage']>>[1]) => {
    session.lastSeen = Date.now();
    if ('method' in message && 'id' in message) session.inFlight.add(message.id);
    receive?.(message, extra);
  };
  t.send = async (message, options) => {
    session.lastSeen = Date.now();
    if (('result' in message || 'error' in message) && 'id' in message && message.id !== undefined) session.inFlight.delete(message.id);
    return send(message, options);
  };
}

/** The JSON-RPC error body of an HTTP-level refusal (no request id is known yet). */
export function refusalBody(message: string) {
  return { jsonrpc: '2.0', error: { code: -32000, message }, id: null };
}
