import type { Context, Middleware } from 'koa';
import type Router from '@koa/router';
import { ForgeError, type ErrorCode } from '../errors/forge-error.js';
import { callTool } from '../mcp/tool-call.js';
import type { Caller } from '../security/caller.js';
import { dashboardAssets } from './dashboard-assets.js';
import { DashboardFeed, type FeedSource } from './dashboard-feed.js';

/** The dashboard's back end: the page, the feed and the tool calls it makes. */
export interface DashboardDeps extends FeedSource {
  /** Where the built page lives (dist/dashboard). */
  assetsDir: string;
}

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  invalid_request: 400,
  invalid_id: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  server_error: 500,
};

/**
 * Mounts GET / and /assets/* (the page, behind the Host guard only: it holds no data) and the JSON
 * API behind the Host guard, bearer auth, the body limit and the Origin check:
 * GET /api/session, POST /api/tools/:name (the MCP tool handlers through callTool, roles and audit
 * included) and GET /api/events (the live feed).
 */
export function mountDashboard(router: Router, hostOnly: Middleware, guard: Middleware[], deps: DashboardDeps): void {
  const feed = new DashboardFeed(deps);
  const assets = dashboardAssets(deps.assetsDir);
  const api = guard;
  router.get('/', hostOnly, assets.index);
  router.get('/assets/:file', hostOnly, assets.file);
  router.get('/api/session', ...api, (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'success', caller: callerIn(ctx), auth_required: deps.services.config.auth.admin_token !== null || deps.services.config.auth.tokens.length > 0 };
  });
  router.get('/api/events', ...api, (ctx) => feed.open(ctx, callerIn(ctx)));
  router.post('/api/tools/:name', ...api, async (ctx) => {
    // The guard's body limit has read and parsed the body (ctx.state.body).
    const args: unknown = ctx.state.body ?? {};
    if (args === null || typeof args !== 'object' || Array.isArray(args)) {
      ctx.status = 400;
      ctx.body = { status: 'error', error: { code: 'invalid_request', message: 'the request body must be a JSON object of tool arguments' } };
      return;
    }
    const name = ctx.params.name!;
    const body = await callTool(deps.table, deps.services, callerIn(ctx), name, args);
    ctx.set('Cache-Control', 'no-store');
    const error = body.status === 'error' ? (body.error as { code: ErrorCode }).code : null;
    ctx.status = error ? (HTTP_STATUS[error] ?? 409) : 200;
    ctx.body = body;
    if (!deps.table.isReadOnly(name)) feed.nudge();
  });
}

/** The caller bearer auth found (the anonymous admin when no token is configured); never assumed. */
function callerIn(ctx: Context): Caller {
  const caller = ctx.state.caller as Caller | undefined;
  if (!caller) throw new ForgeError('unauthorized', 'request without authentication: refused');
  return caller;
}
