import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';

/**
 * `fetch` for a pooled transport, which passes the same long-lived signal to every request.
 * Node's fetch hooks an abort listener onto the signal it is given and lets it go only when
 * the request is garbage-collected: on a shared signal they pile up, about one per call
 * (MaxListenersExceededWarning under load). Here each request gets a signal of its own, tied
 * to the shared one until its response body has been read, cancelled or failed; the shared
 * signal carries one listener however many requests are under way.
 */
export const ownSignalFetch: FetchLike = async (url, init) => {
  const shared = init?.signal;
  if (!shared) return fetch(url, init);
  const own = new AbortController();
  if (shared.aborted) own.abort(shared.reason);
  else followers(shared).add(own);
  const release = () => tied.get(shared)?.delete(own);
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: own.signal });
  } catch (err) {
    release();
    throw err;
  }
  // An error answer or a redirect is read at once (or not at all): only a body being streamed stays tied.
  if (!response.body || !response.ok) {
    release();
    return response;
  }
  return withRelease(response, release);
};

const tied = new WeakMap<AbortSignal, Set<AbortController>>();

/** The requests' own controllers that `shared` aborts, with the one listener that does it. */
function followers(shared: AbortSignal): Set<AbortController> {
  let set = tied.get(shared);
  if (!set) {
    const made = new Set<AbortController>();
    shared.addEventListener('abort', () => {
      for (const own of made) own.abort(shared.reason);
      made.clear();
    }, { once: true });
    tied.set(shared, (set = made));
  }
  return set;
}

/** The same response, its body handing `release` its end (done, failed or cancelled). */
function withRelease(response: Response, release: () => void): Response {
  const reader = response.body!.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          release();
          controller.close();
        } else controller.enqueue(value);
      } catch (err) {
        release();
        controller.error(err);
      }
    },
    cancel(reason) {
      release();
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}
