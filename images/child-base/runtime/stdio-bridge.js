// @ts-check
/**
 * Serves ONE stdio MCP server to every client session of the child (its state is shared).
 * - The bridge initializes the server once at start-up; every session's `initialize` is
 *   answered from that result (capabilities, serverInfo, instructions pass through).
 * - Request ids (and progress tokens) are rewritten to the bridge's own, so each response
 *   and each progress notification reaches the session that asked.
 * - Other notifications (list_changed, resources/updated, log messages) go to every session.
 * - `ping` is answered by the bridge, in both directions.
 * - Requests the server sends to the client (sampling, elicitation, roots) go to the session
 *   that caused them: stdio carries no link between a server request and the client request
 *   it serves, so this is the one session with requests in flight. When none or several
 *   sessions have requests in flight, or that session's client did not declare the
 *   capability, the request is refused with a JSON-RPC error (code -32000 / -32601).
 */
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { log } from './log.js';

/** What the bridge offers the server, as its only client; roots are not offered. */
const BRIDGE_CAPABILITIES = { sampling: {}, elicitation: {} };
const NEEDS = { 'sampling/createMessage': 'sampling', 'elicitation/create': 'elicitation', 'roots/list': 'roots' };

/**
 * @typedef {{ transport: any, inflight: Map<string | number, number>, capabilities: any, serverRequests: Map<string, string | number> }} Session
 * @param {{ write: (message: any) => void }} server the stdio process
 */
