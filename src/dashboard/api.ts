/** The forge's dashboard API (src/http/dashboard-api.ts): bearer token from session storage, JSON in and out. */
const TOKEN_KEY = 'mcp-forge.token';

export const token = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (value: string) => sessionStorage.setItem(TOKEN_KEY, value),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

export interface Caller {
  name: string;
  role: string;
}

/** A refused or failed request, with the API's error code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function headers(): Record<string, string> {
  const t = token.get();
  return t ? { Authorization: `Bearer ${t}` } : {};
}

async function answer(res: Response): Promise<any> {
  const body = await res.json().catch(() => ({}));
  if (!res.ok || body.status === 'error') {
    const error = body.error ?? {};
    throw new ApiError(res.status, error.code ?? 'server_error', error.message ?? `HTTP ${res.status}`);
  }
  return body;
}

export async function session(): Promise<{ caller: Caller; auth_required: boolean }> {
  return answer(await fetch('/api/session', { headers: headers(), cache: 'no-store' }));
}

/** Calls one forge tool (the same handlers as MCP tools/call) and returns its result. */
export async function callTool(name: string, args: Record<string, unknown> = {}): Promise<any> {
  const res = await fetch(`/api/tools/${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { ...headers(), 'Content-Type': 'application/json' },
    body: JSON.stringify(args),
  });
  return answer(res);
}

export interface FeedHandlers {
  snapshot(data: any): void;
  logs(data: any): void;
  status(connected: boolean, error?: ApiError): void;
}

/**
 * The live feed (GET /api/events, text/event-stream) read with fetch, so the token travels in a
 * header (EventSource cannot send one). Reconnects after a drop; returns a function that closes it.
 */
export function openFeed(follow: string | null, on: FeedHandlers): () => void {
  const abort = new AbortController();
  let closed = false;
  const run = async () => {
    while (!closed) {
      try {
        const res = await fetch(`/api/events${follow ? `?logs=${encodeURIComponent(follow)}` : ''}`, { headers: headers(), signal: abort.signal, cache: 'no-store' });
        if (!res.ok || !res.body) {
          on.status(false, new ApiError(res.status, res.status === 401 ? 'unauthorized' : 'server_error', `feed refused (HTTP ${res.status})`));
          if (res.status === 401 || res.status === 403) return;
        } else {
          on.status(true);
          await read(res.body, on);
        }
      } catch {
        if (closed) return;
        on.status(false);
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  };
  void run();
  return () => {
    closed = true;
    abort.abort();
  };
}

async function read(body: ReadableStream<Uint8Array>, on: FeedHandlers) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (!data) continue;
      if (event === 'snapshot') on.snapshot(JSON.parse(data));
      else if (event === 'logs') on.logs(JSON.parse(data));
    }
  }
}
