import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Middleware } from 'koa';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json; charset=utf-8',
};

/** Only the page's own files run or style it; nothing inline, nothing from elsewhere. */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The built page (npm run build writes dist/dashboard): index.html is never cached (it names the
 * current asset files), the content-hashed assets are cached for a year. Files are read once, at
 * the first request; the asset names are the only names served.
 */
export function dashboardAssets(dir: string): { index: Middleware; file: Middleware } {
  let files: Map<string, Buffer> | null = null;
  const load = () => {
    if (files) return files;
    const found = new Map<string, Buffer>();
    const assets = path.join(dir, 'assets');
    try {
      found.set('index.html', readFileSync(path.join(dir, 'index.html')));
      for (const name of readdirSync(assets)) found.set(name, readFileSync(path.join(assets, name)));
    } catch {
      return found;
    }
    return (files = found);
  };
  const secure = (ctx: Parameters<Middleware>[0]) => {
    ctx.set('Content-Security-Policy', DASHBOARD_CSP);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('X-Frame-Options', 'DENY');
  };
  return {
    index: (ctx) => {
      const page = load().get('index.html');
      secure(ctx);
      if (!page) {
        ctx.status = 404;
        ctx.type = 'text/plain';
        ctx.body = 'The dashboard is not built: run `npm run build`.';
        return;
      }
      ctx.set('Cache-Control', 'no-cache');
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = page;
    },
    file: (ctx) => {
      const name = String(ctx.params.file ?? '');
      const body = name === 'index.html' ? undefined : load().get(name);
      secure(ctx);
      if (!body) {
        ctx.status = 404;
        return;
      }
      ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
      ctx.type = TYPES[path.extname(name)] ?? 'application/octet-stream';
      ctx.body = body;
    },
  };
}
