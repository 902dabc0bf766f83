import Koa from 'koa';
import Router from '@koa/router';
import type { Logger } from '../logging/logger.js';
import type { AuthToken } from '../config/forge-config.js';
import { bearerAuth } from '../security/bearer-auth.js';
import { mountProxyRoutes, type ProxyDeps } from '../gateway/proxy-routes.js';
import { bodyLimit } from './body-limit.js';
import { mountDashboard, type DashboardDeps } from './dashboard-api.js';
import { hostGuard } from './host-guard.js';
import { originGuard } from './origin-guard.js';
import { requestMetrics, type RequestObserver } from './request-metrics.js';
import type { SseSessions } from './sse-sessions.js';
import type { StreamableSessions } from './streamable-sessions.js';

/** The forge's HTTP surface. */
export interface AppDeps {
  host: string;
  allowedHosts: string[];
  /** Read at each request, so token changes apply at once. */
  tokens: () => AuthToken[];
  maxBodyBytes: () => number;
  /** /metrics without a token (auth.metrics_public). */
  metricsPublic: () => boolean;
  streamable: StreamableSessions;
  sse: SseSessions;
  /** The aggregated endpoint: /gateway/mcp, /gateway/sse and /gateway/messages. */
  gateway?: { streamable: StreamableSessions; sse: SseSessions };
  /** What /healthz reports besides `status`. */
  health: () => Promise<Record<string, unknown>>;
  log: Logger;
  /** Prometheus metrics: GET /metrics (behind the Host guard) and request counting. */
  metrics?: RequestObserver & { text(): Promise<string>; contentType: string };
  /** The dashboard: GET /, /assets/* and /api/* (src/http/dashboard-api.ts). */
  dashboard?: Omit<DashboardDeps, 'health'>;
  /** Each child's own endpoint through the forge's port: /servers/<ref>/… and /groups/<name>/…. */
  proxy?: ProxyDeps;
}

/** Koa app: GET /healthz (open), and the MCP endpoints /mcp, /sse, /messages (and /gateway/…) behind the Host and Origin guards, bearer auth and a body limit. */
export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  const router = new Router();
  const guard = [hostGuard(deps.host, deps.allowedHosts), originGuard(deps.host, deps.allowedHosts), bearerAuth(deps.tokens), bodyLimit(deps.maxBodyBytes)];
  const metrics = deps.metrics;
  if (metrics) app.use(requestMetrics(metrics));

  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      deps.log.error({ err, path: ctx.path }, 'request failed');
      if (ctx.respond === false) return;
      ctx.status = 500;
      ctx.body = { jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: null };
    }
  });

  router.get('/healthz', async (ctx) => {
    const detail = await deps.health();
    ctx.status = detail.docker === 'ok' ? 200 : 503;
    ctx.body = { status: ctx.status === 200 ? 'ok' : 'degraded', ...detail };
  });
  if (metrics) {
    const open = hostGuard(deps.host, deps.allowedHosts);
    const tokenUnlessPublic = bearerAuth(() => (deps.metricsPublic() ? [] : deps.tokens()));
    router.get('/metrics', open, tokenUnlessPublic, async (ctx) => {
      ctx.type = metrics.contentType;
      ctx.body = await metrics.text();
    });
  }
  if (deps.dashboard) mountDashboard(router, hostGuard(deps.host, deps.allowedHosts), guard, { ...deps.dashboard, health: deps.health });
  router.all('/mcp', ...guard, (ctx) => deps.streamable.handle(ctx));
  router.get('/sse', ...guard, (ctx) => deps.sse.open(ctx));
  router.post('/messages', ...guard, (ctx) => deps.sse.post(ctx));
  const gateway = deps.gateway;
  if (gateway) {
    router.all('/gateway/mcp', ...guard, (ctx) => gateway.streamable.handle(ctx));
    router.get('/gateway/sse', ...guard, (ctx) => gateway.sse.open(ctx));
    router.post('/gateway/messages', ...guard, (ctx) => gateway.sse.post(ctx));
  }
  if (deps.proxy) mountProxyRoutes(router, guard, deps.proxy);

  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