export function createBridge(server) {
  let nextId = 1;
  let nextServerRequest = 1;
  /** @type {any} */
  let initResult = null;
  /** bridge id -> who asked @type {Map<number, { session?: Session, clientId?: string | number, token?: string, own?: { resolve: Function, reject: Function } }>} */
  const pending = new Map();
  /** bridge progress token -> { session, token, clientId } @type {Map<string, { session: Session, token: any, clientId: string | number }>} */
  const progress = new Map();
  /** @type {Set<Session>} */
  const sessions = new Set();

  const deliver = (/** @type {Session} */ s, /** @type {any} */ message, /** @type {any} */ options) =>
    s.transport.send(message, options).catch((err) => log.warn('could not deliver to session', { error: String(err?.message ?? err) }));

  const finish = (/** @type {number} */ id) => {
    const entry = pending.get(id);
    pending.delete(id);
    if (entry?.token) progress.delete(entry.token);
    if (entry?.session && entry.clientId !== undefined) entry.session.inflight.delete(entry.clientId);
    return entry;
  };

  const refuse = (/** @type {any} */ id, /** @type {number} */ code, /** @type {string} */ message) =>
    server.write({ jsonrpc: '2.0', id, error: { code, message: `mcp-forge bridge: ${message}` } });

  function fromServerRequest(/** @type {any} */ message) {
    if (message.method === 'ping') return server.write({ jsonrpc: '2.0', id: message.id, result: {} });
    const busy = [...sessions].filter((s) => s.inflight.size > 0);
    if (busy.length !== 1) {
      return refuse(message.id, -32000, `cannot tell which client session ${message.method} is for (${busy.length} sessions have requests in flight); refused`);
    }
    const [session] = busy;
    const need = NEEDS[/** @type {keyof typeof NEEDS} */ (message.method)];
    if (need && !session.capabilities?.[need]) return refuse(message.id, -32601, `the client did not declare the ${need} capability`);
    const sessionSide = `forge-${nextServerRequest++}`;
    session.serverRequests.set(sessionSide, message.id);
    const related = [...session.inflight.keys()].at(-1);
    deliver(session, { ...message, id: sessionSide }, { relatedRequestId: related });
  }

  function fromServerNotification(/** @type {any} */ message) {
    if (message.method === 'notifications/progress') {
      const target = progress.get(String(message.params?.progressToken));
      if (target) deliver(target.session, { ...message, params: { ...message.params, progressToken: target.token } }, { relatedRequestId: target.clientId });
      return;
    }
    if (message.method === 'notifications/cancelled') {
      for (const s of sessions) {
        for (const [sessionSide, serverId] of s.serverRequests) {
          if (serverId !== message.params?.requestId) continue;
          s.serverRequests.delete(sessionSide);
          deliver(s, { ...message, params: { ...message.params, requestId: sessionSide } });
        }
      }
      return;
    }
    for (const s of sessions) deliver(s, message);
  }

  function fromClientRequest(/** @type {Session} */ s, /** @type {any} */ message) {
    if (message.method === 'initialize') {
      s.capabilities = message.params?.capabilities ?? {};
      return deliver(s, { jsonrpc: '2.0', id: message.id, result: initResult });
    }
    if (message.method === 'ping') return deliver(s, { jsonrpc: '2.0', id: message.id, result: {} });
    const id = nextId++;
    const entry = { session: s, clientId: message.id, token: /** @type {string | undefined} */ (undefined) };
    let params = message.params;
    const clientToken = params?._meta?.progressToken;
    if (clientToken !== undefined) {
      entry.token = `forge-${id}`;
      progress.set(entry.token, { session: s, token: clientToken, clientId: message.id });
      params = { ...params, _meta: { ...params._meta, progressToken: entry.token } };
    }
    pending.set(id, entry);
    s.inflight.set(message.id, id);
    server.write({ ...message, id, ...(params !== undefined ? { params } : {}) });
  }

  function fromClient(/** @type {Session} */ s, /** @type {any} */ message) {
    if (message.method !== undefined && message.id !== undefined) return fromClientRequest(s, message);
    if (message.method === undefined) {
      const serverId = s.serverRequests.get(message.id);
      if (serverId === undefined) return;
      s.serverRequests.delete(message.id);
      return server.write({ ...message, id: serverId });
    }
    if (message.method === 'notifications/initialized' || message.method === 'notifications/roots/list_changed') return;
    if (message.method === 'notifications/cancelled') {
      const id = s.inflight.get(message.params?.requestId);
      if (id === undefined) return;
      finish(id);
      return server.write({ ...message, params: { ...message.params, requestId: id } });
    }
    server.write(message);
  }

  function closeSession(/** @type {Session} */ s) {
    sessions.delete(s);
    for (const id of [...s.inflight.values()]) {
      finish(id);
      server.write({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: 'client session closed' } });
    }
    for (const serverId of s.serverRequests.values()) refuse(serverId, -32000, 'the client session closed');
  }

  return {
    /** Every line the stdio server writes. @param {any} message */
    onServerMessage(message) {
      if (message.method === undefined) {
        const entry = finish(message.id);
        if (entry?.own) return message.error ? entry.own.reject(new Error(message.error.message)) : entry.own.resolve(message.result);
        if (entry?.session) deliver(entry.session, { ...message, id: entry.clientId });
        return;
      }
      if (message.id !== undefined) return fromServerRequest(message);
      fromServerNotification(message);
    },

    /** The one initialize handshake with the server; rejects when it does not answer within `timeoutMs`. @param {number} timeoutMs */
    async initialize(timeoutMs) {
      const id = nextId++;
      const answered = new Promise((resolve, reject) => pending.set(id, { own: { resolve, reject } }));
      server.write({
        jsonrpc: '2.0',
        id,
        method: 'initialize',
        params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: BRIDGE_CAPABILITIES, clientInfo: { name: 'mcp-forge-bridge', version: '1.0.0' } },
      });
      let timer;
      const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer to initialize within ${timeoutMs} ms: is this an MCP server speaking stdio?`)), timeoutMs);
      });
      try {
        initResult = await Promise.race([answered, timeout]);
      } finally {
        clearTimeout(timer);
      }
      server.write({ jsonrpc: '2.0', method: 'notifications/initialized' });
      return initResult;
    },

    /** Per-session hook for sessions.js: wires a server transport to the shared server. @param {any} transport */
    async connect(transport) {
      /** @type {Session} */
      const s = { transport, inflight: new Map(), capabilities: null, serverRequests: new Map() };
      sessions.add(s);
      const previous = transport.onclose;
      transport.onclose = () => {
        previous?.();
        closeSession(s);
      };
      transport.onmessage = (/** @type {any} */ message) => fromClient(s, message);
      await transport.start();
    },
  };
}
