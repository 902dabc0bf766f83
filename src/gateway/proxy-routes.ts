import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { forward } from './http-forward.js';
import type { PinnedSessions } from './pinned-sessions.js';
import { ProxyRefusal, type ProxyTarget, type ProxyTargets } from './proxy-target.js';
import { SseEndpointRewrite } from './sse-endpoint-rewrite.js';

/** What the per-server and per-group paths need. */
export interface ProxyDeps {
  targets: ProxyTargets;
  pins: PinnedSessions;
}

/** Roles that may drive a child's own endpoint: it can call every tool, so `read` may not. */
const ROLES = new Set(['admin', 'use']);

function refuse(ctx: Context, status: number, message: string) {
  ctx.status = status;
  ctx.body = { jsonrpc: '2.0', error: { code: -32000, message }, id: null };
}

/** Runs `handler`, turning a ProxyRefusal or a refused role into a JSON-RPC error answer. */
const proxied = (handler: (ctx: Context) => Promise<void>): Middleware => async (ctx) => {
  const caller = ctx.state.caller as { name: string; role: string } | undefined;
  if (!caller || !ROLES.has(caller.role)) {
    return refuse(ctx, 403, `token "${caller?.name ?? 'none'}" has the ${caller?.role ?? 'no'} role; a server's own endpoint needs the use or admin role`);
  }
  try {
    await handler(ctx);
  } catch (err) {
    if (!(err instanceof ProxyRefusal)) throw err;
    refuse(ctx, err.status, err.message);
  }
};

const query = (ctx: Context) => (ctx.querystring ? `?${ctx.querystring}` : '');
const sessionHeader = (ctx: Context) => ctx.get('mcp-session-id') || undefined;

/** Members by pinned sessions, fewest first: a new session goes to the first that answers. */
function byLoad(members: ProxyTarget[], pins: PinnedSessions, group: string): ProxyTarget[] {
  if (members.length === 0) throw new ProxyRefusal(503, `group "${group}" has no running member`);
  const counts = pins.countsByServer();
  return [...members].sort((a, b) => (counts.get(a.serverId) ?? 0) - (counts.get(b.serverId) ?? 0));
}

/** The request body as the guard's body limit read it (a POST's stream is spent by then). */
const readBody = (ctx: Context): Buffer | undefined => ctx.state.rawBody as Buffer | undefined;

/** The body to send on: as read by the guard, else the request is streamed (GET, DELETE). */
const sent = (ctx: Context) => {
  const body = readBody(ctx);
  return body ? { body } : {};
};

/** Reads the request body unless the guard did, so a new session can be offered to a second member. */
async function bodyOf(ctx: Context): Promise<Buffer> {
  const read = readBody(ctx);
  if (read) return read;
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The member a group session is pinned to; a session whose member went away gets a clear 404. */
function pinnedMember(deps: ProxyDeps, group: string, sessionId: string): ProxyTarget {
  const serverId = deps.pins.memberOf(sessionId);
  if (!serverId) throw new ProxyRefusal(404, 'Session not found');
  const member = deps.targets.members(group).find((m) => m.serverId === serverId);
  if (member) return member;
  deps.pins.unpin(sessionId);
  throw new ProxyRefusal(404, `the member of group "${group}" that held this session went away; start a new session`);
}

/**
 * `/servers/<name-or-id>/{mcp,sse,messages}` and `/groups/<name>/{mcp,sse,messages}`: a child's own
 * endpoint through the forge's port, behind the forge's guards (passed as `guard`).
 */
export function mountProxyRoutes(router: Router, guard: Middleware[], deps: ProxyDeps): void {
  const messages = (prefix: string, name: string) => `/${prefix}/${encodeURIComponent(name)}/messages`;

  router.all('/servers/:ref/mcp', ...guard, proxied(async (ctx) => {
    const target = deps.targets.server(ctx.params.ref!);
    ctx.respond = false;
    await forward(ctx.req, ctx.res, target, `/mcp${query(ctx)}`, sent(ctx));
  }));
  router.get('/servers/:ref/sse', ...guard, proxied(async (ctx) => {
    const target = deps.targets.server(ctx.params.ref!);
    ctx.respond = false;
    await forward(ctx.req, ctx.res, target, '/sse', { transform: () => new SseEndpointRewrite(messages('servers', ctx.params.ref!)) });
  }));
  router.post('/servers/:ref/messages', ...guard, proxied(async (ctx) => {
    const target = deps.targets.server(ctx.params.ref!);
    ctx.respond = false;
    await forward(ctx.req, ctx.res, target, `/messages${query(ctx)}`, sent(ctx));
  }));

  router.all('/groups/:name/mcp', ...guard, proxied(async (ctx) => {
    const group = ctx.params.name!;
    const sessionId = sessionHeader(ctx);
    if (sessionId) {
      const target = pinnedMember(deps, group, sessionId);
      ctx.respond = false;
      await forward(ctx.req, ctx.res, target, `/mcp${query(ctx)}`, {
        ...sent(ctx),
        onResponse: () => ctx.method === 'DELETE' && deps.pins.unpin(sessionId),
      });
      return;
    }
    // A new session: offered to the least loaded member, then to the next when one cannot be reached.
    const candidates = byLoad(deps.targets.members(group), deps.pins, group);
    const body = await bodyOf(ctx);
    ctx.respond = false;
    for (const [i, target] of candidates.entries()) {
      const outcome = await forward(ctx.req, ctx.res, target, `/mcp${query(ctx)}`, {
        body,
        retryable: i < candidates.length - 1,
        onResponse: (status, headers) => {
          const given = headers['mcp-session-id'];
          if (typeof given === 'string' && status < 300) deps.pins.pin(given, target.serverId);
        },
      });
      if (outcome === 'done') return;
    }
  }));
  router.get('/groups/:name/sse', ...guard, proxied(async (ctx) => {
    const group = ctx.params.name!;
    const target = byLoad(deps.targets.members(group), deps.pins, group)[0]!;
    let pinned: string | undefined;
    ctx.respond = false;
    await forward(ctx.req, ctx.res, target, '/sse', {
      transform: () => new SseEndpointRewrite(messages('groups', group), (id) => deps.pins.pin((pinned = id), target.serverId)),
    });
    if (pinned) deps.pins.unpin(pinned);
  }));
  router.post('/groups/:name/messages', ...guard, proxied(async (ctx) => {
    const group = ctx.params.name!;
    const target = pinnedMember(deps, group, String(ctx.query.sessionId ?? ''));
    ctx.respond = false;
    await forward(ctx.req, ctx.res, target, `/messages${query(ctx)}`, sent(ctx));
  }));
}
