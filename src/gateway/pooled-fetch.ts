import http from 'node:http';
import { Readable } from 'node:stream';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/**
 * `fetch` for the gateway's pooled sessions to children (plain HTTP on the forge's own network),
 * over node:http with keep-alive: Node's global fetch costs the forge several times the CPU per
 * call. The transport passes one long-lived abort signal to every request; it carries a single
 * listener here however many requests are under way, and a request lets go of it when its
 * exchange ends (Node's fetch kept one per request until garbage collection: MaxListenersExceededWarning).
 */
export const pooledFetch: FetchLike = (url, init = {}) => {
  const target = new URL(url);
  if (target.protocol !== 'http:') return fetch(url, init);
  const shared = init.signal ?? undefined;
  if (shared?.aborted) return Promise.reject(shared.reason);
  return new Promise<Response>((resolve, reject) => {
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, key) => (headers[key] = value));
    const body = typeof init.body === 'string' ? Buffer.from(init.body) : undefined;
    if (init.body != null && !body) return reject(new TypeError('pooledFetch sends string bodies only'));
    if (body) headers['content-length'] = String(body.length);
    const request = http.request(target, { method: init.method ?? 'GET', headers, agent });
    const stop = () => request.destroy(shared!.reason instanceof Error ? shared!.reason : new DOMException('This operation was aborted', 'AbortError'));
    const release = () => shared && followers(shared).delete(stop);
    if (shared) followers(shared).add(stop);
    request.once('error', (err) => (release(), reject(err)));
    request.once('response', (answer) => {
      answer.once('close', release);
      const out = new Headers();
      for (const [key, value] of Object.entries(answer.headers)) {
        for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) out.append(key, v);
      }
      const status = answer.statusCode ?? 502;
      const empty = status === 204 || status === 304 || init.method === 'HEAD' || answer.headers['content-length'] === '0';
      if (empty) answer.resume();
      resolve(new Response(empty ? null : (Readable.toWeb(answer) as ReadableStream<Uint8Array>), { status, statusText: answer.statusMessage, headers: out }));
    });
    request.end(body);
  });
};

const tied = new WeakMap<AbortSignal, Set<() => void>>();

/** What `shared` stops when it aborts, with the one listener that does it. */
function followers(shared: AbortSignal): Set<() => void> {
  let set = tied.get(shared);
  if (!set) {
    const made = new Set<() => void>();
    shared.addEventListener('abort', () => {
      for (const stop of made) stop();
      made.clear();
    }, { once: true });
    tied.set(shared, (set = made));
  }
  return set;
}
