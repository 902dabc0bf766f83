import type { ForgeConfig } from '../config/forge-config.js';
import type { ServerRecord } from '../registry/server-record.js';
import { childUrl } from '../servers/child-spec.js';
import { childAuthHeaders } from '../servers/child-auth-headers.js';

/** The child's open MCP sessions as its GET /healthz reports them; null when it does not answer in time. */
export async function childConnections(record: ServerRecord, config: ForgeConfig, timeoutMs = 2000): Promise<number | null> {
  try {
    const res = await fetch(`${childUrl(record, config)}/healthz`, {
      headers: childAuthHeaders(record, config),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) return null;
    const body = (await res.json()) as { connections?: unknown };
    return typeof body.connections === 'number' ? body.connections : null;
  } catch {
    return null;
  }
}

/**
 * The child's own count with what others add (`sources`, e.g. the gateway: its calls in flight
 * and sessions, less its own pooled session); null when the child does not answer.
 */
export async function countedConnections(record: ServerRecord, config: ForgeConfig, sources: Iterable<(serverId: string) => number>): Promise<number | null> {
  const own = await childConnections(record, config);
  if (own === null) return null;
  let extra = 0;
  for (const source of sources) extra += source(record.id);
  return Math.max(0, own + extra);
}
