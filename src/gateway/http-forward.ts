import http from 'node:http';
import type { Transform } from 'node:stream';
import type { ProxyTarget } from './proxy-target.js';

/** Headers that belong to one hop, or to the forge, and never travel to the child. */
const REQUEST_DROP = new Set(['host', 'connection', 'keep-alive', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'upgrade', 'authorization', 'origin', 'referer', 'cookie']);
const RESPONSE_DROP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'trailer', 'upgrade']);

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** How one forwarded exchange may be adjusted. */
export interface ForwardOptions {
  /** Transforms the response body (the SSE endpoint rewrite). */
  transform?: () => Transform;
  /** Sees the child's response head before it is passed on (session ids to pin). */
  onResponse?: (status: number, headers: http.IncomingHttpHeaders) => void;
  /** The request body, already read (so the exchange can be tried on another child); else the request is streamed. */
  body?: Buffer;
  /** When the child cannot be reached, answer nothing and resolve `unreachable`, so the caller may try another. */
  retryable?: boolean;
}

/** How an exchange ended: `unreachable` only with `retryable`, when nothing was sent to the caller yet. */
export type ForwardOutcome = 'done' | 'unreachable';

/**
 * Streams one request to a child and its answer back, in both directions as the bytes come
 * (SSE streams stay open until either side closes). The child sees the forge's credential,
 * not the caller's. Resolves when the exchange is over.
 */
export function forward(req: http.IncomingMessage, res: http.ServerResponse, target: ProxyTarget, pathAndQuery: string, options: ForwardOptions = {}): Promise<ForwardOutcome> {
  const headers: http.OutgoingHttpHeaders = {};
  for (const [key, value] of Object.entries(req.headers)) if (!REQUEST_DROP.has(key) && value !== undefined) headers[key] = value;
  Object.assign(headers, target.headers);
  if (options.body) headers['content-length'] = String(options.body.length);
  return new Promise((resolve) => {
    const upstream = http.request(new URL(pathAndQuery, target.url), { method: req.method, headers, agent });
    const onClose = () => {
      upstream.destroy();
      resolve('done');
    };
    res.once('close', onClose);
    upstream.once('response', (answer) => {
      options.onResponse?.(answer.statusCode ?? 502, answer.headers);
      const out: http.OutgoingHttpHeaders = {};
      for (const [key, value] of Object.entries(answer.headers)) if (!RESPONSE_DROP.has(key) && value !== undefined) out[key] = value;
      if (options.transform) delete out['content-length'];
      res.writeHead(answer.statusCode ?? 502, out);
      res.flushHeaders();
      const body = options.transform ? answer.pipe(options.transform()) : answer;
      body.pipe(res);
      answer.once('error', () => res.destroy());
    });
    upstream.once('error', (err) => {
      if (options.retryable && !res.headersSent) {
        res.off('close', onClose);
        resolve('unreachable');
        return;
      }
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: `server "${target.name}" is not reachable: ${(err as NodeJS.ErrnoException).code ?? err.message}` }, id: null }));
    });
    if (options.body) upstream.end(options.body);
    else req.pipe(upstream);
    req.once('aborted', () => upstream.destroy());
  });
}
