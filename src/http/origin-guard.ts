import type { Middleware } from 'koa';

/**
 * Cross-origin refusal for the dashboard API: a browser request whose Origin is not the page's
 * own (same Host) gets 403. Requests without an Origin (curl, the SDK) pass; the Host guard and
 * bearer auth still apply to them.
 */
export function originGuard(): Middleware {
  return async (ctx, next) => {
    const origin = ctx.get('origin');
    if (origin && hostOf(origin) !== ctx.get('host').toLowerCase()) {
      ctx.status = 403;
      ctx.body = { status: 'error', error: { code: 'forbidden', message: `Origin "${origin}" is not allowed` } };
      return;
    }
    await next();
  };
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null;
  }
}
